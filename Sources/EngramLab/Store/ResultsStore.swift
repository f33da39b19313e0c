import EngramContinual
import EngramIO
import Foundation
import GRDB

/// The results store: an SQLite file (WAL mode) holding every run and sweep.
///
/// Each run is one row of `runs` (its configuration as JSON, status, code version, timings,
/// and the whole `RunRecord` as JSON) plus tidy tables for queries and export: `metrics`,
/// `accuracies` (the matrix, one cell a row), `task_results`, `curves`, `theory_points` and
/// `study_points` (replay studies).
/// Every write is one IMMEDIATE transaction, so several processes (a sweep's workers) can
/// write at once: a writer waits up to `busyTimeout` for another and then fails with
/// `StoreError.locked`, leaving the file as it was. A file that is not a store is never
/// modified.
public final class ResultsStore: @unchecked Sendable {
  /// Where the store lives unless `--store` says otherwise.
  public static let defaultPath = ".engram/results.sqlite"
  /// The schema version this code writes (`PRAGMA user_version`).
  public static let schemaVersion = 3
  /// Marks the file as Engram's (`PRAGMA application_id`, "ENGR").
  static let applicationID: Int32 = 0x454E_4752

  /// The file.
  public let path: String
  /// How long a write waits for another process before failing.
  public let busyTimeout: TimeInterval
  let pool: DatabasePool

  /// Opens the store at `path`, creating it (and its folder) when `create` and missing.
  /// - Throws: `StoreError` for a missing store (when not creating), a corrupt or foreign file,
  ///   a store locked longer than `busyTimeout`, or one made by a newer Engram.
  public init(path: String, create: Bool = true, busyTimeout: TimeInterval = 30) throws {
    self.path = path
    self.busyTimeout = busyTimeout
    let exists = FileManager.default.fileExists(atPath: path)
    guard exists || create else {
      throw StoreError.missing(path: path)
    }
    if !exists {
      let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
      try OutputFile.makeFolder(folder, flag: "--store")
    }
    // Opening a pool switches the file to WAL mode: another program's database is recognised
    // first, read-only, so it is refused without a byte changed.
    if exists { try Self.refuseForeign(path: path, timeout: busyTimeout) }
    var configuration = Configuration()
    configuration.busyMode = .timeout(busyTimeout)
    configuration.label = "engram-store"
    do {
      pool = try DatabasePool(path: path, configuration: configuration)
    } catch {
      throw Self.translate(error, path: path, timeout: busyTimeout)
    }
    try guarded { try self.prepareSchema() }
  }

  /// Throws unless the file at `path` is empty, a database without a schema, or an Engram
  /// store — read from the SQLite header's bytes, without opening a connection (a read-only
  /// connection cannot recover a WAL left by a killed writer, and a writable one would switch a
  /// foreign file to WAL mode).
  /// - Throws: `StoreError.foreign` or `.corrupt`.
  static func refuseForeign(path: String, timeout: TimeInterval) throws {
    let header: Data
    do {
      header = try InputFile.head(path, bytes: 100)
    } catch let error as InputFileError {
      throw StoreError.corrupt(path: path, reason: error.reason)
    }
    guard !header.isEmpty else { return }
    let magic = Data("SQLite format 3\u{0}".utf8)
    guard header.count == 100, header.prefix(16) == magic else {
      throw StoreError.corrupt(path: path, reason: "not an SQLite database")
    }
    // A database whose last writes still sit in its `-wal` file has its newest first page
    // there: an empty-looking header may hide another program's schema.
    let newest = SQLiteWAL.newestFirstPage(of: path + "-wal", prefix: 100) ?? header
    func word(_ offset: Int) -> UInt32 {
      newest[(newest.startIndex + offset)..<(newest.startIndex + offset + 4)].reduce(0) {
        $0 << 8 | UInt32($1)
      }
    }
    let application = Int32(bitPattern: word(68))
    let schemaCookie = word(40)
    let userVersion = word(60)
    // Ours, or a database nothing was ever put in (no schema, no version, no application).
    guard application == applicationID || (application == 0 && schemaCookie == 0 && userVersion == 0)
    else {
      throw StoreError.foreign(path: path)
    }
  }

