import EngramTestSupport
import Foundation
import Testing

/// The real `tensorboard` Python package, when installed (scripts/test installs it).
let tensorboardPython: Bool = {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", "-c", "import tensorboard"]
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  guard (try? process.run()) != nil else { return false }
  process.waitUntilExit()
  return process.terminationStatus == 0
}()

@Suite("engram run/runs export --tensorboard")
struct TensorBoardCommandTests {
  /// Reads a run folder with TensorBoard's own EventAccumulator: tag → [(step, value)] for
  /// scalars, tag → text for text tensors.
  func accumulate(_ folder: URL) throws -> [String: Any] {
    let script = """
      import json, sys
      from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
      acc = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0, "tensors": 0})
      acc.Reload()
      tags = acc.Tags()
      out = {"scalars": {t: [[e.step, e.value] for e in acc.Scalars(t)] for t in tags["scalars"]},
             "text": {t: acc.Tensors(t)[-1].tensor_proto.string_val[0].decode() for t in tags["tensors"]}}
      print(json.dumps(out))
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, folder.path]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  @Test(
    "a live run and an export are read by TensorBoard's own EventAccumulator",
    .enabled(if: tensorboardPython, "the tensorboard Python package is absent (pip install tensorboard)"))
  func readByTensorBoard() throws {
    let work = try Fixtures.temporaryDirectory("tensorboard")
    let data = try Fixtures.idxFolder(trainSide: 8, testSide: 8, pixel: 3).path
    let run = try CLI.run(
      [
        "run", "--dataset", data, "--tasks", "2", "--iterations", "6", "--batch", "4", "--model",
        "mlp:8", "--eval-every", "2", "--strategy", "replay", "--memory", "4", "--tensorboard", "live",
      ], in: work)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("TensorBoard: "))
    let live = try accumulate(work.appendingPathComponent("live/1-replay"))
    let scalars = try #require(live["scalars"] as? [String: [[Double]]])
    #expect(scalars["loss/train"]?.map { $0[0] } == (1...12).map(Double.init))
    #expect(scalars["accuracy/task_1"]?.count == 2)
    #expect(scalars["accuracy/average"]?.count == 2)
    #expect(scalars["metrics/average_accuracy"]?.count == 1)
    #expect((scalars["accuracy/task_1/continual"]?.count ?? 0) >= 3)
    let text = try #require(live["text"] as? [String: String])
    #expect(text["accuracy_matrix"]?.contains("| after task | task 1 | task 2 |") == true)
    // The export of the stored run carries the same accuracies at the same steps.
    let export = try CLI.run(["runs", "export", "--tensorboard", "exported", "1"], in: work)
    #expect(export.status == 0, "\(export.stderr)")
    let exported = try #require(
      try accumulate(work.appendingPathComponent("exported/1-replay"))["scalars"]
        as? [String: [[Double]]])
    for tag in ["accuracy/task_1", "accuracy/task_2", "accuracy/average", "metrics/average_accuracy"] {
      #expect(exported[tag] == scalars[tag], "\(tag)")
    }
    // Exporting again into the same folder is the same run: allowed. Another store's run 1
    // (another uid) must not write into it.
    let again = try CLI.run(["runs", "export", "--tensorboard", "exported"], in: work)
    #expect(again.status == 0, "\(again.stderr)")
    let other = try CLI.run(
      ["run", "--store", "other.sqlite", "--dataset", data, "--tasks", "1", "--iterations", "2",
       "--model", "mlp:8", "--strategy", "replay", "--memory", "2"], in: work)
    #expect(other.status == 0, "\(other.stderr)")
    let clash = try CLI.run(
      ["runs", "export", "--store", "other.sqlite", "--tensorboard", "exported"], in: work)
    #expect(clash.status == 1)
    #expect(clash.stderr.contains("already holds files of another run"), "\(clash.stderr)")
  }

  @Test("a TensorBoard folder that cannot hold folders is refused before the run starts")
  func unwritableRoot() throws {
    let work = try Fixtures.temporaryDirectory("tensorboard")
    let file = work.appendingPathComponent("file")
    try "mine".write(to: file, atomically: true, encoding: .utf8)
    let result = try CLI.run(
      ["run", "--tasks", "1", "--iterations", "1", "--tensorboard", file.path + "/tb"], in: work)
    #expect(result.status == 1)
    #expect(result.stderr.contains("is a file, not a folder"), "\(result.stderr)")
    // Nothing was stored: the check comes before the run's row.
    #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent(".engram").path))
    let export = try CLI.run(["runs", "export"], in: work)
    #expect(export.status == 64 && export.stderr.contains("--tensorboard"))
  }
}
