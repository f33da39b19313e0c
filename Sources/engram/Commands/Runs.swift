import ArgumentParser
import EngramContinual
import EngramLab
import EngramTensorBoard
import Foundation

/// `engram runs`: what the results store holds.
struct Runs: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List, show, export and delete stored runs.",
    subcommands: [RunsList.self, RunsShow.self, RunsExport.self, RunsDelete.self])
}

/// The `--store` option shared by commands that read the store.
struct StoreOption: ParsableArguments {
  @Option(help: "The results store (SQLite).")
  var store: String = ResultsStore.defaultPath

  /// Opens an existing store.
  func open() throws -> ResultsStore { try ResultsStore(path: store, create: false) }
}

/// `engram runs list`.
struct RunsList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "One line per run: id, status, strategy, seed, sweep, metrics, time.",
    discussion: """
      --where KEY=VALUE (repeatable) keeps runs whose KEY equals VALUE. KEY is a column \
      (id, status, kind, label, strategy, seed, sweep) or any configuration key \
      (e.g. memory=500, scenario=class, lr=0.01); values are compared as the key's type.
      """)

  @OptionGroup var storeOption: StoreOption

  @Option(name: .customLong("where"), help: "KEY=VALUE filter (repeatable).")
  var filters: [String] = []

  @Flag(help: "Print a JSON array.")
  var json = false

  @Flag(help: "Print CSV.")
  var csv = false

  func run() throws {
    try reportingErrors {
      guard !(json && csv) else { throw CommandError(message: "choose one of --json and --csv") }
      let filter = try RunFilter(filters)
      let runs = try storeOption.open().summaries().filter(filter.matches)
      let columns = [
        "id", "status", "kind", "strategy", "seed", "sweep", "average_accuracy", "forgetting",
        "seconds", "started",
      ]
      let rows: [[String]] = runs.map { run in
        [
          "\(run.id)", run.status.rawValue, run.kind.rawValue, run.label, "\(run.seed)",
          run.sweepID.map { "\($0)" } ?? "", run.metrics["average_accuracy"].map(format) ?? "",
          run.metrics["forgetting"].map(format) ?? "",
          run.seconds.map { String(format: "%.1f", $0) } ?? "", run.startedAt,
        ]
      }
      if json {
        let objects = runs.map { run in
          ListedRun(
            id: run.id, status: run.status.rawValue, kind: run.kind.rawValue, label: run.label,
            seed: run.seed, sweepId: run.sweepID, sweepIndex: run.sweepIndex,
            codeVersion: run.codeVersion, startedAt: run.startedAt, finishedAt: run.finishedAt,
            seconds: run.seconds, metrics: run.metrics, message: run.message)
        }
        return try printJSON(objects)
      }
      if csv {
        print(columns.joined(separator: ","))
        for row in rows { print(row.map(csvField).joined(separator: ",")) }
        return
      }
      var table = TextTable(columns)
      for row in rows { table.add(row) }
      print(table.rendered)
      print("\(runs.count) run\(runs.count == 1 ? "" : "s") in \(storeOption.store)")
    }
  }

  func format(_ value: Double) -> String { String(format: "%.4f", value) }

  struct ListedRun: Encodable {
    let id: Int64
    let status: String
    let kind: String
    let label: String
    let seed: UInt64
    let sweepId: Int64?
    let sweepIndex: Int?
    let codeVersion: String
    let startedAt: String
    let finishedAt: String?
    let seconds: Double?
    let metrics: [String: Double]
    let message: String?
  }
}

/// Quotes a CSV field when it needs it.
func csvField(_ field: String) -> String {
  field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
    ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
}


