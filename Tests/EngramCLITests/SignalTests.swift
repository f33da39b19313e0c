import EngramLab
import EngramTestSupport
import Foundation
import Testing

/// SIGINT and SIGTERM: a run saves, records itself as interrupted and exits 130 / 143; a sweep
/// forwards the signal to its workers and says which runs did not finish.
@Suite("Signals")
struct SignalTests {
  func slice() throws -> String {
    try #require(fmnistSlice, "dataset-fashion-mnist is not installed").path
  }

  /// Starts engram with `arguments` in `work`, returning the process and its stderr pipe.
  func start(_ arguments: [String], in work: URL) throws -> (Process, Pipe) {
    let process = Process()
    process.executableURL = CLI.executable
    process.arguments = arguments
    process.currentDirectoryURL = work
    let err = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = err
    try process.run()
    return (process, err)
  }

  /// Waits until `condition` holds or `seconds` pass.
  func wait(_ seconds: Double, until condition: () -> Bool) {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() && Date() < deadline { usleep(20_000) }
  }

  @Test(
    "a signalled run saves, is stored as interrupted, exits 128 + signal, and resumes exactly",
    arguments: [SIGINT, SIGTERM])
  func run(signal: Int32) throws {
    let settings = [
      "--dataset", try slice(), "--strategy", "replay", "--memory", "100", "--batch", "16",
      "--epochs", "4", "--threads", "1",
    ]
    let work = try Fixtures.temporaryDirectory("signal")
    let whole = try CLI.run(["run", "--json", "--no-store"] + settings, in: work)
    #expect(whole.status == 0, "\(whole.stderr)")
    let store = work.appendingPathComponent("results.sqlite").path
    let folder = work.appendingPathComponent("ckpt").path
    let (process, err) = try start(
      ["run", "--store", store, "--checkpoint-dir", folder, "--checkpoint-every", "5"] + settings,
      in: work)
    wait(60) { FileManager.default.fileExists(atPath: folder + "/run.ckpt") }
    #expect(process.isRunning, "the run ended before it could be signalled")
    kill(process.processIdentifier, signal)
    process.waitUntilExit()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationStatus == 128 + signal, "\(stderr)")
    #expect(stderr.contains("continue with --resume \(folder)"), "\(stderr)")
    let records = try ResultsStore(path: store).summaries()
    #expect(records.map(\.status) == [.interrupted])

    let resumed = try CLI.run(["run", "--json", "--store", store, "--resume", folder], in: work)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let keys = ["accuracy_matrix", "task_losses"]
    let a = try JSONSerialization.jsonObject(with: Data(whole.stdout.utf8)) as? [String: Any]
    let b = try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [String: Any]
    for key in keys {
      #expect("\(a?[key] ?? "")" == "\(b?[key] ?? "")", "\(key)")
    }
    #expect(try ResultsStore(path: store).summaries().map(\.status) == [.complete])
  }

  @Test("resuming a folder into another store never writes over that store's run of the same id")
  func resumeIntoAnotherStore() throws {
    let settings = [
      "--dataset", try slice(), "--batch", "16", "--epochs", "4", "--threads", "1",
    ]
    let work = try Fixtures.temporaryDirectory("other-store")
    let first = work.appendingPathComponent("first.sqlite").path
    let other = work.appendingPathComponent("other.sqlite").path
    let folder = work.appendingPathComponent("ckpt").path
    let (process, _) = try start(
      ["run", "--store", first, "--checkpoint-dir", folder, "--checkpoint-every", "5"] + settings,
      in: work)
    wait(60) { FileManager.default.fileExists(atPath: folder + "/run.ckpt") }
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
    // Another store whose run 1 is unrelated.
    let unrelated = try CLI.run(
      ["run", "--store", other, "--dataset", try slice(), "--batch", "256", "--seed", "9"], in: work)
    #expect(unrelated.status == 0, "\(unrelated.stderr)")
    let before = try ResultsStore(path: other).record(id: 1)
    let resumed = try CLI.run(["run", "--store", other, "--resume", folder], in: work)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let after = try ResultsStore(path: other).record(id: 1)
    #expect(after.config == before.config && after.seed == 9 && after.uid == before.uid)
    #expect(try ResultsStore(path: other).summaries().count == 2)
    // The first store's interrupted row stays as it was.
    #expect(try ResultsStore(path: first).summaries().map(\.status) == [.interrupted])
  }

  @Test("SIGTERM to a sweep reaches its workers; none is left running, none left `running`")
  func sweep() throws {
    let work = try Fixtures.temporaryDirectory("signal-sweep")
    let file = work.appendingPathComponent("sweep.yaml")
    try """
      name: signalled
      base: {dataset: \(try slice()), batch: 16, epochs: 6, threads: 1, strategy: replay}
      grid: {memory: [50, 100, 150, 200]}
      """.write(to: file, atomically: true, encoding: .utf8)
    let store = work.appendingPathComponent("results.sqlite").path
    let (process, err) = try start(
      ["sweep", "start", "--config", file.path, "--workers", "2", "--store", store], in: work)
    wait(60) { ((try? ResultsStore(path: store).summaries().count) ?? 0) >= 2 }
    usleep(300_000)
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationStatus == 143, "\(stderr)")
    #expect(stderr.contains("did not finish"), "\(stderr)")
    let statuses = try ResultsStore(path: store).summaries().map(\.status)
    #expect(!statuses.contains(.running), "\(statuses)")
    #expect(statuses.contains(.interrupted), "\(statuses)")
    // No worker outlives the sweep: no process is left whose command line names this store.
    wait(10) { processes(naming: store).isEmpty }
    #expect(processes(naming: store).isEmpty)
  }

  /// Process ids whose command line contains `text`.
  func processes(naming text: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.filter { pid in
      guard pid.allSatisfy(\.isNumber),
        let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
      else { return false }
      return String(decoding: data, as: UTF8.self).contains(text)
    }
  }
}
