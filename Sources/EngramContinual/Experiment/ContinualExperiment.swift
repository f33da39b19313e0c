import EngramData
import EngramNN
import EngramRandom
import Foundation

/// Everything a continual-learning run needs.
public struct ExperimentPlan {
  /// The tasks.
  public var stream: TaskStream
  /// The network.
  public var architecture: Architecture
  /// How parameters start.
  public var initializer: Initializer = .kaimingUniform
  /// The optimiser.
  public var optimizer: OptimizerSpec
  /// Loop settings.
  public var trainer: TrainerConfig
  /// The strategies (empty: naive fine-tuning).
  public var strategies: [any Strategy]
  /// Continual evaluation every k iterations (nil: only at task ends).
  public var evaluateEvery: Int?
  /// Test examples per task used by continual evaluation (a fixed random subset).
  public var evaluationSubset: Int = 1000
  /// Whether to train a fresh model per task for the reference FWT and intransigence.
  public var computeReferences = false
  /// The seed of every random stream.
  public var seed: UInt64 = 0

  /// A plan.
  public init(
    stream: TaskStream, architecture: Architecture, optimizer: OptimizerSpec,
    trainer: TrainerConfig,
    strategies: [any Strategy] = [], evaluateEvery: Int? = nil, computeReferences: Bool = false,
    seed: UInt64 = 0
  ) {
    self.stream = stream
    self.architecture = architecture
    self.optimizer = optimizer
    self.trainer = trainer
    self.strategies = strategies
    self.evaluateEvery = evaluateEvery
    self.computeReferences = computeReferences
    self.seed = seed
  }
}

/// What a run measured.
public struct ExperimentResult: Sendable, Codable, Equatable {
  /// R[i][j] (a single row for Joint).
  public var accuracyMatrix: AccuracyMatrix
  /// Each task's accuracy before any training (b, for the Lopez-Paz FWT) when references are
  /// computed (`computeReferences`); empty otherwise.
  public var untrainedAccuracy: [Double]
  /// Each task's accuracy for a fresh model trained on it alone (a*), when computed.
  public var referenceAccuracy: [Double]?
  /// Curves of continual evaluation, when on.
  public var curves: ContinualEvaluation?
  /// Mean training loss of each task's last epoch.
  public var taskLosses: [Double]
  /// Time, compute and memory.
  public var cost: CostReport

  /// A result (runs make these; stores and tests rebuild them).
  public init(
    accuracyMatrix: AccuracyMatrix, untrainedAccuracy: [Double], referenceAccuracy: [Double]?,
    curves: ContinualEvaluation?, taskLosses: [Double], cost: CostReport
  ) {
    self.accuracyMatrix = accuracyMatrix
    self.untrainedAccuracy = untrainedAccuracy
    self.referenceAccuracy = referenceAccuracy
    self.curves = curves
    self.taskLosses = taskLosses
    self.cost = cost
  }
}

/// Time, compute and memory of a run (reference/methods.md §7.9).
public struct CostReport: Sendable, Codable, Equatable {
  /// Wall time of the whole run.
  public var seconds: Double
  /// Time in training (steps and task-boundary work).
  public var trainingSeconds: Double
  /// Time in evaluation.
  public var evaluationSeconds: Double
  /// FLOPs of training passes (2 per MAC forward, 4 per MAC backward), evaluation excluded.
  public var trainingFLOPs: Double
  /// Peak resident memory of the process.
  public var peakMemoryBytes: Int
  /// Bytes the strategies keep (memories, anchors, teacher models).
  public var memoryBufferBytes: Int
  /// Network parameters.
  public var parameterCount: Int

  /// A cost report.
  public init(
    seconds: Double, trainingSeconds: Double, evaluationSeconds: Double, trainingFLOPs: Double,
    peakMemoryBytes: Int, memoryBufferBytes: Int, parameterCount: Int
  ) {
    self.seconds = seconds
    self.trainingSeconds = trainingSeconds
    self.evaluationSeconds = evaluationSeconds
    self.trainingFLOPs = trainingFLOPs
    self.peakMemoryBytes = peakMemoryBytes
    self.memoryBufferBytes = memoryBufferBytes
    self.parameterCount = parameterCount
  }
}

/// A run that failed part-way, with what was measured before.
public struct InterruptedExperiment: Error, CustomStringConvertible {
  /// Why it stopped.
  public let underlying: Error
  /// The accuracy matrix rows and costs so far.
  public let partial: ExperimentResult