  /// Maps SQLite's errors to messages that say what to do.
  static func translate(_ error: Error, path: String, timeout: TimeInterval) -> Error {
    guard let error = error as? DatabaseError else { return error }
    switch error.resultCode {
    case .SQLITE_NOTADB, .SQLITE_CORRUPT:
      return StoreError.corrupt(path: path, reason: error.message ?? "not a database")
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      return StoreError.locked(path: path, seconds: timeout)
    default:
      return StoreError.database(path: path, message: error.message ?? "\(error)")
    }
  }

  func guarded<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as StoreError {
      throw error
    } catch {
      throw Self.translate(error, path: path, timeout: busyTimeout)
    }
  }

  /// Creates the tables of a new store, or checks an existing one. Runs in one IMMEDIATE
  /// transaction, so processes opening a new store together create it once.
  private func prepareSchema() throws {
    // A store already set up needs no write lock (another process may be writing).
    let (version, application) = try pool.read { db in
      (
        try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
        try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
      )
    }
    if version == Self.schemaVersion && application == Self.applicationID { return }
    try pool.write { db in
      let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
      let application = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
      if version > Self.schemaVersion {
        throw StoreError.tooNew(path: path, version: version, supported: Self.schemaVersion)
      }
      if version == Self.schemaVersion {
        guard application == Self.applicationID else { throw StoreError.foreign(path: path) }
        return
      }
      if (1...2).contains(version) && application == Self.applicationID {
        // Version 1 had no replay studies, version 2 no long-stream measures; the rest is as
        // it was.
        if version == 1 { try db.execute(sql: Self.studyTables) }
        try Self.addPlasticityTables(db)
        try db.execute(sql: "PRAGMA user_version = \(Self.schemaVersion)")
        return
      }
      let tables =
        try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
      guard tables == 0, application == 0 else { throw StoreError.foreign(path: path) }
      try db.execute(sql: Self.schema)
      try db.execute(sql: Self.studyTables)
      try Self.addPlasticityTables(db)
      try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)")
      try db.execute(sql: "PRAGMA user_version = \(Self.schemaVersion)")
    }
  }

  static let schema = """
    CREATE TABLE sweeps (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      definition TEXT NOT NULL,
      backend TEXT NOT NULL,
      directory TEXT,
      total INTEGER NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL,
      status TEXT NOT NULL,
      run_key TEXT NOT NULL,
      sweep_id INTEGER REFERENCES sweeps(id) ON DELETE SET NULL,
      sweep_index INTEGER,
      label TEXT NOT NULL,
      seed INTEGER NOT NULL,
      config TEXT NOT NULL,
      code_version TEXT NOT NULL,
      host TEXT NOT NULL,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      seconds REAL,
      training_seconds REAL,
      evaluation_seconds REAL,
      training_flops REAL,
      peak_memory_bytes INTEGER,
      memory_buffer_bytes INTEGER,
      parameters INTEGER,
      message TEXT,
      record TEXT NOT NULL
    );
    CREATE INDEX runs_by_key ON runs(run_key, status);
    CREATE INDEX runs_by_sweep ON runs(sweep_id);
    CREATE TABLE metrics (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      value REAL NOT NULL,
      PRIMARY KEY (run_id, name)
    );
    CREATE TABLE accuracies (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      after_task INTEGER NOT NULL,
      task INTEGER NOT NULL,
      accuracy REAL NOT NULL,
      PRIMARY KEY (run_id, after_task, task)
    );
    CREATE TABLE task_results (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      task INTEGER NOT NULL,
      loss REAL,
      untrained_accuracy REAL,
      reference_accuracy REAL,
      end_iteration INTEGER,
      PRIMARY KEY (run_id, task)
    );
    CREATE TABLE curves (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      task INTEGER NOT NULL,
      iteration INTEGER NOT NULL,
      accuracy REAL NOT NULL,
      PRIMARY KEY (run_id, task, iteration)
    );
    CREATE TABLE theory_points (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      parameter_name TEXT NOT NULL,
      parameter REAL NOT NULL,
      expected_forgetting REAL NOT NULL,
      stderr REAL NOT NULL,
      no_replay REAL NOT NULL,
      ratio REAL,
      harmful INTEGER NOT NULL,
      turn TEXT,
      PRIMARY KEY (run_id, parameter)
    );
    """

  /// Tables added in schema version 2.
  /// Version 3: per-task online and task-end accuracy, online error (regression), each
  /// example's forgetting events, and the plasticity diagnostics (one
  /// value per task, layer and measure; layer −1 for measures of the whole network).
  /// Idempotent, so that a store written by any earlier version upgrades.
  static func addPlasticityTables(_ db: Database) throws {
    let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(task_results)").map {
      $0["name"] as String
    }
    for column in ["online_accuracy", "task_end_accuracy", "online_error"]
    where !columns.contains(column) {
      try db.execute(sql: "ALTER TABLE task_results ADD COLUMN \(column) REAL")
    }
    try db.execute(
      sql: """
        CREATE TABLE IF NOT EXISTS example_forgetting (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          task INTEGER NOT NULL,
          example INTEGER NOT NULL,
          presentations INTEGER NOT NULL,
          learning_events INTEGER NOT NULL,
          forgetting_events INTEGER NOT NULL,
          never_learned INTEGER NOT NULL,
          PRIMARY KEY (run_id, task, example)
        );
        """)
    try db.execute(
      sql: """
        CREATE TABLE IF NOT EXISTS diagnostics (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          task INTEGER NOT NULL,
          layer INTEGER NOT NULL,
          measure TEXT NOT NULL,
          value REAL NOT NULL,
          PRIMARY KEY (run_id, task, layer, measure)
        );
        """)
  }

  static let studyTables = """
    CREATE TABLE study_points (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      series TEXT NOT NULL,
      x REAL NOT NULL,
      label TEXT NOT NULL,
      count INTEGER NOT NULL,
      mean REAL NOT NULL,
      sd REAL,
      ci_low REAL,
      ci_high REAL,
      difference REAL,
      difference_low REAL,
      difference_high REAL,
      p_value REAL,
      paired_p_value REAL,
      harmful INTEGER NOT NULL,
      helpful INTEGER NOT NULL,
      PRIMARY KEY (run_id, series, label)
    );
    """
}

