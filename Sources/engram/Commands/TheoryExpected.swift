import ArgumentParser
import EngramLinalg
import EngramRandom
import EngramTheory
import Foundation

/// `engram theory expected`: expected forgetting with and without m random replay samples.
struct TheoryExpected: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "expected",
    abstract: "Expected forgetting with and without replay of m random samples of an earlier task.",
    discussion: """
      Give a built-in --construction (w* scaled so that a = 1: values for another w* are these \
      times a²) or your own --spec. The expectation is over the replayed samples: exact by \
      enumeration when there are at most --draws possible memories, else Monte Carlo with \
      the standard error shown. Without replay the value is exact. Forgetting is measured as \
      in the construction's paper (training samples for worst-case/two-lines/Evron, the \
      expectation over test samples otherwise); --measure overrides it.
      --json prints {"expected_forgetting", "expected_forgetting_no_replay", "ratio", \
      "stderr", ...}; ratio is null when nothing is forgotten without replay.
      """)

  @OptionGroup var shape: ConstructionOptions

  @OptionGroup var input: SpecOptions

  @Option(parsing: .unconditional, help: "With --spec: the task whose samples are replayed (0-based).")
  var from: Int = 0

  @Option(parsing: .unconditional, help: "With --spec: the task that replays them (default: the last task trained).")
  var into: Int?

  @Option(parsing: .unconditional, help: "Replayed samples m.")
  var memory: Int = 1

  @Option(
    help:
      "random (expectation over memories), greedy-min or greedy-max (one chosen memory; needs a pool of rows)."
  )
  var policy: ReplayPolicy = .random

  @OptionGroup var expectation: ExpectationOptions

  @Flag(help: "Print one JSON object instead of a table.")
  var json = false

  @OptionGroup var common: TheoryCommonOptions

  struct Report: Encodable {
    let expectedForgetting: Double
    let expectedForgettingNoReplay: Double
    let ratio: Nullable<Double>
    let stderr: Double
    let memory: Int
    let draws: Int
    let method: String
    let source: String
    let measure: String
    let normalization: String
    let closedForm: Nullable<Double>
    let closedFormNoReplay: Nullable<Double>
    let policy: String
    let chosenRows: Nullable<[Int]>
  }

  func validate() throws {
    try FlagCheck.whole("--from", from, in: 0...Int.max)
    try FlagCheck.whole("--into", into, in: 0...Int.max)
    try FlagCheck.whole("--memory", memory, in: 0...Int.max)
  }

  func run() throws {
    try reportingErrors {
      common.apply()
      let seed = input.seed
      let streams = RandomStreams(seed: seed)
      let experiment: ReplayExperiment
      var closedForm: Double? = nil
      var closedFormNoReplay: Double? = nil
      let source: String
      if let spec = input.spec {
        guard shape.construction == nil else {
          throw CommandError(message: "give either --construction or --spec, not both")
        }
        let (parsed, sequence) = try input.load()
        guard from >= 0, from < sequence.count else {
          throw CommandError(
            message: "--from \(from) is not a task of \(spec) (it has \(sequence.count))")
        }
        if let into, into >= sequence.count {
          throw CommandError(
            message: "--into \(into) is not a task of \(spec) (it has \(sequence.count))")
        }
        do {
          experiment = try ReplayExperiment(
            sequence: sequence, order: parsed.order, replayTask: into ?? parsed.order.last ?? 0,
            pool: try parsed.sources[from].pool(sampled: sequence.tasks[from]), poolTask: from,
            measure: expectation.measure ?? (parsed.isRandom ? .expectedTest : .trainingSamples),
            normalization: expectation.normalization ?? .m25)
        } catch TheoryError.invalidSpec(_, "replay.task", let problem) where into != nil {
          // The library speaks of the spec's replay task; here --into chose it.
          throw CommandError(message: "--into \(into ?? 0): \(problem)")
        }
        source = URL(fileURLWithPath: spec).lastPathComponent
      } else {
        try shape.requireSingleValues()
        var noise = streams.stream(.noise)
        let instance = try shape.build().instance(using: &noise)
        experiment = try instance.experiment(
          measure: expectation.measure, normalization: expectation.normalization)
        let sameMeasure =
          experiment.measure == instance.measure
          && experiment.normalization == instance.normalization
        if sameMeasure {
          closedForm = instance.closedFormReplay[memory]
          closedFormNoReplay = instance.closedFormNoReplay
        }
        source = instance.name
      }
      var replay = streams.stream(.replay, worker: memory)
      var chosen: ChosenMemory? = nil
      let estimate: ExpectationEstimate
      if policy == .random {
        estimate = try experiment.expectedForgetting(
          memory: memory, draws: expectation.draws, using: &replay)
      } else {
        let memoryChoice = try experiment.chooseMemory(size: memory, policy: policy)
        chosen = memoryChoice
        estimate = ExpectationEstimate(
          mean: memoryChoice.forgetting, standardError: 0, draws: 1, method: .deterministic)
        closedForm = nil
      }
      let baseline = experiment.noReplayForgetting
      let point = SweepPoint(parameter: Double(memory), withReplay: estimate, noReplay: baseline)
      let report = Report(
        expectedForgetting: estimate.mean, expectedForgettingNoReplay: baseline,
        ratio: Nullable(point.ratio), stderr: estimate.standardError, memory: memory,
        draws: estimate.draws,
        method: estimate.method.rawValue, source: source, measure: experiment.measure.rawValue,
        normalization: experiment.normalization.rawValue, closedForm: Nullable(closedForm),
        closedFormNoReplay: Nullable(closedFormNoReplay), policy: policy.rawValue,
        chosenRows: Nullable(chosen?.indices))
      if json { return try printJSON(report) }
      let how = policy == .random ? "random" : policy.rawValue
      print(
        "\(source): replay of m = \(memory) sample\(memory == 1 ? "" : "s") (\(how)) of task \(experiment.poolTask) into task \(experiment.replayTask)"
      )
      print(
        "measure: \(report.measure), normalization: \(report.normalization), \(estimate.method.rawValue) over \(estimate.draws) memor\(estimate.draws == 1 ? "y" : "ies"), seed \(seed)"
      )
      if let chosen {
        print(
          "\(policy.rawValue) chose rows \(chosen.indices.map(String.init).joined(separator: ", ")) of task \(experiment.poolTask)"
        )
      }
      print("")
      var table = TextTable(["", "forgetting", "± stderr", "closed form"])
      table.add(["without replay", formatted(baseline), "exact", formatted(closedFormNoReplay)])
      table.add([
        "with replay", formatted(estimate.mean),
        estimate.standardError > 0 ? formatted(estimate.standardError, digits: 2) : "exact",
        formatted(closedForm),
      ])
      print(table.rendered)
      print("")
      print("ratio with/without: \(formatted(point.ratio, digits: 4))")
      let annotated = SweepAnalysis.annotate([point])[0]
      if annotated.harmful {
        print(
          estimate.standardError > 0
            ? "Replay INCREASES forgetting here (by more than 1.96 standard errors)."
            : "Replay INCREASES forgetting here (exactly).")
      } else if estimate.mean < baseline {
        print("Replay reduces forgetting here.")
      } else {
        print("No significant increase from replay here.")
      }
    }
  }
}