  public var description: String { "\(underlying)" }
}

/// An event during a run, for progress displays.
public enum ExperimentEvent {
  /// The run begins (or continues at task `from`) with `tasks` tasks.
  case started(tasks: Int, from: Int)
  /// A task begins training, taking `steps` steps.
  case taskStarted(index: Int, name: String, steps: Int)
  /// A step finished.
  case step(StepReport)
  /// A task finished; its row of the accuracy matrix (nil for Joint before the end).
  case taskFinished(index: Int, accuracies: [Double]?)
}

/// Runs a plan: trains task after task, evaluates, and measures.
public final class ContinualExperiment {
  /// The plan.
  public let plan: ExperimentPlan

  /// An experiment.
  public init(plan: ExperimentPlan) {
    self.plan = plan
  }

  /// Runs it; with `checkpointing`, saves itself at every task end and every `every`
  /// iterations, and continues from `checkpointing.resume` when one is given.
  /// - Throws: `InterruptedExperiment` (with the results so far) when training fails, e.g.
  ///   `TrainingError.nonFiniteLoss`; setting errors before anything ran; `ModelError` for a
  ///   checkpoint of another run.
  public func run(
    observer: (ExperimentEvent) -> Void = { _ in }, checkpointing: ExperimentCheckpointing? = nil
  ) throws -> ExperimentResult {
    var started = Date()
    let stream = plan.stream
    let streams = RandomStreams(seed: plan.seed)
    let model = try plan.architecture.build(input: stream.input, outputs: stream.outputCount)
    model.initialize(plan.initializer, streams: streams)
    let trainer = try Trainer(
      model: model, optimizer: plan.optimizer.make(), config: plan.trainer, stream: stream,
      strategies: plan.strategies,
      streams: streams)
    let evaluator = Evaluator(stream: stream, model: model)
    let onlyAtEnd = plan.strategies.contains { $0.evaluatesOnlyAtEnd }
    var state = ExperimentState()
    if let resume = checkpointing?.resume {
      state = try checkpointing!.restore(resume, into: trainer)
      started = Date(timeIntervalSinceNow: -state.elapsedSeconds)
    }
    func timedEvaluation<T>(_ body: () throws -> T) rethrows -> T {
      let start = Date()
      let before = model.meter.forwardExamples
      defer {
        state.evaluationSeconds += Date().timeIntervalSince(start)
        state.evaluationForwards += model.meter.forwardExamples - before
      }
      return try body()
    }
    let count = stream.tasks.count
    // The untrained model's accuracies (b, for the zero-shot FWT) cost a full evaluation, so
    // like the reference FWT they are computed on request.
    if plan.computeReferences && checkpointing?.resume == nil {
      state.untrained = timedEvaluation {
        (0..<count).map {
          evaluator.accuracy(task: $0, stage: $0, predictor: ModelPredictor(model: model))
        }
      }
    }
    var subsets: [[Int]] = []
    if let every = plan.evaluateEvery {
      guard every >= 1 else {
        throw TrainingError.invalidSetting(
          name: "eval-every", value: "\(every)",
          allowed: "must be at least 1 (iterations between evaluations)")
      }
      var choose = streams.stream(.evaluation)
      subsets = stream.tasks.map { task in
        Array(
          choose.sampleWithoutReplacement(
            min(plan.evaluationSubset, task.test.count), from: task.test.count
          ).sorted())
      }
      if state.curves == nil { state.curves = ContinualEvaluation(tasks: count) }
    }
    func evaluateCurves(upTo current: Int) {
      guard var c = state.curves else { return }
      timedEvaluation {
        let predictor = ModelPredictor(model: model)
        for j in 0...current {
          let accuracy = evaluator.accuracy(
            task: j, stage: current, predictor: predictor, indices: subsets[j])
          c.points[j].append(.init(iteration: trainer.iteration, accuracy: accuracy))
        }
      }
      state.curves = c
    }
    func save(nextTask: Int, inTask: TaskProgress?) throws {
      guard let checkpointing else { return }
      state.nextTask = nextTask
      state.inTask = inTask
      state.elapsedSeconds = Date().timeIntervalSince(started)
      state.forwardExamples = model.meter.forwardExamples
      state.backwardExamples = model.meter.backwardExamples
      state.peakMemoryBytes = max(state.peakMemoryBytes, peakResidentBytes())
      try checkpointing.save(state, trainer: trainer)
    }
    func partialResult() -> ExperimentResult {
      result(state: state, references: nil, started: started, model: model, trainer: trainer)
    }
    observer(.started(tasks: count, from: state.nextTask))
    do {
      for t in state.nextTask..<count {
        let examples =
          trainer.strategies.lazy.compactMap { $0.trainingExamples(for: t, stream: stream) }.first
          ?? stream.trainingViews[t]
        let resuming = state.inTask
        state.inTask = nil
        if resuming == nil { try trainer.beginTask(t, examples: examples) }
        let steps =
          plan.trainer.iterations
          ?? ((examples.count + plan.trainer.batchSize - 1) / plan.trainer.batchSize)
          * plan.trainer.epochs
        observer(
          .taskStarted(index: t, name: stream.tasks[t].name, steps: examples.isEmpty ? 0 : steps))
        if !examples.isEmpty {
          let loss = try trainer.train(task: t, examples: examples, resuming: resuming) { report in
            observer(.step(report))
            if let every = plan.evaluateEvery, report.iteration % every == 0 {
              evaluateCurves(upTo: t)
            }
            if let every = checkpointing?.every, report.iteration % every == 0 {
              try save(nextTask: t, inTask: trainer.progress)
            }
          }
          state.losses.append(loss)
        } else {
          state.losses.append(0)
        }
        try trainer.endTask(t, examples: examples)
        state.curves?.taskEnds[t] = trainer.iteration
        if plan.evaluateEvery != nil, let last = state.curves?.points[t].last?.iteration,
          last != trainer.iteration
        {
          evaluateCurves(upTo: t)
        }
        if onlyAtEnd && t < count - 1 {
          observer(.taskFinished(index: t, accuracies: nil))
          try save(nextTask: t + 1, inTask: nil)
          continue
        }
        let predictor = try trainer.predictor(stage: t)
        let row = timedEvaluation {
          (0..<count).map { evaluator.accuracy(task: $0, stage: t, predictor: predictor) }
        }
        state.rows.append(row)
        observer(.taskFinished(index: t, accuracies: row))
        try save(nextTask: t + 1, inTask: nil)
      }
    } catch {
      throw InterruptedExperiment(underlying: error, partial: partialResult())
    }
    let references = plan.computeReferences ? try referenceAccuracies(streams: streams) : nil
    return result(
      state: state, references: references, started: started, model: model, trainer: trainer)
  }

