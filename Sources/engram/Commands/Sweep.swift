import ArgumentParser
import EngramContinual
import EngramIO
import EngramLab
import Foundation

/// `engram sweep`: a study over configurations × seeds.
struct Sweep: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a study (a grid of settings × seeds) locally or on Slurm, and summarise it.",
    subcommands: [
      SweepStart.self, SweepCollect.self, SweepResubmit.self, SweepSummaryCommand.self,
      SweepTask.self,
    ],
    defaultSubcommand: SweepStart.self)
}

/// `engram sweep --config SWEEP.yaml`.
struct SweepStart: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "start",
    abstract: "Run every configuration of a sweep file not already complete in the store.",
    discussion: """
      A sweep file (YAML) has name:, base: (or config: FILE), grid: (key: [values], every \
      combination), list: (explicit variants) and seeds: (a count or a list); see docs/lab.md. \
      Runs whose settings are already complete in the store are skipped, so re-running a \
      sweep finishes what is missing. --backend local runs --workers processes at once; \
      --backend slurm submits an sbatch --array job (collect results with engram sweep collect).
      """)

  @Option(help: "The sweep file (YAML).")
  var config: String

  @Option(help: "local (worker processes) or slurm (a job array).")
  var backend: String = "local"

  @Option(parsing: .unconditional, help: "Worker processes for the local backend (default: the number of cores).")
  var workers: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Slurm partition (default: the cluster's).")
  var partition: String?

  @Option(parsing: .unconditional, help: "CPUs per Slurm array task.")
  var cpusPerTask: Int = 1

  @Option(help: "The sweep's folder (default: next to the store, sweeps/ID).")
  var sweepDir: String?

  @Option(help: "The results store.")
  var store: String = ResultsStore.defaultPath

  func validate() throws {
    try FlagCheck.whole("--workers", workers, in: 1...1024)
    try FlagCheck.whole("--cpus-per-task", cpusPerTask, in: 1...1024)
  }

  func run() throws {
    try reportingErrors {
      guard ["local", "slurm"].contains(backend) else {
        throw CommandError(message: "--backend \(backend): choose local or slurm")
      }
      let definition = try SweepDefinition.load(URL(fileURLWithPath: config))
      let results = try ResultsStore(path: store)
      let folder = sweepDir.map { URL(fileURLWithPath: $0) }
      let reporter = ProgressReporter(label: "sweep")
      if backend == "slurm" {
        let launch = try SlurmBackend(partition: partition, cpusPerTask: cpusPerTask).submit(
          definition, store: results, folder: folder)
        print(
          "sweep \(launch.sweepID) '\(definition.name)': \(launch.total) runs, \(launch.skipped) already complete"
        )
        if let job = launch.jobID {
          print("submitted Slurm job \(job) (\(launch.total - launch.skipped) array tasks)")
        }
        print("folder: \(launch.folder.url.path)")
        print(
          "collect results with: engram sweep collect \(launch.sweepID) --store \(store)")
        return
      }
      let stop = StopRequest()
      SignalWatch.install(stop)
      let launch = try LocalBackend(workers: workers).run(
        definition, store: results, folder: folder, stop: stop
      ) { done, total, failed in
        if total > 0 {
          reporter.update(
            done, total,
            label: failed > 0 ? "sweep (\(failed) failed)" : "sweep")
        }
      }
      print(
        "sweep \(launch.sweepID) '\(definition.name)': \(launch.total) runs — \(launch.completed) run now, \(launch.skipped) already complete, \(launch.failed.count) failed"
      )
      for failure in launch.failed {
        print("  run \(failure.index) failed: \(failure.log)")
      }
      print("folder: \(launch.folder.url.path)")
      if launch.completed + launch.skipped > 0 {
        print("")
        print(try SweepTables.summary(SweepSummary.make(store: results, sweep: launch.sweepID)))
      }
      if let signal = launch.stoppedBy {
        let stopped = ExperimentStopped(signal: signal)
        FileHandle.standardError.write(
          Data(
            "sweep \(stopped): runs \(launch.unfinished.map(String.init).joined(separator: ", ")) did not finish; run the same command again to continue (complete runs are skipped)\n"
              .utf8))
        throw ExitCode(stopped.exitStatus)
      }
      if let first = launch.failed.first {
        // One error line on stderr, as every failing command ends; the list is above.
        var reason = first.log.split(separator: "\n").last.map(String.init) ?? ""
        if reason.hasPrefix("error: ") { reason.removeFirst("error: ".count) }
        throw CommandError(
          message:
            "\(launch.failed.count) of \(launch.total - launch.skipped) runs failed (run \(first.index): \(abbreviated(reason, limit: 300)))"
        )
      }
    }
  }
}