/// `engram runs show`.
struct RunsShow: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "A stored run: its settings, accuracy matrix and metrics.")

  @OptionGroup var storeOption: StoreOption

  @Argument(
    parsing: .allUnrecognized, help: ArgumentHelp("The run's id (see engram runs list).", valueName: "id"))
  var ids: [String] = []

  var id: Int64 { (try? IDArguments.one(ids, what: "run")) ?? 0 }

  func validate() throws { _ = try IDArguments.one(ids, what: "run") }

  @Flag(help: "Print the whole stored record as JSON.")
  var json = false

  func run() throws {
    try reportingErrors {
      let record = try storeOption.open().record(id: id)
      if json {
        print(try ResultsStore.json(record))
        return
      }
      print("run \(id): \(record.kind.rawValue), \(record.status.rawValue)")
      print("code: \(record.codeVersion) on \(record.host)")
      print(
        "started \(ISO8601DateFormatter().string(from: record.startedAt))"
          + (record.finishedAt.map { ", finished \(ISO8601DateFormatter().string(from: $0))" }
            ?? ""))
      if let sweep = record.sweepID { print("sweep \(sweep), index \(record.sweepIndex ?? 0)") }
      if let message = record.message { print("stopped: \(message)") }
      print("")
      if let result = record.result,
        let config = try? RunConfig(json: record.config, file: "run \(id)")
      {
        print(RunReport.table(result, metrics: RunMetrics(result), config: config))
      }
      if let points = record.theory {
        var table = TextTable([
          points.first?.parameterName ?? "parameter", "with replay", "± stderr", "no replay",
          "ratio", "harmful",
        ])
        for p in points {
          table.add([
            String(format: "%g", p.parameter), String(format: "%.5f", p.expectedForgetting),
            String(format: "%.5f", p.standardError), String(format: "%.5f", p.noReplay),
            p.ratio.map { String(format: "%.3f", $0) } ?? "–", p.harmful ? "harmful" : "",
          ])
        }
        print(table.rendered)
      }
      if let study = record.study { print(studyText(study)) }
      print("\nsettings: \(record.config)")
    }
  }
}

/// `engram runs export`.
struct RunsExport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract:
      "Write the store as tidy CSV tables (runs, metrics, accuracies, curves, …) or as TensorBoard event files.",
    discussion: """
      --csv DIR: runs.csv has one row per run with every metric and configuration key as a \
      column (config_*); metrics.csv, accuracies.csv, task_results.csv, curves.csv, \
      theory_points.csv and sweeps.csv have one observation per row, joined on run_id. \
      pandas: pd.read_csv("DIR/accuracies.csv").merge(pd.read_csv("DIR/runs.csv"), on="run_id").
      --tensorboard DIR [IDS…]: one sub-folder per network run (ID-STRATEGY; default every \
      stored network run) with scalars accuracy/task_N, accuracy/average, loss/task_mean, \
      metrics/NAME and the accuracy matrix and settings as text; tensorboard --logdir DIR \
      shows them. A sub-folder that holds another run's files is never written into.
      """)

  @OptionGroup var storeOption: StoreOption

  @Option(help: "The folder to write the CSV files into.")
  var csv: String?

  @Option(help: "The folder to write TensorBoard event files into (one sub-folder per run).")
  var tensorboard: String?

  @Flag(help: "Replace files in the CSV folder even when Engram did not write them.")
  var force = false

  @Argument(
    parsing: .allUnrecognized,
    help: ArgumentHelp("Runs to write as TensorBoard files (default: every network run).", valueName: "id"))
  var ids: [String] = []

  func validate() throws {
    guard csv != nil || tensorboard != nil else {
      throw ValidationError("give --csv DIR or --tensorboard DIR (or both)")
    }
    if tensorboard == nil, !ids.isEmpty {
      throw ValidationError("run ids choose what --tensorboard writes; --csv writes the whole store")
    }
    _ = try IDArguments.many(ids, what: "run")
  }

  func run() throws {
    try reportingErrors {
      let store = try storeOption.open()
      if let csv {
        let written = try store.exportCSV(to: URL(fileURLWithPath: csv), force: force)
        for (file, rows) in written { print("\(csv)/\(file): \(rows) rows") }
      }
      if let tensorboard {
        let root = URL(fileURLWithPath: tensorboard)
        try TensorBoardRun.checkRoot(root)
        let chosen = try IDArguments.many(ids, what: "run")
        let runs =
          chosen.isEmpty
          ? try store.summaries().filter { $0.kind == .network }.map(\.id) : chosen
        for id in runs {
          let record = try store.record(id: id)
          guard record.kind == .network else {
            throw CommandError(
              message: "run \(id) is a \(record.kind.rawValue) run; TensorBoard files are written for network runs")
          }
          let folder = try TensorBoardRun.export(record, id: id, root: root)
          print("run \(id): \(folder.path)")
        }
        if runs.isEmpty { print("no network runs in \(storeOption.store)") }
        print("view with: tensorboard --logdir \(root.path)")
      }
    }
  }
}

/// `engram runs delete`.
struct RunsDelete: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete", abstract: "Delete a stored run and its rows.")

  @OptionGroup var storeOption: StoreOption

  @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The run's id.", valueName: "id"))
  var ids: [String] = []

  var id: Int64 { (try? IDArguments.one(ids, what: "run")) ?? 0 }

  func validate() throws { _ = try IDArguments.one(ids, what: "run") }

  func run() throws {
    try reportingErrors {
      try storeOption.open().delete(id: id)
      print("deleted run \(id) from \(storeOption.store)")
    }
  }
}
