import EngramTheory
import Foundation
import GRDB

extension ResultsStore {
  /// Writes the store as tidy CSV tables into `folder` — `runs.csv` (one row per run with
  /// every configuration key and metric as a column), `metrics.csv`, `accuracies.csv`,
  /// `task_results.csv` (with long streams' online and task-end accuracy), `diagnostics.csv`
  /// (plasticity diagnostics: run, task, layer, measure, value), `example_forgetting.csv` (per
  /// training example: presentations, learning and forgetting events), `curves.csv`, `theory_points.csv`, `study_points.csv`, `study_seeds.csv`
  /// (every seed × arm of a network replay study) and `sweeps.csv` (one observation per row;
  /// join on `run_id`). Returns each file's row count.
  /// - Throws: `StoreError`; file-system errors.
  @discardableResult
  public func exportCSV(to folder: URL, force: Bool = false) throws -> [(file: String, rows: Int)] {
    try OutputFile.makeFolder(folder, flag: "--csv")
    var written: [(String, Int)] = []
    let summaries = try summaries()
    var configKeys: [String] = []
    var configs: [[String: String]] = []
    for run in summaries {
      let values = Self.flatConfig(run.config)
      for key in values.keys.sorted() where !configKeys.contains(key) { configKeys.append(key) }
      configs.append(values)
    }
    let metricNames = RunMetrics.names
    var lines = [
      CSVLine.join(
        [
          "run_id", "kind", "status", "label", "seed", "sweep_id", "sweep_index", "run_key",
          "code_version", "started_at", "finished_at", "seconds", "peak_memory_bytes", "message",
        ] + metricNames + configKeys.map { "config_" + $0 })
    ]
    for (run, config) in zip(summaries, configs) {
      let fields: [String?] = [
        "\(run.id)", run.kind.rawValue, run.status.rawValue, run.label, "\(run.seed)",
        run.sweepID.map { "\($0)" }, run.sweepIndex.map { "\($0)" }, run.runKey, run.codeVersion,
        run.startedAt, run.finishedAt, run.seconds.map { "\($0)" },
        run.peakMemoryBytes.map { "\($0)" }, run.message,
      ]
      lines.append(
        CSVLine.join(
          fields.map { $0 ?? "" } + metricNames.map { run.metrics[$0].map { "\($0)" } ?? "" }
            + configKeys.map { config[$0] ?? "" }))
    }
    try write(lines, "runs.csv", into: folder, force: force, count: &written)
    let tables: [(String, String)] = [
      ("metrics.csv", "SELECT run_id, name, value FROM metrics ORDER BY run_id, name"),
      (
        "accuracies.csv",
        "SELECT run_id, after_task, task, accuracy FROM accuracies ORDER BY run_id, after_task, task"
      ),
      (
        "task_results.csv",
        "SELECT run_id, task, loss, untrained_accuracy, reference_accuracy, end_iteration, online_accuracy, task_end_accuracy, online_error FROM task_results ORDER BY run_id, task"
      ),
      (
        "example_forgetting.csv",
        "SELECT run_id, task, example, presentations, learning_events, forgetting_events, never_learned FROM example_forgetting ORDER BY run_id, task, example"
      ),
      (
        "diagnostics.csv",
        "SELECT run_id, task, layer, measure, value FROM diagnostics ORDER BY run_id, task, measure, layer"
      ),
      (
        "curves.csv",
        "SELECT run_id, task, iteration, accuracy FROM curves ORDER BY run_id, task, iteration"
      ),
      (
        "theory_points.csv",
        "SELECT run_id, parameter_name, parameter, expected_forgetting, stderr, no_replay, ratio, harmful, turn FROM theory_points ORDER BY run_id, parameter"
      ),
      (
        "study_points.csv",
        "SELECT run_id, series, x, label, count, mean, sd, ci_low, ci_high, difference, difference_low, difference_high, p_value, paired_p_value, harmful, helpful FROM study_points ORDER BY run_id, series, x"
      ),
      (
        "sweeps.csv",
        "SELECT id AS sweep_id, name, backend, directory, total, created_at FROM sweeps ORDER BY id"
      ),
    ]
    try write(try studySeedLines(summaries), "study_seeds.csv", into: folder, force: force, count: &written)
    for (file, sql) in tables {
      let lines = try guarded {
        try pool.read { db -> [String] in
          let cursor = try Row.fetchCursor(db, sql: sql)
          var lines: [String] = []
          while let row = try cursor.next() {
            if lines.isEmpty { lines.append(CSVLine.join(Array(row.columnNames))) }
            lines.append(
              CSVLine.join(
                row.databaseValues.map { value in
                  switch value.storage {
                  case .null: return ""
                  case .int64(let v): return "\(v)"
                  case .double(let v): return "\(v)"
                  case .string(let v): return v
                  case .blob: return ""
                  }
                }))
          }
          return lines
        }
      }
      let header = lines.isEmpty ? [CSVLine.join(Self.columns(of: sql))] : []
      try write(header + lines, file, into: folder, force: force, count: &written)
    }
    return written
  }

