import EngramContinual
import EngramData
import EngramNN
import EngramRandom

extension RunConfig {
  /// The default loader: a custom stream may only use the run's own dataset.
  public static func onlyOwnDataset(_ name: String) throws -> TrainTestData {
    throw ConfigError.invalidValue(
      key: "custom_tasks", value: name,
      expected: "the run's own dataset (this caller loads no other datasets)")
  }

  /// This configuration with its long stream's protocol defaults in every key it did not set
  /// (nothing changes for the other benchmarks); the result has every key explicit.
  /// - Throws: `ConfigError.invalidValue` (not expected: the defaults are valid values).
  public func withProtocolDefaults() throws -> RunConfig {
    var config = self
    for (key, value) in benchmark.protocolDefaults where !explicitKeys.keys.contains(key) {
      try config.set(key, text: value)
    }
    config.explicitKeys.keys.formUnion(Self.keys)
    return config
  }

  /// The task stream this configuration describes, on `data` (the `dataset` key's data).
  /// Custom tasks naming other datasets get them from `load`, once per name.
  /// - Throws: `TrainingError.invalidSetting` for impossible splits; `ConfigError` for
  ///   settings that do not fit the benchmark.
  public func makeStream(
    data: TrainTestData, load: (String) throws -> TrainTestData = RunConfig.onlyOwnDataset
  ) throws -> TaskStream {
    if self.benchmark != .custom, customTasks != nil {
      throw ConfigError.invalidValue(
        key: "benchmark", value: self.benchmark.rawValue,
        expected: "custom when custom_tasks is given (or drop custom_tasks)")
    }
    let streams = RandomStreams(seed: seed)
    if let long = try longStream() {
      return try long.stream(data: data, preprocessing: preprocess, streams: streams)
    }
    let benchmark: Benchmark
    var sources = [data]
    switch self.benchmark {
    case .onlinePermuted, .labelPermuted, .bitFlipping, .pairs:
      preconditionFailure("long streams are built above")
    case .custom:
      guard let customTasks, !customTasks.isEmpty else {
        throw ConfigError.invalidValue(
          key: "custom_tasks", value: "none",
          expected: "a list of tasks in the YAML config when benchmark is custom")
      }
      var index = [dataset: 0]
      var tasks: [Benchmark.CustomTask] = []
      for task in customTasks {
        let name = task.dataset ?? dataset
        if index[name] == nil {
          index[name] = sources.count
          sources.append(try load(name))
        }
        tasks.append(
          Benchmark.CustomTask(
            dataset: index[name]!, classes: task.classes, rotation: task.rotation,
            permute: task.permute))
      }
      benchmark = .custom(tasks)
    case .permuted:
      benchmark = .permuted(tasks: tasks, permuteFirst: permuteFirst)
    case .rotated:
      benchmark = .rotated(angles: angles ?? (0..<tasks).map { Double($0) * 180 / Double(tasks) })
    case .split:
      benchmark =
        try groups.map { .split(groups: $0) }
        ?? Benchmark.split(classCount: data.train.classCount, tasks: tasks, order: classOrder)
    }
    var stream = try benchmark.stream(
      data: sources, scenario: scenario, classOutputs: classOutputs, preprocessing: preprocess,
      streams: streams)
    if blurry > 0 {
      var blur = streams.stream("blurry")
      stream = try stream.blurred(fraction: blurry, using: &blur)
    }
    return stream
  }

  /// The long stream this configuration describes (nil for the other benchmarks).
  /// - Throws: `ConfigError.invalidValue` for settings a long stream does not take.
  func longStream() throws -> LongStream? {
    guard benchmark.isLongStream else { return nil }
    let examples = taskExamples ?? Int(
      benchmark.protocolDefaults.first { $0.key == "task_examples" }?.value ?? "") ?? 1
    if scenario != .domain {
      throw ConfigError.invalidValue(
        key: "scenario", value: scenario.rawValue,
        expected: "domain for \(benchmark.rawValue): every task of a long stream shares the outputs")
    }
    if evalEvery != nil {
      throw ConfigError.invalidValue(
        key: "eval_every", value: "\(evalEvery ?? 0)",
        expected:
          "nothing for \(benchmark.rawValue): evaluating every seen task is T² evaluations; long streams report online accuracy per task and each task's test accuracy at its end"
      )
    }
    if fwt {
      throw ConfigError.invalidValue(
        key: "fwt", value: "true", expected: "false for \(benchmark.rawValue) (no accuracy matrix)")
    }
    switch benchmark {
    case .onlinePermuted: return .onlinePermuted(tasks: tasks, examples: examples)
    case .labelPermuted: return .labelPermuted(tasks: tasks, examples: examples)
    case .pairs: return .pairs(tasks: tasks, examples: examples, testExamples: 100)
    case .bitFlipping: return .bitFlipping(tasks: tasks, examples: examples)
    case .split, .permuted, .rotated, .custom: return nil
    }
  }

  /// The experiment this configuration describes, on `data` (other datasets via `load`).
  /// - Throws: stream, architecture and strategy errors.
  public func makePlan(
    data: TrainTestData, load: (String) throws -> TrainTestData = RunConfig.onlyOwnDataset
  ) throws -> ExperimentPlan {
    try validate()
    let stream = try makeStream(data: data, load: load)
    let long = benchmark.isLongStream
    let optimizerSpec: OptimizerSpec
    switch optimizer {
    case .adam: optimizerSpec = .adam(learningRate: effectiveLearningRate, weightDecay: weightDecay)
    case .sgd:
      optimizerSpec = .sgd(
        learningRate: effectiveLearningRate, momentum: momentum, weightDecay: weightDecay)
    case .upgd:
      var noise = RandomStreams(seed: seed).stream("upgd")
      optimizerSpec = .upgd(
        learningRate: effectiveLearningRate, beta: upgdBeta, sigma: upgdSigma,
        weightDecay: weightDecay, protecting: upgdVariant == .protecting, seed: noise.next())
    }
    let trainer = TrainerConfig(
      batchSize: batch, epochs: epochs, iterations: iterations,
      resetOptimizerPerTask: resetOptimizer,
      replayCombination: replayLoss, boundariesVisible: !hideBoundaries)
    var trainerConfig = trainer
    trainerConfig.resetsHeadPerTask = benchmark == .pairs
    var plan = ExperimentPlan(
      stream: stream, architecture: model, optimizer: optimizerSpec, trainer: trainerConfig,
      strategies: try strategy.make(try methodSettings(for: stream)),
      evaluateEvery: evalEvery, computeReferences: fwt, seed: seed)
    plan.initializer = initializer
    plan.activation = activation
    plan.evaluation = benchmark == .bitFlipping ? .onlineOnly : (long ? .currentTask : .allTasks)
    plan.tracksForgettingEvents = forgettingEvents
    if diagnostics {
      plan.diagnostics = DiagnosticsSettings(
        dormancyThreshold: diagnosticsTau, probeExamples: diagnosticsExamples,
        plasticityEvery: plasticityProbeEvery)
    }
    plan.evaluationSubset = evalSubset
    return plan
  }
}