  /// a*_i: a fresh model, same initialisation, trained on task i alone with the same settings.
  func referenceAccuracies(streams: RandomStreams) throws -> [Double] {
    try plan.stream.tasks.indices.map { i in
      let model = try plan.architecture.build(
        input: plan.stream.input, outputs: plan.stream.outputCount)
      model.initialize(plan.initializer, streams: streams)
      let trainer = try Trainer(
        model: model, optimizer: plan.optimizer.make(), config: plan.trainer, stream: plan.stream,
        streams: streams)
      try trainer.train(task: i)
      return Evaluator(stream: plan.stream, model: model).accuracy(
        task: i, stage: i, predictor: ModelPredictor(model: model))
    }
  }

  private func result(
    state: ExperimentState, references: [Double]?, started: Date, model: Model,
    trainer: Trainer
  ) -> ExperimentResult {
    let seconds = Date().timeIntervalSince(started)
    let meter = model.meter
    let trainingForwards = meter.forwardExamples - state.evaluationForwards
    let flops =
      2 * Double(meter.macsPerExample)
      * (Double(trainingForwards) + 2 * Double(meter.backwardExamples))
    return ExperimentResult(
      accuracyMatrix: AccuracyMatrix(rows: state.rows), untrainedAccuracy: state.untrained,
      referenceAccuracy: references, curves: state.curves,
      taskLosses: state.losses,
      cost: CostReport(
        seconds: seconds, trainingSeconds: seconds - state.evaluationSeconds,
        evaluationSeconds: state.evaluationSeconds,
        trainingFLOPs: flops, peakMemoryBytes: max(state.peakMemoryBytes, peakResidentBytes()),
        memoryBufferBytes: trainer.strategyMemoryBytes,
        parameterCount: model.parameterCount))
  }
}

/// The process's peak resident memory in bytes.
public func peakResidentBytes() -> Int {
  var usage = rusage()
  #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
  #else
    getrusage(RUSAGE_SELF, &usage)
    return usage.ru_maxrss
  #endif
}