/// `engram sweep task DIR INDEX`: one run of a sweep, as a Slurm array task runs it.
struct SweepTask: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "task",
    abstract: "Run one run of a sweep folder and write its result file (what array tasks do).")

  @Argument(help: "The sweep folder.")
  var folder: String

  @Argument(help: "The run's index (SLURM_ARRAY_TASK_ID).")
  var index: Int

  @Option(parsing: .unconditional, help: "Iterations between checkpoints.")
  var checkpointEvery: Int = 100

  func validate() throws {
    try FlagCheck.whole("--checkpoint-every", checkpointEvery, in: 1...Int.max)
  }

  func run() throws {
    try reportingErrors {
      let stop = StopRequest()
      SignalWatch.install(stop)
      let record = try SlurmBackend.runTask(
        SweepFolder(URL(fileURLWithPath: folder)), index: index, checkpointEvery: checkpointEvery,
        stop: stop)
      let accuracy = record.result.map { RunMetrics($0)["average_accuracy"] ?? 0 } ?? 0
      print("run \(index): \(record.status.rawValue), average accuracy \(accuracy)")
    }
  }
}

/// Finds a sweep's folder from an id (or the newest sweep) or a path.
struct SweepReference: ParsableArguments {
  @Argument(help: "The sweep's id or folder (default: the newest sweep).")
  var sweep: String?

  @Option(help: "The results store.")
  var store: String = ResultsStore.defaultPath

  func resolve() throws -> (ResultsStore, SweepFolder) {
    let results = try ResultsStore(path: store, create: false)
    if let sweep, Int64(sweep) == nil {
      return (results, SweepFolder(URL(fileURLWithPath: sweep)))
    }
    let record = try results.sweep(sweep.flatMap { Int64($0) })
    guard let directory = record.directory else {
      throw CommandError(message: "sweep \(record.id) has no folder recorded")
    }
    return (results, SweepFolder(URL(fileURLWithPath: directory)))
  }
}

/// `engram sweep collect`.
struct SweepCollect: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "collect",
    abstract: "Merge a Slurm sweep's result files into the store; list failed and missing runs.")

  @OptionGroup var reference: SweepReference

  func run() throws {
    try reportingErrors {
      let (results, folder) = try reference.resolve()
      let report = try SlurmBackend.collect(folder, store: results)
      let done = report.total - report.missing.count - report.running.count - report.failed.count
      print(
        "\(report.total) runs: \(done) complete, \(report.running.count) queued or running, \(report.failed.count) failed, \(report.missing.count) missing (\(report.imported) merged now)"
      )
      for failure in report.failed { print("  run \(failure.index) failed: \(failure.message)") }
      if !report.missing.isEmpty {
        print("  missing: \(report.missing.map(String.init).joined(separator: ", "))")
      }
      if !report.failed.isEmpty || !report.missing.isEmpty {
        let manifest = try folder.manifest()
        print(
          "resubmit them with: engram sweep resubmit \(manifest.sweepID) --store \(reference.store)"
        )
      }
    }
  }
}

/// `engram sweep resubmit`.
struct SweepResubmit: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "resubmit",
    abstract: "Submit a Slurm sweep's failed and missing runs again (they resume from checkpoints)."
  )

  @OptionGroup var reference: SweepReference

  @Option(help: "Slurm partition (default: the cluster's).")
  var partition: String?

  func run() throws {
    try reportingErrors {
      let (results, folder) = try reference.resolve()
      let report = try SlurmBackend.collect(folder, store: results)
      let indices = report.failed.map(\.index) + report.missing
      guard let job = try SlurmBackend(partition: partition).resubmit(indices, folder: folder)
      else {
        print("nothing to resubmit: \(report.running.count) runs still queued or running")
        return
      }
      print(
        "submitted Slurm job \(job) for runs \(indices.sorted().map(String.init).joined(separator: ", "))"
      )
    }
  }
}

