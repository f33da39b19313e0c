import EngramContinual
import EngramLab
import EngramTestSupport
import Foundation
import GRDB
import Testing

/// A small finished record with a 2 × 2 accuracy matrix and curves.
func sampleRecord(label: String = "replay", seed: UInt64 = 0, accuracy: Double = 0.8) -> RunRecord {
  var config = RunConfig()
  config.strategy = (try? StrategySelection(parsing: label)) ?? .naive
  config.seed = seed
  let result = ExperimentResult(
    accuracyMatrix: AccuracyMatrix(rows: [[0.9, 0.1], [accuracy, 0.95]]), untrainedAccuracy: [],
    referenceAccuracy: nil,
    curves: ContinualEvaluation(
      points: [[.init(iteration: 5, accuracy: 0.9), .init(iteration: 10, accuracy: 0.8)], []],
      taskEnds: [5, 10]),
    taskLosses: [0.5, 0.4],
    cost: CostReport(
      seconds: 1.5, trainingSeconds: 1, evaluationSeconds: 0.5, trainingFLOPs: 1e9,
      peakMemoryBytes: 1_000_000, memoryBufferBytes: 4000, parameterCount: 100))
  return RunRecord(
    kind: .network, status: .complete, runKey: config.runKey, label: label, seed: seed,
    config: config.json, finishedAt: Date(), result: result)
}

@Suite("Results store")
struct StoreTests {
  func storePath() throws -> String {
    try Fixtures.temporaryDirectory("store").appendingPathComponent("results.sqlite").path
  }

  @Test("a run round-trips: record, tidy rows, metrics computed once, delete cascades")
  func roundTrip() throws {
    let store = try ResultsStore(path: try storePath())
    let record = sampleRecord()
    let id = try store.insert(record)
    let back = try store.record(id: id)
    let texts = (try ResultsStore.json(back), try ResultsStore.json(record))
    #expect(back == record, "\(texts.0)\n\(texts.1)")
    let summary = try #require(try store.summaries().first)
    #expect(summary.metrics["average_accuracy"] == (0.8 + 0.95) / 2)
    #expect(summary.metrics["forgetting"].map { abs($0 - 0.1) < 1e-12 } == true)
    #expect(try store.completedKeys() == [record.runKey])
    let folder = try Fixtures.temporaryDirectory("export")
    let written = try store.exportCSV(to: folder)
    #expect(written.first { $0.file == "accuracies.csv" }?.rows == 4)
    #expect(written.first { $0.file == "curves.csv" }?.rows == 2)
    let runs = try String(contentsOf: folder.appendingPathComponent("runs.csv"), encoding: .utf8)
    #expect(runs.contains("config_strategy") && runs.contains(",replay,"))
    try store.delete(id: id)
    #expect(try store.summaries().isEmpty)
    #expect(throws: StoreError.self) { try store.record(id: id) }
    let empty = try store.exportCSV(to: folder)
    #expect(empty.allSatisfy { $0.rows == 0 })
  }

  @Test("several connections writing at once lose nothing")
  func concurrentWriters() async throws {
    let path = try storePath()
    _ = try ResultsStore(path: path)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for writer in 0..<6 {
        group.addTask {
          // Each task opens its own store, as a separate process would.
          let store = try ResultsStore(path: path)
          for i in 0..<15 {
            try store.insert(sampleRecord(seed: UInt64(writer * 100 + i)))
          }
        }
      }
      try await group.waitForAll()
    }
    let runs = try ResultsStore(path: path).summaries()
    #expect(runs.count == 90)
    #expect(Set(runs.map(\.seed)).count == 90)
  }

  @Test("a store locked by another writer fails after the wait, and nothing is written")
  func locked() throws {
    let path = try storePath()
    let store = try ResultsStore(path: path)
    try store.insert(sampleRecord())
    let blocked = try ResultsStore(path: path, busyTimeout: 0.3)
    let holder = try DatabaseQueue(path: path)
    try holder.inTransaction(.exclusive) { db in
      #expect(throws: StoreError.locked(path: path, seconds: 0.3)) {
        try blocked.insert(sampleRecord(seed: 1))
      }
      // Opening the store still works while another process writes.
      let readable = try ResultsStore(path: path, busyTimeout: 0.3).summaries()
      #expect(readable.count == 1)
      return .rollback
    }
    #expect(try store.summaries().count == 1)
  }

  @Test("a corrupt file or another program's database is refused and left untouched")
  func foreignFiles() throws {
    let path = try storePath()
    let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) })
    try garbage.write(to: URL(fileURLWithPath: path))
    do {
      _ = try ResultsStore(path: path)
      Issue.record("opened a corrupt file")
    } catch let error as StoreError {
      #expect("\(error)".contains("not a readable results store"))
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)

    let other = try storePath()
    try DatabaseQueue(path: other).write { db in
      try db.execute(sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine')")
    }
    let before = try Data(contentsOf: URL(fileURLWithPath: other))
    #expect(throws: StoreError.foreign(path: other)) { try ResultsStore(path: other) }
    // Not a byte changed: no WAL switch (header bytes 18–19), no page added, no -wal file.
    #expect(try Data(contentsOf: URL(fileURLWithPath: other)) == before)
    #expect(!FileManager.default.fileExists(atPath: other + "-wal"))
    let notes = try DatabaseQueue(path: other).read {
      try String.fetchAll($0, sql: "SELECT text FROM notes")
    }
    #expect(notes == ["mine"])
    #expect(throws: StoreError.self) { try ResultsStore(path: try storePath(), create: false) }
    // A database with only a view, or only a user_version, is another program's too.
    for statement in ["CREATE VIEW v AS SELECT 1", "PRAGMA user_version = 7"] {
      let path = try storePath()
      try DatabaseQueue(path: path).write { try $0.execute(sql: statement) }
      let before = try Data(contentsOf: URL(fileURLWithPath: path))
      #expect(throws: StoreError.foreign(path: path)) { try ResultsStore(path: path) }
      #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "\(statement)")
    }
  }

  @Test(
    "the configuration's JSON reads back to the same configuration; the run key ignores threads")
  func configJSON() throws {
    var config = RunConfig()
    try config.set("strategy", text: "replay+ewc")
    try config.set("memory", text: "300")
    config.lr = 0.03
    config.groups = [[0, 1], [2, 3, 4]]
    config.customTasks = [CustomTaskConfig(dataset: "x", classes: [1], rotation: 45)]
    config.benchmark = .custom
    config.seed = 12
    let back = try RunConfig(json: config.json, file: "config.json")
    #expect(back == config)
    var threaded = config
    threaded.threads = 7
    #expect(threaded.runKey == config.runKey && threaded.json != config.json)
    threaded.seed = 13
    #expect(threaded.runKey != config.runKey)
  }

  @Test("another program's database whose schema is still in its -wal file is refused untouched")
  func foreignWAL() throws {
    let source = try storePath()
    let queue = try DatabaseQueue(path: source)
    try queue.writeWithoutTransaction { db in
      _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
      try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
      try db.execute(sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine')")
    }
    // Copied while the writer is open: the schema lives only in the -wal file.
    let path = try storePath()
    try FileManager.default.copyItem(atPath: source, toPath: path)
    try FileManager.default.copyItem(atPath: source + "-wal", toPath: path + "-wal")
    let before = try [path, path + "-wal"].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
    #expect(throws: StoreError.foreign(path: path)) { try ResultsStore(path: path) }
    let after = try [path, path + "-wal"].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
    #expect(before == after)
    try queue.close()
  }
}
