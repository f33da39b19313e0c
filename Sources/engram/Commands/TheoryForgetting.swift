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
      A task may instead be {"basis": [[...]], "samples": N}: N Gaussian samples on the \
      basis's span (drawn with --seed). --order overrides the spec's order.
      --json prints {"forgetting", "per_task", "weights", "normalization", \
      "expected_test_forgetting", "expected_forgetting_random_w_star", ...}: perTask[t] is task \
      t's sum of squared errors at the final weights.
      """)

  @OptionGroup var input: SpecOptions

  @Option(help: "m25 (average over the k−1 earlier iterations) or e22 (over all k).")
  var normalization: ForgettingNormalization = .m25

  @Flag(help: "Print one JSON object instead of a table.")
  var json = false

  @OptionGroup var common: TheoryCommonOptions

  struct Report: Encodable {
    let forgetting: Double
    let perTask: [Double]
    let weights: [Double]
    let normalization: String
    let expectedTestForgetting: Double
    let expectedForgettingRandomWStar: Double
    let perTaskExpectedTest: [Double]
    let trainingErrors: [Double]
    let order: [Int]
  }

  func run() throws {
    try reportingErrors {
      common.apply()
      let (spec, sequence) = try input.load()
      let run = try ContinualRegression(sequence: sequence).train(
        order: spec.order, replay: spec.replay)
      let overWStar = try GroundTruthExpectation.forgetting(
        of: sequence, order: spec.order, replay: spec.replay, normalization: normalization)
      let report = Report(
        forgetting: run.forgetting(normalization), perTask: run.taskLosses, weights: run.weights,
        normalization: normalization.rawValue,
        expectedTestForgetting: run.expectedTestForgetting(normalization),
        expectedForgettingRandomWStar: overWStar,
        perTaskExpectedTest: run.expectedTestLosses, trainingErrors: run.trainingErrors,
        order: run.order)
      if json { return try printJSON(report) }
      print(
        "Forgetting (\(normalization.rawValue), training samples): \(formatted(report.forgetting))")
      print(
        "Expected forgetting over test samples (Proposition 3.4): \(formatted(report.expectedTestForgetting))"
      )
      print("… and over w* ~ N(0, I) (Proposition 3.6's trace formula): \(formatted(overWStar))")
      let replayNote = spec.replay.map { " (+\($0.rows.rows) replayed in task \($0.task))" } ?? ""
      print("Order: \(run.order.map(String.init).joined(separator: " → "))\(replayNote)")
      print("")
      var table = TextTable(["task", "samples", "loss (training)", "loss (expected test)"])
      for t in run.taskLosses.indices {
        table.add([
          "\(t)", "\(sequence.tasks[t].rows)", formatted(run.taskLosses[t]),
          formatted(run.expectedTestLosses[t]),
        ])
      }
      print(table.rendered)
      print("")
      print("Final weights: [\(run.weights.map { formatted($0) }.joined(separator: ", "))]")
    }
  }
}
