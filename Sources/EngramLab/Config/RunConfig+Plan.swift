import EngramContinual
import EngramData
import EngramNN
import EngramRandom

extension RunConfig {
  /// The task stream this configuration describes, on `data`.
  /// - Throws: `TrainingError.invalidSetting` for impossible splits; `ConfigError` for
  ///   settings that do not fit the benchmark.
  public func makeStream(data: TrainTestData) throws -> TaskStream {
    let streams = RandomStreams(seed: seed)
    let benchmark: Benchmark
    switch self.benchmark {
    case "permuted":
      benchmark = .permuted(tasks: tasks, permuteFirst: permuteFirst)
    case "rotated":
      benchmark = .rotated(angles: angles ?? (0..<tasks).map { Double($0) * 180 / Double(tasks) })
    default:
      benchmark =
        try groups.map { .split(groups: $0) }
        ?? Benchmark.split(classCount: data.train.classCount, tasks: tasks, order: classOrder)
    }
    var stream = try benchmark.stream(
      data: [data], scenario: scenario, classOutputs: classOutputs, preprocessing: preprocess,
      streams: streams)
    if blurry > 0 {
      var blur = streams.stream("blurry")
      stream = try stream.blurred(fraction: blurry, using: &blur)
    }
    return stream
  }

  /// The experiment this configuration describes, on `data`.
  /// - Throws: stream, architecture and strategy errors.
  public func makePlan(data: TrainTestData) throws -> ExperimentPlan {
    let stream = try makeStream(data: data)
    let architecture = try Architecture(parsing: model)
    let optimizerSpec: OptimizerSpec =
      optimizer == "adam"
      ? .adam(learningRate: effectiveLearningRate, weightDecay: weightDecay)
      : .sgd(learningRate: effectiveLearningRate, momentum: momentum, weightDecay: weightDecay)
    let trainer = TrainerConfig(
      batchSize: batch, epochs: epochs, iterations: iterations,
      resetOptimizerPerTask: resetOptimizer,
      replayCombination: replayLoss, boundariesVisible: !hideBoundaries)
    var plan = ExperimentPlan(
      stream: stream, architecture: architecture, optimizer: optimizerSpec, trainer: trainer,
      strategies: try StrategyFactory.make(self),
      evaluateEvery: evalEvery, computeReferences: fwt, seed: seed)
    plan.initializer = initializer
    plan.evaluationSubset = evalSubset
    return plan
  }
}
