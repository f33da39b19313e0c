import ArgumentParser
import EngramContinual
import EngramData
import EngramLab
import EngramLinalg
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

  @Argument(parsing: .allUnrecognized, help: "Settings as --key value (see the list above).")
  var settings: [String] = []

  func run() throws {
    try reportingErrors {
      var resolved = try config.map { try RunConfig.load(URL(fileURLWithPath: $0)) } ?? RunConfig()
      try Run.apply(flags: settings, to: &resolved)
      BLASThreads.set(resolved.threads)
      let data = try DatasetResolver.load(resolved.dataset, seed: resolved.seed)
      let seed = resolved.seed
      let plan = try resolved.makePlan(data: data) { try DatasetResolver.load($0, seed: seed) }
      let progress = RunProgress(tasks: plan.stream.tasks.count, quiet: false)
      let result: ExperimentResult
      do {
        result = try ContinualExperiment(plan: plan).run(observer: progress.observe)
      } catch let interrupted as InterruptedExperiment {
        if json {
          // The JSON still carries what finished, so scripts keep partial results.
          try printJSON(
            RunReport(
              result: interrupted.partial, config: resolved, interrupted: "\(interrupted)"))
        } else if !interrupted.partial.accuracyMatrix.rows.isEmpty {
          FileHandle.standardError.write(
            Data(
              "results before the failure:\n\(RunReport.table(interrupted.partial, config: resolved))\n"
                .utf8))
        }
        throw interrupted
      }
      if json {
        try printJSON(RunReport(result: result, config: resolved))
      } else {
        print(RunReport.table(result, config: resolved))
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

/// Progress of a run on stderr: a bar per task on a terminal, one line per task otherwise.
final class RunProgress {
  let tasks: Int
  let reporter: ProgressReporter
  var current = 0
  var steps = 0

  init(tasks: Int, quiet: Bool) {
    self.tasks = tasks
    reporter = ProgressReporter(label: "task", quiet: quiet)
  }

  func observe(_ event: ExperimentEvent) {
    switch event {
    case .taskStarted(let index, let name, let steps):
      current = index
      self.steps = steps
      if !reporter.isTerminal {
        reporter.line("task \(index + 1)/\(tasks): \(name), \(steps) steps")
      }
    case .step(let report):
      if reporter.isTerminal && (report.step % 5 == 0 || report.step == report.totalSteps) {
        reporter.update(report.step, report.totalSteps, label: "task \(current + 1)/\(tasks)")
      }
    case .taskFinished(let index, let accuracies):
      if let accuracies {
        let seen = accuracies.prefix(index + 1)
        reporter.line(
          String(
            format: "after task %d: average accuracy on tasks seen %.4f", index + 1,
            seen.reduce(0, +) / Double(seen.count)))
      }
    }
  }
}