// MARK: - Runs

extension ResultsStore {
  /// Adds a run (usually `running`, finished later with `update`); returns its id.
  /// - Throws: `StoreError`.
  @discardableResult
  public func insert(_ record: RunRecord) throws -> Int64 {
    try guarded {
      try pool.write { db in
        try db.execute(
          sql: """
            INSERT INTO runs (kind, status, run_key, sweep_id, sweep_index, label, seed, config,
              code_version, host, started_at, record)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}')
            """,
          arguments: [
            record.kind.rawValue, record.status.rawValue, record.runKey, record.sweepID,
            record.sweepIndex, record.label, Int64(bitPattern: record.seed), record.config,
            record.codeVersion, record.host, Self.timestamp(record.startedAt),
          ])
        let id = db.lastInsertedRowID
        try Self.write(record, id: id, db: db)
        return id
      }
    }
  }

  /// Replaces run `id`'s record (status, results, timings) in one transaction; `metrics`, when
  /// the caller has computed them, are stored as given.
  /// - Throws: `StoreError.unknown` when there is no such run.
  public func update(id: Int64, with record: RunRecord, metrics: RunMetrics? = nil) throws {
    try guarded {
      try pool.write { db in
        guard try Int.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [id]) != nil
        else {
          throw StoreError.unknown(
            kind: "run", id: "\(id)", hint: "it may have been deleted while it ran")
        }
        try Self.write(record, metrics: metrics, id: id, db: db)
      }
    }
  }

  /// Writes a record's columns and tidy rows for run `id` (inside a write transaction).
  private static func write(
    _ record: RunRecord, metrics: RunMetrics? = nil, id: Int64, db: Database
  ) throws {
    let cost = record.result?.cost
    try db.execute(
      sql: """
        UPDATE runs SET status = ?, run_key = ?, sweep_id = ?, sweep_index = ?, label = ?,
          seed = ?, config = ?, code_version = ?, host = ?, started_at = ?, finished_at = ?,
          seconds = ?, training_seconds = ?, evaluation_seconds = ?, training_flops = ?,
          peak_memory_bytes = ?, memory_buffer_bytes = ?, parameters = ?, message = ?, record = ?
        WHERE id = ?
        """,
      arguments: [
        record.status.rawValue, record.runKey, record.sweepID, record.sweepIndex, record.label,
        Int64(bitPattern: record.seed), record.config, record.codeVersion, record.host,
        timestamp(record.startedAt), record.finishedAt.map(timestamp),
        cost?.seconds ?? record.finishedAt.map { $0.timeIntervalSince(record.startedAt) },
        cost?.trainingSeconds, cost?.evaluationSeconds, cost?.trainingFLOPs,
        cost?.peakMemoryBytes, cost?.memoryBufferBytes, cost?.parameterCount, record.message,
        try encode(record), id,
      ])
    for table in [
      "metrics", "accuracies", "task_results", "curves", "theory_points", "study_points",
      "diagnostics", "example_forgetting",
    ] {
      try db.execute(sql: "DELETE FROM \(table) WHERE run_id = ?", arguments: [id])
    }
    if let result = record.result {
      for (name, value) in (metrics ?? RunMetrics(result)).values where value.isFinite {
        try db.execute(
          sql: "INSERT INTO metrics (run_id, name, value) VALUES (?, ?, ?)",
          arguments: [id, name, value])
      }
      let cell = try db.makeStatement(
        sql: "INSERT INTO accuracies (run_id, after_task, task, accuracy) VALUES (?, ?, ?, ?)")
      for (i, row) in result.accuracyMatrix.rows.enumerated() {
        for (j, accuracy) in row.enumerated() {
          try cell.execute(arguments: [id, i, j, accuracy])
        }
      }
      let tasks = max(
        result.taskLosses.count, result.untrainedAccuracy.count, result.onlineError?.count ?? 0,
        result.referenceAccuracy?.count ?? 0, result.curves?.taskEnds.count ?? 0)
      func at(_ values: [Double]?, _ t: Int) -> Double? {
        values.flatMap { $0.indices.contains(t) && $0[t].isFinite ? $0[t] : nil }
      }
      let taskRow = try db.makeStatement(
        sql: """
          INSERT INTO task_results (run_id, task, loss, untrained_accuracy, reference_accuracy,
            end_iteration, online_accuracy, task_end_accuracy, online_error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """)
      for t in 0..<tasks {
        try taskRow.execute(arguments: [
          id, t, at(result.taskLosses, t), at(result.untrainedAccuracy, t),
          at(result.referenceAccuracy, t),
          result.curves.flatMap { $0.taskEnds.indices.contains(t) ? $0.taskEnds[t] : nil },
          at(result.onlineAccuracy, t), at(result.taskEndAccuracy, t), at(result.onlineError, t),
        ])
      }
      let measure = try db.makeStatement(
        sql: "INSERT INTO diagnostics (run_id, task, layer, measure, value) VALUES (?, ?, ?, ?, ?)")
      for d in result.diagnostics ?? [] {
        for (name, layer, value) in d.measurements where value.isFinite {
          try measure.execute(arguments: [id, d.task, layer, name, value])
        }
      }
      let example = try db.makeStatement(
        sql: """
          INSERT INTO example_forgetting (run_id, task, example, presentations, learning_events,
            forgetting_events, never_learned) VALUES (?, ?, ?, ?, ?, ?, ?)
          """)
      for (task, events) in (result.exampleForgetting ?? []).enumerated() {
        for i in 0..<events.count where events.presentations(of: i) > 0 {
          try example.execute(arguments: [
            id, task, i, events.presentations(of: i), events.learningEvents(of: i),
            events.forgettingEvents(of: i), events.neverLearned(i),
          ])
        }
      }
      if let curves = result.curves {
        let point = try db.makeStatement(
          sql: "INSERT INTO curves (run_id, task, iteration, accuracy) VALUES (?, ?, ?, ?)")
        for (task, points) in curves.points.enumerated() {
          for p in points { try point.execute(arguments: [id, task, p.iteration, p.accuracy]) }
        }
      }
    }
    for series in record.study?.series ?? [] {
      for p in series.points {
        try db.execute(
          sql: """
            INSERT INTO study_points (run_id, series, x, label, count, mean, sd, ci_low, ci_high,
              difference, difference_low, difference_high, p_value, paired_p_value, harmful,
              helpful) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            id, series.name, p.x, p.label, p.count, p.mean,
            p.standardDeviation.isFinite ? p.standardDeviation : nil, p.ciLow, p.ciHigh,
            p.difference, p.differenceLow, p.differenceHigh, p.pValue, p.pairedPValue, p.harmful,
            p.helpful,
          ])
      }
    }
    for p in record.theory ?? [] {
      try db.execute(
        sql: """
          INSERT INTO theory_points (run_id, parameter_name, parameter, expected_forgetting,
            stderr, no_replay, ratio, harmful, turn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          id, p.parameterName, p.parameter, p.expectedForgetting, p.standardError, p.noReplay,
          p.ratio, p.harmful, p.turn,
        ])
    }
  }

  /// Run `id`'s whole record.
  /// - Throws: `StoreError.unknown` for an id not in the store.
  public func record(id: Int64) throws -> RunRecord {
    let json = try guarded {
      try pool.read { db in
        try String.fetchOne(db, sql: "SELECT record FROM runs WHERE id = ?", arguments: [id])
      }
    }
    guard let json else {
      throw StoreError.unknown(
        kind: "run", id: "\(id)", hint: "engram runs list shows the ids in \(path)")
    }
    return try Self.decode(
      json, path: path, what: "run \(id)'s record",
      fix: "delete the run with engram runs delete \(id)")
  }

  /// Deletes run `id` and its rows.
  /// - Throws: `StoreError.unknown` for an id not in the store.
  public func delete(id: Int64) throws {
    try guarded {
      try pool.write { db in
        try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [id])
        guard db.changesCount > 0 else {
          throw StoreError.unknown(
            kind: "run", id: "\(id)", hint: "engram runs list shows the ids in \(path)")
        }
      }
    }
  }

  /// Run keys of the complete runs (sweeps skip these).
  public func completedKeys() throws -> Set<String> {
    try guarded {
      try pool.read { db in
        Set(
          try String.fetchAll(
            db, sql: "SELECT run_key FROM runs WHERE status = 'complete'"))
      }
    }
  }

  /// Every run's summary, oldest first (optionally one sweep's).
  public func summaries(sweep: Int64? = nil) throws -> [RunSummary] {
    try guarded {
      try pool.read { db in
        let rows = try Row.fetchAll(
          db,
          sql: """
            SELECT id, kind, status, run_key, sweep_id, sweep_index, label, seed, config,
              code_version, started_at, finished_at, seconds, peak_memory_bytes, message
            FROM runs \(sweep == nil ? "" : "WHERE sweep_id = ?") ORDER BY id
            """, arguments: sweep.map { [$0] } ?? [])
        var metrics: [Int64: [String: Double]] = [:]
        for row in try Row.fetchAll(
          db,
          sql: sweep == nil
            ? "SELECT run_id, name, value FROM metrics"
            : "SELECT run_id, name, value FROM metrics WHERE run_id IN (SELECT id FROM runs WHERE sweep_id = ?)",
          arguments: sweep.map { [$0] } ?? [])
        {
          metrics[row["run_id"], default: [:]][row["name"]] = row["value"]
        }
        return rows.map { row in
          let id: Int64 = row["id"]
          let seed: Int64 = row["seed"]
          return RunSummary(
            id: id, kind: RunRecord.Kind(rawValue: row["kind"]) ?? .network,
            status: RunRecord.Status(rawValue: row["status"]) ?? .failed, runKey: row["run_key"],
            sweepID: row["sweep_id"], sweepIndex: row["sweep_index"], label: row["label"],
            seed: UInt64(bitPattern: seed), config: row["config"], codeVersion: row["code_version"],
            startedAt: row["started_at"], finishedAt: row["finished_at"],
            seconds: row["seconds"], peakMemoryBytes: row["peak_memory_bytes"],
            message: row["message"], metrics: metrics[id] ?? [:])
        }
      }
    }
  }

  static func timestamp(_ date: Date) -> String {
    ISO8601DateFormatter().string(from: date)
  }

  static func encode(_ record: RunRecord) throws -> String {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .deferredToDate
    encoder.outputFormatting = .sortedKeys
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return String(decoding: try encoder.encode(record), as: UTF8.self)
  }

  /// Reads a record written by `encode` (also the format of a cluster task's result file).
  /// - Parameters:
  ///   - what: the record, as the message names it ("run 3's record", "the result file").
  ///   - fix: what the user can do about a damaged one.
  /// - Throws: `StoreError.damagedRecord` naming `path`, the field and the fix when it does
  ///   not parse.
  public static func decode(
    _ json: String, path: String, what: String = "the run record",
    fix: String = "delete the file to run again"
  ) throws -> RunRecord {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .deferredToDate
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let record: RunRecord
    do {
      record = try decoder.decode(RunRecord.self, from: Data(json.utf8))
    } catch {
      throw StoreError.damagedRecord(
        path: path, what: what, reason: decodingProblem(error), fix: fix)
    }
    // Engram writes each key once; a second one (a hand edit, a bad merge) would win silently.
    if let duplicate = JSONDuplicateKeys.first(in: json.utf8) {
      throw StoreError.damagedRecord(
        path: path, what: what,
        reason: "\(duplicate.path) is given twice (lines \(duplicate.firstLine) and \(duplicate.line))",
        fix: fix)
    }
    return record
  }

  /// A run record as JSON text (result files, exports).
  public static func json(_ record: RunRecord) throws -> String { try encode(record) }
}

/// A row of `engram runs list`.
public struct RunSummary: Sendable, Equatable {
  /// The run's id.
  public let id: Int64
  /// Network, theory or replay study.
  public let kind: RunRecord.Kind
  /// Running, complete or failed.
  public let status: RunRecord.Status
  /// The configuration's identity.
  public let runKey: String
  /// Its sweep and index there.
  public let sweepID: Int64?
  /// Index in the sweep.
  public let sweepIndex: Int?
  /// Strategy or construction.
  public let label: String
  /// Seed.
  public let seed: UInt64
  /// Resolved configuration (JSON).
  public let config: String
  /// Code version.
  public let codeVersion: String
  /// ISO 8601 start.
  public let startedAt: String
  /// ISO 8601 end.
  public let finishedAt: String?
  /// Wall time.
  public let seconds: Double?
  /// Peak memory.
  public let peakMemoryBytes: Int?
  /// Failure message.
  public let message: String?
  /// Final metrics.
  public let metrics: [String: Double]
}
