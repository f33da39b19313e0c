import ArgumentParser
import EngramContinual
import EngramData
import EngramLab
import EngramLinalg
import EngramTensorBoard
import Foundation

/// `engram run`: a continual-learning run from a YAML config and/or flags.
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a network on a stream of tasks with a strategy, and measure forgetting.",
    discussion: """
      Settings come from the defaults (the reference protocol: Split Fashion-MNIST, \
      class-incremental, 5 tasks, MLP 784-400-400-10, SGD lr 0.01 momentum 0.9, batch 128, \
      1 epoch per task, naive), then --config FILE.yaml, then flags. Every key works as a YAML \
      key (snake_case) and as a flag:

      \(RunConfig.fields.map { "  \($0.flag) <\($0.kind.expected)>\n      \($0.help)" }.joined(separator: "\n"))

      --json prints one object: accuracy_matrix, average_accuracy, forgetting (Chaudhry), \
      forgetting_drop, bwt, fwt (with --fwt), fwt_zero_shot, learning_accuracy, \
      average_incremental_accuracy, intransigence, min_acc, wc_acc, windowed_forgetting and \
      curves (with --eval-every), task_losses, seconds, training_seconds, evaluation_seconds, \
      training_flops, peak_memory_bytes, memory_buffer_bytes, parameters, config.
      """)

  @Option(help: "A YAML file of settings (flags override it).")
  var config: String?

  @Flag(help: "Print one JSON object.")
  var json = false

  @OptionGroup var storage: StoreOptions

  @Option(
    help:
      "Save checkpoints (model, optimiser, strategy state, random streams, results so far) here."
  )
  var checkpointDir: String?

  @Option(parsing: .unconditional, help: "Also checkpoint every N iterations (default: at task ends only).")
  var checkpointEvery: Int?

  @Option(help: "Continue the run saved in this checkpoint folder (its settings are reused).")
  var resume: String?

  @Option(
    help:
      "Also write TensorBoard event files here: one sub-folder per run (ID-STRATEGY), updated while it trains."
  )
  var tensorboard: String?

  @Option(parsing: .unconditional, help: .hidden) var sweepId: Int64?
  @Option(parsing: .unconditional, help: .hidden) var sweepIndex: Int?

  @Argument(parsing: .allUnrecognized, help: "Settings as --key value (see the list above).")
  var settings: [String] = []

  func run() throws {
    try reportingErrors {
      if let every = checkpointEvery, every < 1 {
        throw CommandError(message: "--checkpoint-every must be at least 1 (iterations)")
      }
      var options = RunOptions(
        storePath: storage.path,
        checkpointDirectory: checkpointDir.map { URL(fileURLWithPath: $0) },
        checkpointEvery: checkpointEvery, sweepID: sweepId, sweepIndex: sweepIndex)
      let board = try tensorboard.map { try TensorBoardListener(root: URL(fileURLWithPath: $0)) }
      options.listener = board
      defer {
        // The run's results are in the store whatever happened to its TensorBoard copy.
        if let failure = board?.failure {
          FileHandle.standardError.write(
            Data("warning: TensorBoard output stopped: \(failure)\n".utf8))
        }
      }
      let stop = StopRequest()
      options.stop = stop
      SignalWatch.install(stop)
      if sweepId != nil { SweepWorker.stopWithParent() }
      let progress = RunProgress(quiet: false)
      let outcome: RunOutcome
      do {
        if let resume {
          guard config == nil, settings.isEmpty, checkpointDir == nil else {
            throw CommandError(
              message:
                "--resume continues a run with its own saved settings; give no --config, --checkpoint-dir or other settings"
            )
          }
          options.checkpointDirectory = URL(fileURLWithPath: resume)
          outcome = try LabRun.resume(
            URL(fileURLWithPath: resume), options: options, observer: progress.observe)
        } else {
          var resolved =
            try config.map { try RunConfig.load(URL(fileURLWithPath: $0)) } ?? RunConfig()
          try Run.apply(flags: settings, to: &resolved)
          let unread = resolved.unreadSettings
          if !unread.isEmpty {
            FileHandle.standardError.write(
              Data(
                "note: \(unread.joined(separator: ", ")) \(unread.count == 1 ? "has" : "have") no effect on strategy \(resolved.strategy) (engram strategies lists what each reads)\n"
                  .utf8))
          }
          outcome = try LabRun.execute(resolved, options: options, observer: progress.observe)
        }
      } catch let failed as FailedRun {
        let resolved = try RunConfig(json: failed.record.config, file: "run record")
        let stopped = (failed.underlying as? InterruptedExperiment)?.underlying as? ExperimentStopped
        if let partial = failed.record.result {
          if json {
            // The JSON still carries what finished, so scripts keep partial results.
            try printJSON(
              RunReport(
                result: partial, metrics: RunMetrics(partial), config: resolved,
                interrupted: "\(failed)", id: failed.id))
          } else if !partial.accuracyMatrix.rows.isEmpty {
            FileHandle.standardError.write(
              Data(
                "results before the failure:\n\(RunReport.table(partial, metrics: RunMetrics(partial), config: resolved))\n".utf8)
            )
          }
        }
        if let stopped {
          FileHandle.standardError.write(Data("\(failed.record.message ?? "\(stopped)")\n".utf8))
          throw ExitCode(stopped.exitStatus)
        }
        throw failed
      }
      let resolved = try RunConfig(json: outcome.record.config, file: "run record")
      if json {
        try printJSON(
          RunReport(
            result: outcome.result, metrics: outcome.metrics, config: resolved, id: outcome.id))
      } else {
        print(RunReport.table(outcome.result, metrics: outcome.metrics, config: resolved))
        if let id = outcome.id {
          print("\nstored as run \(id) in \(options.storePath ?? "")")
        }
        if let folder = board?.folder, board?.failure == nil {
          print("TensorBoard: \(folder.path) (tensorboard --logdir \(board?.root.path ?? ""))")
        }
      }
    }
  }

  /// Parses `--key value`, `--key=value` and bare boolean `--key` into the configuration.
  static func apply(flags: [String], to config: inout RunConfig) throws {
    var i = 0
    while i < flags.count {
      let token = flags[i]
      guard token.hasPrefix("--") else {
        throw CommandError(
          message: "unexpected argument '\(token)'; settings are given as --key value")
      }
      var key = String(token.dropFirst(2))
      var value: String? = nil
      if let equals = key.firstIndex(of: "=") {
        value = String(key[key.index(after: equals)...])
        key = String(key[..<equals])
      }
      guard let field = RunConfig.field(named: key) else {
        throw ConfigError.unknownKey(
          key: "--" + key, file: nil, line: nil, valid: RunConfig.fields.map(\.flag))
      }
      if value == nil {
        if case .bool = field.kind, i + 1 >= flags.count || flags[i + 1].hasPrefix("--") {
          value = "true"
        } else {
          guard i + 1 < flags.count else {
            throw CommandError(message: "\(field.flag) needs a value: \(field.kind.expected)")
          }
          i += 1
          value = flags[i]
        }
      }
      try config.set(field.key, text: value ?? "")
      i += 1
    }
  }
}