/// `engram sweep summary`.
struct SweepSummaryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "summary",
    abstract: "Mean, standard deviation and 95 % confidence interval over seeds, per configuration."
  )

  @Argument(
    parsing: .allUnrecognized,
    help: ArgumentHelp("The sweep's id (default: the newest).", valueName: "id"))
  var ids: [String] = []

  var sweep: Int64? { try? IDArguments.optional(ids, what: "sweep") }

  func validate() throws { _ = try IDArguments.optional(ids, what: "sweep") }

  @Option(help: "The results store.")
  var store: String = ResultsStore.defaultPath

  @Flag(help: "Print JSON.")
  var json = false

  @Flag(help: "Print CSV (one row per configuration and metric).")
  var csv = false

  func run() throws {
    try reportingErrors {
      guard !(json && csv) else { throw CommandError(message: "choose one of --json and --csv") }
      let summary = try SweepSummary.make(
        store: try ResultsStore(path: store, create: false), sweep: sweep)
      if json { return try printJSON(SweepTables.json(summary)) }
      if csv { return print(SweepTables.csv(summary), terminator: "") }
      print(SweepTables.summary(summary))
    }
  }
}

/// Text, CSV and JSON forms of a sweep summary.
enum SweepTables {
  static let shown = RunMetrics.summaryNames

  static func summary(_ s: SweepSummary) -> String {
    let metrics = shown.filter(s.metricNames.contains)
    var table = TextTable(s.varying + ["n"] + metrics)
    for group in s.groups {
      table.add(
        s.varying.map { group.settings[$0] ?? "" } + ["\(group.runIDs.count)"]
          + metrics.map { name in
            guard let m = group.metrics[name] else { return "" }
            let digits = name == "seconds" ? "%.1f" : "%.4f"
            guard let low = m.ciLow, let high = m.ciHigh else {
              return String(format: digits, m.mean)
            }
            return String(format: "\(digits) ± \(digits)", m.mean, (high - low) / 2)
          })
    }
    var lines = [
      "sweep \(s.sweep.id) '\(s.sweep.name)': mean ± 95 % CI over seeds (Student t)",
      table.rendered,
    ]
    if !s.incomplete.isEmpty {
      lines.append(
        "not included: "
          + s.incomplete.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(
            separator: ", "))
    }
    return lines.joined(separator: "\n")
  }

  static func csv(_ s: SweepSummary) -> String {
    var lines = [
      (s.varying + ["n", "metric", "mean", "sd", "ci_low", "ci_high"]).joined(separator: ",")
    ]
    for group in s.groups {
      for name in s.metricNames {
        guard let m = group.metrics[name] else { continue }
        lines.append(
          (s.varying.map { csvField(group.settings[$0] ?? "") } + [
            "\(m.n)", name, "\(m.mean)", "\(m.sd)", m.ciLow.map { "\($0)" } ?? "",
            m.ciHigh.map { "\($0)" } ?? "",
          ]).joined(separator: ","))
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  struct JSONGroup: Encodable {
    let settings: [String: String]
    let runIds: [Int64]
    let seeds: [UInt64]
    let metrics: [String: SweepSummary.Metric]
  }

  struct JSONSummary: Encodable {
    let sweepId: Int64
    let name: String
    let varying: [String]
    let groups: [JSONGroup]
    let incomplete: [String: Int]
  }

  static func json(_ s: SweepSummary) -> JSONSummary {
    JSONSummary(
      sweepId: s.sweep.id, name: s.sweep.name, varying: s.varying,
      groups: s.groups.map {
        JSONGroup(settings: $0.settings, runIds: $0.runIDs, seeds: $0.seeds, metrics: $0.metrics)
      }, incomplete: s.incomplete)
  }
}