  /// One row per seed and arm of every stored network study: the raw outcomes behind
  /// `study_points`, for per-seed analyses (e.g. the spread of paired differences).
  private func studySeedLines(_ summaries: [RunSummary]) throws -> [String] {
    var lines = [
      CSVLine.join([
        "run_id", "seed", "arm", "memory", "examples", "forgetting", "accuracy_before",
        "accuracy_after", "new_task_accuracy",
      ])
    ]
    for run in summaries where run.kind == .study {
      for outcome in try record(id: run.id).study?.seeds ?? [] {
        let before = Statistics.mean(outcome.accuracyBefore)
        for arm in outcome.arms {
          lines.append(
            CSVLine.join([
              "\(run.id)", "\(outcome.seed)", arm.name, "\(arm.memory)",
              arm.examples.map { "\($0.task):\($0.index)" }.joined(separator: " "),
              "\(arm.forgetting)", "\(before)", "\(Statistics.mean(arm.accuracyAfter))",
              "\(arm.newTaskAccuracy)",
            ]))
        }
      }
    }
    return lines
  }

  private func write(
    _ lines: [String], _ file: String, into folder: URL, force: Bool, count: inout [(String, Int)]
  ) throws {
    // An earlier export of the same table starts with the same header: that one is replaced.
    let url = folder.appendingPathComponent(file)
    try OutputFile.check(
      url, marker: lines.first ?? file, force: force, store: path, flag: "--csv")
    try writeAtomically(lines.joined(separator: "\n") + "\n", to: url)
    count.append((file, lines.count - 1))
  }

  /// Column names of a `SELECT a, b AS c FROM …` statement (headers of empty tables).
  static func columns(of sql: String) -> [String] {
    let list = sql.dropFirst("SELECT ".count).components(separatedBy: " FROM ")[0]
    return list.split(separator: ",").map {
      String($0.trimmingCharacters(in: .whitespaces).components(separatedBy: " AS ").last!)
    }
  }

  /// A configuration's JSON as flat text values (lists joined by spaces): what reports, exports
  /// and TensorBoard's settings table show.
  public static func flatConfig(_ json: String) -> [String: String] {
    guard
      case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    else { return [:] }
    func text(_ value: JSONValue) -> String? {
      switch value {
      case .null: return nil
      case .bool(let b): return b ? "true" : "false"
      case .number(let n):
        return n.rounded() == n && abs(n) < 1e15 ? "\(Int64(n))" : "\(n)"
      case .string(let s): return s
      case .array(let list): return list.compactMap(text).joined(separator: " ")
      case .object(let dict):
        return dict.keys.sorted().compactMap { k in text(dict[k]!).map { "\(k)=\($0)" } }
          .joined(separator: " ")
      }
    }
    return object.compactMapValues(text)
  }
}

/// RFC 4180 quoting for one CSV line.
enum CSVLine {
  static func join(_ fields: [String]) -> String {
    fields.map { field in
      field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }.joined(separator: ",")
  }
}