/// Progress of a run on stderr: a bar per task with the run's rate and ETA on a terminal,
/// one line per task otherwise.
final class RunProgress {
  var tasks = 0
  var reporter: ProgressReporter
  var current = 0
  var stepsDone = 0
  var stepsPlanned = 0

  init(quiet: Bool) {
    reporter = ProgressReporter(label: "task", quiet: quiet)
  }

  func observe(_ event: ExperimentEvent) {
    switch event {
    case .started(let tasks, let from):
      self.tasks = tasks
      reporter = ProgressReporter(label: "task", quiet: reporter.quiet)
      if from > 0 { reporter.line("continuing at task \(from + 1)/\(tasks)") }
    case .taskStarted(let index, let name, let steps):
      current = index
      stepsPlanned = steps
      if !reporter.isTerminal {
        reporter.line("task \(index + 1)/\(tasks): \(name), \(steps) steps")
      }
    case .step(let report):
      stepsDone += 1
      if reporter.isTerminal && (report.step % 5 == 0 || report.step == report.totalSteps) {
        // The ETA assumes the remaining tasks take as many steps as this one.
        let remainingTasks = max(0, tasks - current - 1)
        reporter.update(
          report.step, report.totalSteps, label: "task \(current + 1)/\(tasks)",
          rateOf: stepsDone,
          remaining: report.totalSteps - report.step + remainingTasks * report.totalSteps)
      }
    case .taskFinished(let index, let accuracies):
      if let accuracies {
        let seen = accuracies.prefix(index + 1)
        reporter.line(
          String(
            format: "after task %d: average accuracy on tasks seen %.4f", index + 1,
            seen.reduce(0, +) / Double(seen.count)))
      }
    case .measured:
      break
    }
  }
}
