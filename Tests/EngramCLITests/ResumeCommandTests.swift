import EngramRandom
import EngramTestSupport
import Foundation
import Testing

@Suite("engram run --resume")
struct ResumeCommandTests {
  func slice() throws -> String {
    try #require(fmnistSlice, "dataset-fashion-mnist is not installed").path
  }

  func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// The parts of a run's JSON that must not depend on interruptions.
  func measured(_ object: [String: Any]) throws -> String {
    let kept = object.filter {
      ["accuracy_matrix", "task_losses", "curves", "training_flops", "memory_buffer_bytes"]
        .contains($0.key)
    }
    return String(
      decoding: try JSONSerialization.data(withJSONObject: kept, options: .sortedKeys),
      as: UTF8.self)
  }

  @Test("a run killed with SIGKILL at random points and resumed ends as if never stopped")
  func killAndResume() throws {
    let settings = [
      "--dataset", try slice(), "--strategy", "derpp", "--memory", "100", "--batch", "16",
      "--epochs", "3", "--eval-every", "10", "--threads", "1",
    ]
    let work = try Fixtures.temporaryDirectory("kill")
    let started = Date()
    let whole = try CLI.run(["run", "--json", "--no-store"] + settings, in: work)
    // The kill moments below suit a run of up to about 5 s (a debug build); a slower one
    // (AddressSanitizer, a loaded machine) stretches them, so that kills still land during
    // training and after a checkpoint.
    let slowdown = max(1, Date().timeIntervalSince(started) / 5)
    #expect(whole.status == 0, "\(whole.stderr)")
    let expected = try measured(try json(whole.stdout))

    let folder = work.appendingPathComponent("ckpt").path
    let store = work.appendingPathComponent("results.sqlite").path
    var delays = RandomStream(seed: 2026)
    var kills = 0
    var killsAfterCheckpoint = 0
    var finished = false
    for _ in 0..<30 where !finished {
      // A run killed before it wrote its settings has nothing to resume; it starts again.
      let arguments =
        FileManager.default.fileExists(atPath: folder + "/config.json")
        ? ["run", "--store", store, "--resume", folder]
        : ["run", "--store", store, "--checkpoint-dir", folder, "--checkpoint-every", "7"]
          + settings
      let process = Process()
      process.executableURL = CLI.executable
      process.arguments = arguments
      process.currentDirectoryURL = work
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      // Kill at a random moment: during start-up, training, evaluation or a checkpoint write.
      let wait = slowdown * (kills < 4 ? 0.15 + delays.nextUniform() * 0.9 : 30)
      let deadline = Date().addingTimeInterval(wait)
      while process.isRunning && Date() < deadline { usleep(10_000) }
      // The last early kill waits for a checkpoint if none has been written yet, so that one
      // kill always throws away work done after a checkpoint.
      let checkpoint = folder + "/run.ckpt"
      if kills == 3 && !FileManager.default.fileExists(atPath: checkpoint) {
        let limit = Date().addingTimeInterval(slowdown * 30)
        while process.isRunning && Date() < limit
          && !FileManager.default.fileExists(atPath: checkpoint)
        {
          usleep(10_000)
        }
        usleep(UInt32(slowdown * (0.05 + delays.nextUniform() * 0.3) * 1e6))
      }
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        kills += 1
        if FileManager.default.fileExists(atPath: folder + "/run.ckpt") {
          killsAfterCheckpoint += 1
        }
      } else {
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        finished = true
      }
    }
    #expect(finished)
    #expect(kills >= 2, "the run was killed \(kills) times")
    #expect(killsAfterCheckpoint >= 1, "at least one kill lost work after a checkpoint")

    let resumed = try CLI.run(["run", "--json", "--store", store, "--resume", folder], in: work)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(try measured(try json(resumed.stdout)) == expected, "killed \(kills) times")

    let listed = try CLI.run(
      ["runs", "list", "--store", store, "--where", "status=complete", "--json"], in: work)
    let runs = try #require(
      try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    #expect(runs.count == 1, "one complete run in the store")
  }

  @Test("a damaged checkpoint, another run's checkpoint, or a folder with no run are refused")
  func refusals() throws {
    let work = try Fixtures.temporaryDirectory("refuse")
    let base = [
      "--dataset", try slice(), "--batch", "64", "--threads", "1", "--no-store",
    ]
    let a = work.appendingPathComponent("a")
    let b = work.appendingPathComponent("b")
    #expect(try CLI.run(["run", "--checkpoint-dir", a.path] + base, in: work).status == 0)
    #expect(
      try CLI.run(["run", "--checkpoint-dir", b.path, "--seed", "1"] + base, in: work).status == 0)
    for folder in [a, b] {
      try FileManager.default.removeItem(at: folder.appendingPathComponent("result.json"))
    }
    // b's checkpoint in a's folder: another run's.
    try FileManager.default.removeItem(at: a.appendingPathComponent("run.ckpt"))
    try FileManager.default.copyItem(
      at: b.appendingPathComponent("run.ckpt"), to: a.appendingPathComponent("run.ckpt"))
    let foreign = try CLI.run(["run", "--no-store", "--resume", a.path], in: work)
    #expect(foreign.status == 1)
    #expect(
      foreign.stderr.contains("run.ckpt: this checkpoint was saved by a run with other settings"))

    let checkpoint = b.appendingPathComponent("run.ckpt")
    var bytes = [UInt8](try Data(contentsOf: checkpoint))
    bytes[bytes.count / 3] ^= 0x5A
    try Data(bytes).write(to: checkpoint)
    let corrupt = try CLI.run(["run", "--no-store", "--resume", b.path], in: work)
    #expect(corrupt.status == 1)
    #expect(corrupt.stderr.contains("run.ckpt: the checkpoint is corrupt (checksum mismatch)"))

    let empty = try CLI.run(["run", "--no-store", "--resume", work.path], in: work)
    #expect(empty.status == 1 && empty.stderr.contains("not a run checkpoint folder"))
    let mixed = try CLI.run(["run", "--resume", a.path, "--strategy", "ewc"], in: work)
    #expect(mixed.status == 1 && mixed.stderr.contains("--resume continues a run"))
    let reused = try CLI.run(
      ["run", "--checkpoint-dir", a.path, "--strategy", "ewc"] + base, in: work)
    #expect(reused.status == 1 && reused.stderr.contains("holds another run's checkpoint"))
  }
}
