import ArgumentParser
import EngramTheory
import Foundation

/// `engram theory forgetting --spec FILE`: forgetting of an explicit task sequence.
struct TheoryForgetting: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "forgetting",
    abstract: "Train a task sequence from a JSON spec and report its forgetting exactly.",
    discussion: """
      FILE: {"w_star": [...], "tasks": [{"rows": [[...], ...]}, ...], \
      "replay": {"task": INDEX, "rows": [[...]]}, "order": [...]}. replay and order are \
      optional; order lists 0-based task indices (default: each task once); replay rows are \
      added to that task's rows whenever it is trained. Labels are y = X·w_star.
      --json prints {"forgetting", "per_task", "weights", "normalization", \
      "expected_test_forgetting", "order"}: per_task[t] is task t's sum of squared errors at \
      the final weights.
      """)

  @Option(help: "The task-sequence spec (JSON).")
  var spec: String

  @Option(help: "m25 (average over the k−1 earlier iterations) or e22 (over all k).")
  var normalization: ForgettingNormalization = .m25

  @Flag(help: "Print one JSON object instead of a table.")
  var json = false

  @OptionGroup var common: TheoryCommonOptions

  struct Report: Encodable {
    let forgetting: Double
    let per_task: [Double]
    let weights: [Double]
    let normalization: String
    let expected_test_forgetting: Double
    let per_task_expected_test: [Double]
    let training_errors: [Double]
    let order: [Int]
  }

  func run() throws {
    try reportingErrors {
      common.apply()
      let spec = try RegressionSpec(contentsOf: URL(fileURLWithPath: self.spec))
      let run = try ContinualRegression(sequence: spec.sequence).train(order: spec.order, replay: spec.replay)
      let report = Report(
        forgetting: run.forgetting(normalization), per_task: run.taskLosses, weights: run.weights,
        normalization: normalization.rawValue,
        expected_test_forgetting: run.expectedTestForgetting(normalization),
        per_task_expected_test: run.expectedTestLosses, training_errors: run.trainingErrors,
        order: run.order)
      if json { return try printJSON(report) }
      print("Forgetting (\(normalization.rawValue), training samples): \(formatted(report.forgetting))")
      print("Expected forgetting over test samples (Proposition 3.4): \(formatted(report.expected_test_forgetting))")
      let replayNote = spec.replay.map { " (+\($0.rows.rows) replayed in task \($0.task))" } ?? ""
      print("Order: \(run.order.map(String.init).joined(separator: " → "))\(replayNote)")
      print("")
      var table = TextTable(["task", "samples", "loss (training)", "loss (expected test)"])
      for t in run.taskLosses.indices {
        table.add([
          "\(t)", "\(spec.sequence.tasks[t].rows)", formatted(run.taskLosses[t]),
          formatted(run.expectedTestLosses[t]),
        ])
      }
      print(table.rendered)
      print("")
      print("Final weights: [\(run.weights.map { formatted($0) }.joined(separator: ", "))]")
    }
  }
}
