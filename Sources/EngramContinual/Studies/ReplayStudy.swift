import EngramData
import EngramLinalg
import EngramNN
import EngramRandom
import Foundation

/// What the last task of a replay study replays, one choice per arm.
public enum ReplayArms: Sendable, Equatable {
  /// m = each count: the first m examples of one random permutation of the earlier tasks'
  /// training examples per seed, so the memories of one seed are nested.
  case counts([Int])
  /// No replay, then one random training example of each earlier class alone.
  case oneOfEachClass
  /// No replay, then each of these training examples alone.
  case chosen([ExampleReference])
}

/// A paired replay study on a network (Mahdaviyeh et al. §4.2 and appendix D).
///
/// Per seed: train the earlier tasks once, measure their test accuracy, copy the network, and
/// train the last task from that copy once per arm, with the same data order in every arm and
/// a fresh optimiser. Forgetting of an arm is the drop in the earlier tasks' test accuracy
/// (averaged over them), so arm differences within a seed are paired.
public struct ReplayStudyDesign: Sendable {
  /// The tasks, trained in order; all but the last are "earlier".
  public var stream: TaskStream
  /// The same tasks as evaluation sees them (e.g. a task-incremental view of a class-incremental
  /// stream, so that each task is judged among its own outputs).
  public var evaluation: TaskStream
  /// The network.
  public var architecture: Architecture
  /// How parameters start.
  public var initializer: Initializer
  /// The optimiser (a fresh one per task and per arm).
  public var optimizer: OptimizerSpec
  /// Batch size, epochs and the replay weighting (`.sum` is the paper's).
  public var trainer: TrainerConfig
  /// The arms.
  public var arms: ReplayArms
  /// The paired seeds.
  public var seeds: [UInt64]

  /// A design; `evaluation` defaults to `stream`.
  public init(
    stream: TaskStream, evaluation: TaskStream? = nil, architecture: Architecture,
    initializer: Initializer = .kaimingUniform, optimizer: OptimizerSpec, trainer: TrainerConfig,
    arms: ReplayArms, seeds: [UInt64]
  ) {
    self.stream = stream
    self.evaluation = evaluation ?? stream
    self.architecture = architecture
    self.initializer = initializer
    self.optimizer = optimizer
    self.trainer = trainer
    self.arms = arms
    self.seeds = seeds
  }

  /// Checks the design before any training.
  /// - Throws: `TrainingError.invalidSetting` naming the setting and what is allowed.
  public func validate() throws {
    guard stream.tasks.count >= 2 else {
      throw TrainingError.invalidSetting(
        name: "tasks", value: "\(stream.tasks.count)",
        allowed: "at least two: the earlier task(s) and the task that replays them")
    }
    guard !seeds.isEmpty, Set(seeds).count == seeds.count else {
      throw TrainingError.invalidSetting(
        name: "seeds", value: "\(seeds.count) (\(Set(seeds).count) distinct)",
        allowed: "at least one seed, none twice")
    }
    let earlier = earlierExamples.count
    switch arms {
    case .counts(let counts):
      guard !counts.isEmpty, counts.allSatisfy({ $0 >= 0 && $0 <= earlier }),
        Set(counts).count == counts.count
      else {
        throw TrainingError.invalidSetting(
          name: "memory", value: counts.map(String.init).joined(separator: ","),
          allowed: "distinct counts from 0 to \(earlier) (the earlier tasks' training examples)")
      }
    case .oneOfEachClass:
      break
    case .chosen(let examples):
      for e in examples
      where !(0..<(stream.tasks.count - 1)).contains(e.task)
        || !(0..<stream.tasks[e.task].train.count).contains(e.index)
      {
        throw TrainingError.invalidSetting(
          name: "replayed sample", value: "task \(e.task + 1), index \(e.index)",
          allowed:
            "a training example of an earlier task (task 1…\(stream.tasks.count - 1); index below its training size)"
        )
      }
    }
    try trainer.validate()
  }

  /// The trainer settings every task of every arm runs with: a fresh optimiser per task.
  var trainerPerTask: TrainerConfig {
    var config = trainer
    config.resetOptimizerPerTask = true
    return config
  }

  /// Every training example of the tasks before the last.
  var earlierExamples: [ExampleReference] {
    stream.examples(through: stream.tasks.count - 2)
  }
}

/// One arm's outcome in one seed.
public struct ReplayArmOutcome: Sendable, Codable, Equatable {
  /// "m=3", "class 4", "none" …
  public var name: String
  /// How many examples were replayed.
  public var memory: Int
  /// The replayed examples (tasks and indices into their training sets).
  public var examples: [ExampleReference]
  /// The earlier tasks' test accuracy after the last task.
  public var accuracyAfter: [Double]
  /// Mean drop in the earlier tasks' test accuracy.
  public var forgetting: Double
  /// The last task's test accuracy.
  public var newTaskAccuracy: Double

  /// An arm's outcome.
  public init(
    name: String, memory: Int, examples: [ExampleReference], accuracyAfter: [Double],
    forgetting: Double, newTaskAccuracy: Double
  ) {
    self.name = name
    self.memory = memory
    self.examples = examples
    self.accuracyAfter = accuracyAfter
    self.forgetting = forgetting
    self.newTaskAccuracy = newTaskAccuracy
  }
}

