import EngramContinual
import EngramData
import EngramNN
import Foundation

/// Replay studies on networks, set up from a run configuration: the paper's protocol by
/// default (MLP 256-256, Adam 1e-3, 3 epochs per task, batch 32, optimiser reset between
/// tasks, replay re-weighted to the new part's weight — reference/replay-theory.md §4.2).
public enum NetworkReplayStudy {
  /// The paper's training protocol on `dataset`, with the task sequence left to the caller.
  public static func paperProtocol(dataset: String) -> RunConfig {
    var config = RunConfig()
    config.dataset = dataset
    config.benchmark = .custom
    config.model = .mlp(hidden: [256, 256])
    config.optimizer = .adam
    config.lr = 0.001
    config.batch = 32
    config.epochs = 3
    config.resetOptimizer = true
    config.replayLoss = .sum
    config.classOutputs = .all
    return config
  }

  /// A Split pair (or chain): each class list is a task; class-incremental with all outputs
  /// active, as in the paper's Split MNIST runs.
  public static func split(_ classes: [[Int]], dataset: String) -> RunConfig {
    var config = paperProtocol(dataset: dataset)
    config.scenario = .class
    config.customTasks = classes.map { CustomTaskConfig(dataset: dataset, classes: $0) }
    return config
  }

  /// `tasks` tasks on the same data, the first as is and each later one under its own random
  /// pixel permutation, one output head (Permuted, domain-incremental).
  public static func permuted(tasks: Int, dataset: String) -> RunConfig {
    var config = paperProtocol(dataset: dataset)
    config.scenario = .domain
    config.customTasks = (0..<tasks).map { CustomTaskConfig(dataset: dataset, permute: $0 > 0) }
    return config
  }

  /// The same data at several rotations (degrees), one output head: the paper's Rotated runs.
  public static func rotated(_ angles: [Double], dataset: String) -> RunConfig {
    var config = paperProtocol(dataset: dataset)
    config.scenario = .domain
    config.customTasks = angles.map { CustomTaskConfig(dataset: dataset, rotation: $0) }
    return config
  }

  /// The design for `config`'s task sequence; with `withinTaskOutputs`, each earlier task is
  /// judged among its own outputs only (the paper's "task-1 logits").
  /// - Throws: configuration, data and stream errors.
  public static func design(
    config: RunConfig, arms: ReplayArms, seeds: [UInt64], withinTaskOutputs: Bool
  ) throws -> ReplayStudyDesign {
    let data = try DatasetResolver.load(config.dataset, seed: config.seed)
    // The plan builds the stream (and loads any other datasets) once.
    let plan = try config.makePlan(data: data) { try DatasetResolver.load($0, seed: config.seed) }
    let stream = plan.stream
    let evaluation =
      withinTaskOutputs && stream.scenario == .class
      ? TaskStream(
        name: stream.name, scenario: .task, classOutputs: stream.classOutputs,
        tasks: stream.tasks, outputCount: stream.outputCount, views: stream.trainingViews,
        testViews: stream.testViews)
      : stream
    return ReplayStudyDesign(
      stream: stream, evaluation: evaluation, architecture: plan.architecture,
      initializer: plan.initializer, optimizer: plan.optimizer, trainer: plan.trainer, arms: arms,
      seeds: seeds)
  }

  /// Runs a study and summarises it: count studies put m on x, sample studies the arm's
  /// position (0 = no replay).
  /// - Throws: as `design` and `ReplayStudy.run`.
  public static func run(
    config: RunConfig, arms: ReplayArms, seeds: [UInt64], withinTaskOutputs: Bool = true,
    workers: Int, title: String, alpha: Double = 0.05, progress: @Sendable (Int) -> Void = { _ in }
  ) throws -> StudyResult {
    let design = try design(
      config: config, arms: arms, seeds: seeds, withinTaskOutputs: withinTaskOutputs)
    let outcomes = try ReplayStudy.run(design, workers: workers, progress: progress)
    let isCount: Bool
    if case .counts = arms { isCount = true } else { isCount = false }
    let stream = design.stream
    var notes = [
      "\(seeds.count) paired seeds; per seed the earlier task(s) are trained once and every arm continues from a copy with the same data order.",
      "Protocol: \(config.model), \(config.optimizer.rawValue) lr \(config.effectiveLearningRate), batch \(config.batch), \(config.epochs) epoch(s) per task, optimiser reset per task, replay weight = new-data weight (\((config.replayLoss ?? .concatenate).rawValue)).",
      "Sequence: " + stream.tasks.map(\.name).joined(separator: " → ")
        + (withinTaskOutputs && stream.scenario == .class
          ? "; each earlier task is judged among its own outputs." : "."),
    ]
    let before = outcomes.map { Statistics.mean($0.accuracyBefore) }
    notes.append(
      String(
        format: "Earlier-task accuracy before the last task: %.4f (mean over seeds).",
        Statistics.mean(before)))
    return StudyResult.network(
      study: isCount ? "count" : "samples", title: title,
      xLabel: isCount ? "replayed samples m" : "replayed sample", outcomes: outcomes,
      x: { i, arm in isCount ? Double(arm.memory) : Double(i) }, alpha: alpha, notes: notes)
  }

  /// The study as a store record: the run configuration plus `settings` as `study_*` keys.
  public static func record(
    _ result: StudyResult, config: RunConfig, settings: [String: String], seed: UInt64,
    started: Date
  ) throws -> RunRecord {
    let base =
      (try JSONSerialization.jsonObject(with: Data(config.json.utf8)) as? [String: Any]) ?? [:]
    return try StudyRecord.make(
      result, settings: settings, seed: seed, started: started, base: base)
  }
}