/// Everything one seed of a replay study measured.
public struct ReplaySeedOutcome: Sendable, Codable, Equatable {
  /// The seed.
  public var seed: UInt64
  /// The earlier tasks' test accuracy before the last task.
  public var accuracyBefore: [Double]
  /// The arms, in the design's order.
  public var arms: [ReplayArmOutcome]

  /// A seed's outcome.
  public init(seed: UInt64, accuracyBefore: [Double], arms: [ReplayArmOutcome]) {
    self.seed = seed
    self.accuracyBefore = accuracyBefore
    self.arms = arms
  }
}

/// Runs replay studies, seeds in parallel.
public enum ReplayStudy {
  /// Runs every seed on `workers` threads (BLAS single-threaded inside each), calling `progress`
  /// with the number of seeds finished. Results come back in seed order and do not depend on
  /// `workers`.
  /// - Throws: the design's validation errors; the first training error of any seed.
  public static func run(
    _ design: ReplayStudyDesign, workers: Int, progress: @Sendable (Int) -> Void = { _ in }
  ) throws -> [ReplaySeedOutcome] {
    try design.validate()
    return try ParallelWork.map(count: design.seeds.count, workers: workers, progress: progress) {
      try runSeed(design, seed: design.seeds[$0])
    }
  }

  /// One seed: earlier tasks once, then the last task once per arm from a copy.
  /// - Throws: `TrainingError` from training.
  public static func runSeed(_ design: ReplayStudyDesign, seed: UInt64) throws -> ReplaySeedOutcome
  {
    let stream = design.stream
    let last = stream.tasks.count - 1
    let streams = RandomStreams(seed: seed)
    let model = try trainEarlierTasks(design, seed: seed)
    let evaluator = Evaluator(stream: design.evaluation, model: model)
    let before = (0..<last).map {
      evaluator.accuracy(task: $0, stage: last - 1, predictor: ModelPredictor(model: model))
    }
    var choice = streams.stream("replay-choice")
    let arms = armMemories(design, using: &choice)
    // Every arm continues with the same data order: the streams of a second, fixed seed.
    let continuation = RandomStreams(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 1)
    var outcomes: [ReplayArmOutcome] = []
    for (name, examples) in arms {
      let copy = model.clone()
      let trainer = try Trainer(
        model: copy, optimizer: design.optimizer.make(), config: design.trainerPerTask,
        stream: stream, strategies: examples.isEmpty ? [] : [FixedReplay(examples: examples)],
        streams: continuation)
      try trainer.beginTask(last)
      try trainer.train(task: last)
      try trainer.endTask(last)
      let judge = Evaluator(stream: design.evaluation, model: copy)
      let predictor = ModelPredictor(model: copy)
      let after = (0..<last).map { judge.accuracy(task: $0, stage: last, predictor: predictor) }
      let drops = zip(before, after).map { $0 - $1 }
      outcomes.append(
        ReplayArmOutcome(
          name: name, memory: examples.count, examples: examples, accuracyAfter: after,
          forgetting: drops.reduce(0, +) / Double(drops.count),
          newTaskAccuracy: judge.accuracy(task: last, stage: last, predictor: predictor)))
    }
    return ReplaySeedOutcome(seed: seed, accuracyBefore: before, arms: outcomes)
  }

  /// The network after the earlier tasks (all but the last), as every arm of `seed` starts.
  /// - Throws: `TrainingError` from training.
  public static func trainEarlierTasks(_ design: ReplayStudyDesign, seed: UInt64) throws -> Model {
    let stream = design.stream
    let streams = RandomStreams(seed: seed)
    let model = try design.architecture.build(input: stream.input, outputs: stream.outputCount)
    model.initialize(design.initializer, streams: streams)
    let trainer = try Trainer(
      model: model, optimizer: design.optimizer.make(), config: design.trainerPerTask,
      stream: stream, streams: streams)
    for t in 0..<(stream.tasks.count - 1) {
      try trainer.beginTask(t)
      try trainer.train(task: t)
      try trainer.endTask(t)
    }
    return model
  }

  /// The arms' memories for one seed.
  static func armMemories(_ design: ReplayStudyDesign, using rng: inout RandomStream) -> [(
    String, [ExampleReference]
  )] {
    let earlier = design.earlierExamples
    switch design.arms {
    case .counts(let counts):
      var indices = Array(earlier.indices)
      let largest = counts.max() ?? 0
      let prefix = rng.sampleWithoutReplacement(largest, from: &indices).map { earlier[$0] }
      return counts.map { ("m=\($0)", Array(prefix.prefix($0))) }
    case .oneOfEachClass:
      let stream = design.stream
      let byClass = Dictionary(grouping: earlier) {
        Int(stream.tasks[$0.task].train.labels[$0.index])
      }
      var arms = [("none", [ExampleReference]())]
      for label in byClass.keys.sorted() {
        let candidates = byClass[label]!
        arms.append(("class \(label)", [candidates[rng.nextInt(below: candidates.count)]]))
      }
      return arms
    case .chosen(let examples):
      return [("none", [])]
        + examples.map { ("task \($0.task + 1) #\($0.index)", [$0]) }
    }
  }
}
