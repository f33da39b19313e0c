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
  /// The nonlinearity after each hidden layer.
  public var activation: Activation.Kind = .relu
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
  /// What is evaluated when a task ends.
  public var evaluation: EvaluationScope = .allTasks
  /// Plasticity diagnostics measured when each task ends (nil: none).
  public var diagnostics: DiagnosticsSettings?
  /// Whether every training example's forgetting events are counted (Toneva et al.).
  public var tracksForgettingEvents = false

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

extension ExperimentPlan {
  /// A new model of the plan's architecture and activation for its stream (parameters zero).
  /// - Throws: `ModelError` when the architecture does not fit the stream.
  public func buildModel() throws -> Model {
    try architecture.build(input: stream.input, outputs: stream.outputCount, activation: activation)
  }
}

/// What a run evaluates on test sets when a task ends.
public enum EvaluationScope: String, Sendable, Codable, CaseIterable {
  /// Every task: a row of the accuracy matrix (T² evaluations in a run).
  case allTasks = "all-tasks"
  /// The task just trained, on up to `evaluationSubset` of its test examples (long streams,
  /// where T² evaluations would cost more than training): `ExperimentResult.taskEndAccuracy`.
  case currentTask = "current-task"
  /// Nothing beyond the online measures (regression streams, whose every step is new data).
  case onlineOnly = "online-only"
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
  /// Per task, the accuracy of the network's predictions on each new batch before it trained
  /// on it (online accuracy), averaged over the task's steps.
  public var onlineAccuracy: [Double]?
  /// Regression streams: per task, the mean squared error of the pre-update predictions.
  public var onlineError: [Double]?
  /// Per task, its test accuracy when its training ends (with `EvaluationScope.currentTask`).
  public var taskEndAccuracy: [Double]?
  /// Per task, the plasticity diagnostics when it ended (with `--diagnostics`).
  public var diagnostics: [TaskDiagnostics]?
  /// Per task, each training example's presentations, learning and forgetting events (with
  /// `--forgetting-events`; index = the example's index in its task's training set).
  public var exampleForgetting: [ForgettingEvents]?

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

  /// Whether the run evaluated only each task at its end (a long stream): no accuracy matrix.
  public var isLongStream: Bool { taskEndAccuracy != nil || onlineError != nil }
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
  /// What the run has measured so far, after each new curve point and matrix row (for live
  /// views: the lab writes it into the running run's store row). A closure, so that the copy
  /// of the curves is made only by an observer that reads it, not at every evaluation.
  case measured(() -> ExperimentResult)
}

/// Runs a plan: trains task after task, evaluates, and measures.
///
/// Building one checks every setting and builds the model, trainer and strategies, so a run
/// that cannot start fails before anything is recorded or written.
public final class ContinualExperiment {
  /// The plan.
  public let plan: ExperimentPlan
  let streams: RandomStreams
  let model: Model
  let trainer: Trainer
  let evaluator: Evaluator
  /// Per task, the fixed test subset of continual evaluation (empty when it is off).
  let subsets: [[Int]]
  /// Measures the diagnostics, when the plan asks for them.
  let probe: PlasticityProbe?

  /// An experiment, ready to run.
  /// - Throws: `TrainingError.invalidSetting` (e.g. `evaluateEvery` < 1), `.conflictingRoles`,
  ///   strategy preparation errors, `ModelError` for an architecture that does not fit.
  public init(plan: ExperimentPlan) throws {
    if let every = plan.evaluateEvery, every < 1 {
      throw TrainingError.invalidSetting(
        name: "eval-every", value: "\(every)",
        allowed: "must be at least 1 (iterations between evaluations)")
    }
    self.plan = plan
    streams = RandomStreams(seed: plan.seed)
    model = try plan.buildModel()
    model.initialize(plan.initializer, streams: streams)
    trainer = try Trainer(
      model: model, optimizer: plan.optimizer.make(), config: plan.trainer, stream: plan.stream,
      strategies: plan.strategies, streams: streams)
    evaluator = Evaluator(stream: plan.stream, model: model)
    if plan.tracksForgettingEvents {
      if plan.stream.trainingViews.isGenerated {
        throw TrainingError.invalidSetting(
          name: "forgetting-events", value: "on",
          allowed:
            "a stream whose examples repeat (split, permuted, rotated, custom with several epochs); a long stream draws fresh examples per task"
        )
      }
      trainer.exampleForgetting = plan.stream.tasks.map { ForgettingEvents(examples: $0.train.count) }
    }
    let built = model
    probe = try plan.diagnostics.map {
      try PlasticityProbe(settings: $0, model: built, stream: plan.stream, seed: plan.seed)
    }
    if plan.evaluateEvery != nil {
      var choose = streams.stream(.evaluation)
      subsets = plan.stream.tasks.map { task in
        Array(
          choose.sampleWithoutReplacement(
            min(plan.evaluationSubset, task.test.count), from: task.test.count
          ).sorted())
      }
    } else {
      subsets = []
    }
  }

  /// Runs it once; with `checkpointing`, saves itself at every task end and every `every`
  /// iterations, and continues from `checkpointing.resume` when one is given. When `stop` is
  /// requested, the run saves a checkpoint after the current step and stops.
  /// - Throws: `InterruptedExperiment` (with the results so far) when training fails, e.g.
  ///   `TrainingError.nonFiniteLoss`, or stops (`ExperimentStopped`); `ModelError` for a
  ///   checkpoint of another run.
  public func run(
    observer: (ExperimentEvent) -> Void = { _ in }, checkpointing: ExperimentCheckpointing? = nil,
    stop: StopRequest? = nil
  ) throws -> ExperimentResult {
    let run = ExperimentRun(experiment: self, checkpointing: checkpointing, stop: stop)
    try run.start()
    let count = plan.stream.tasks.count
    observer(.started(tasks: count, from: run.state.nextTask))
    do {
      for t in run.state.nextTask..<count {
        try run.trainTask(t, observer: observer)
        if plan.evaluation != .allTasks {
          if plan.evaluation == .currentTask { run.evaluateTaskEnd(t) }
          observer(.taskFinished(index: t, accuracies: nil))
          observer(.measured { run.result(references: nil) })
        } else if trainer.strategies.contains(where: \.evaluatesOnlyAtEnd) && t < count - 1 {
          observer(.taskFinished(index: t, accuracies: nil))
        } else {
          observer(.taskFinished(index: t, accuracies: try run.evaluateRow(after: t)))
          observer(.measured { run.result(references: nil) })
        }
        try run.save(nextTask: t + 1, inTask: nil)
      }
    } catch {
      throw InterruptedExperiment(underlying: error, partial: run.result(references: nil))
    }
    return run.result(references: plan.computeReferences ? try referenceAccuracies() : nil)
  }

  /// a*_i: a fresh model, same initialisation, trained on task i alone with the same settings.
  func referenceAccuracies() throws -> [Double] {
    try plan.stream.tasks.indices.map { i in
      let model = try plan.buildModel()
      model.initialize(plan.initializer, streams: streams)
      let trainer = try Trainer(
        model: model, optimizer: plan.optimizer.make(), config: plan.trainer, stream: plan.stream,
        streams: streams)
      try trainer.train(task: i)
      return Evaluator(stream: plan.stream, model: model).accuracy(
        task: i, stage: i, predictor: ModelPredictor(model: model))
    }
  }
}

/// One run of an experiment: what it measured so far, and the steps of the algorithm — train a
/// task, evaluate a row, evaluate the curves, save.
final class ExperimentRun {
  let experiment: ContinualExperiment
  let checkpointing: ExperimentCheckpointing?
  let stop: StopRequest?
  var state = ExperimentState()
  var started = Date()

  init(experiment: ContinualExperiment, checkpointing: ExperimentCheckpointing?, stop: StopRequest?)
  {
    self.experiment = experiment
    self.checkpointing = checkpointing
    self.stop = stop
  }

  private var plan: ExperimentPlan { experiment.plan }
  private var trainer: Trainer { experiment.trainer }
  private var model: Model { experiment.model }

  /// Continues from the checkpoint, or measures the untrained model when references are on.
  func start() throws {
    if let checkpointing, let resume = checkpointing.resume {
      state = try checkpointing.restore(resume, into: trainer)
      started = Date(timeIntervalSinceNow: -state.elapsedSeconds)
      if trainer.exampleForgetting != nil {
        guard let saved = state.exampleForgetting,
          saved.map(\.count) == trainer.exampleForgetting?.map(\.count)
        else {
          throw ModelError.checkpointMismatch(
            file: checkpointing.file.lastPathComponent, field: "example forgetting events",
            expected: "one count per training example", found: "none or other sizes")
        }
        trainer.exampleForgetting = saved
      }
    } else if plan.computeReferences {
      // The untrained accuracies (b, for the zero-shot FWT) cost a full evaluation, so like
      // the reference FWT they are computed on request.
      state.untrained = timed {
        let predictor = ModelPredictor(model: model)
        return plan.stream.tasks.indices.map {
          experiment.evaluator.accuracy(task: $0, stage: $0, predictor: predictor)
        }
      }
    }
    if !experiment.subsets.isEmpty, state.curves == nil {
      state.curves = ContinualEvaluation(tasks: plan.stream.tasks.count)
    }
  }

  /// Trains task `t` (continuing a resumed task), with curves and periodic checkpoints on the
  /// way, and ends it.
  func trainTask(_ t: Int, observer: (ExperimentEvent) -> Void) throws {
    let stream = plan.stream
    let examples =
      trainer.strategies.lazy.compactMap { $0.trainingExamples(for: t, stream: stream) }.first
      ?? stream.trainingViews[t]
    let resuming = state.inTask
    state.inTask = nil
    if resuming == nil { try trainer.beginTask(t, examples: examples) }
    observer(
      .taskStarted(index: t, name: stream.tasks[t].name, steps: trainer.steps(for: examples.count)))
    var loss = 0.0
    if !examples.isEmpty {
      loss = try trainer.train(task: t, examples: examples, resuming: resuming) { report in
        observer(.step(report))
        if let every = plan.evaluateEvery, report.iteration % every == 0 {
          evaluateCurves(upTo: t)
          observer(.measured { self.result(references: nil) })
        }
        if let every = checkpointing?.every, report.iteration % every == 0 {
          try save(nextTask: t, inTask: trainer.progress)
        }
        if let signal = stop?.requested {
          try save(nextTask: t, inTask: trainer.progress)
          throw ExperimentStopped(signal: signal)
        }
      }
    }
    state.losses.append(loss)
    state.online = (state.online ?? []) + [
      stream.isRegression ? trainer.lastTaskOnline.meanSquaredError : trainer.lastTaskOnline.accuracy
    ]
    try trainer.endTask(t, examples: examples)
    if let probe = experiment.probe {
      let measured = try timed {
        try probe.measure(
          model: model, task: t, taskCount: stream.tasks.count,
          learningRate: trainer.optimizer.learningRate)
      }
      state.diagnostics = (state.diagnostics ?? []) + [measured]
    }
    state.curves?.taskEnds[t] = trainer.iteration
    if let last = state.curves?.points[t].last?.iteration, last != trainer.iteration {
      evaluateCurves(upTo: t)
    }
  }

  /// Row `t` of the accuracy matrix: every task's test accuracy after training task `t`.
  func evaluateRow(after t: Int) throws -> [Double] {
    let predictor = try trainer.predictor(stage: t)
    let row = timed {
      plan.stream.tasks.indices.map {
        experiment.evaluator.accuracy(task: $0, stage: t, predictor: predictor)
      }
    }
    state.rows.append(row)
    return row
  }

  /// Task `t`'s test accuracy when its training ends, on a fixed subset of at most
  /// `evaluationSubset` of its test examples.
  func evaluateTaskEnd(_ t: Int) {
    var indices = plan.stream.testIndices(task: t)
    if indices.count > plan.evaluationSubset {
      var choose = experiment.streams.stream(.evaluation, worker: t)
      indices = choose.sampleWithoutReplacement(plan.evaluationSubset, from: indices.count)
        .sorted().map { indices[$0] }
    }
    let accuracy = timed {
      experiment.evaluator.accuracy(
        task: t, stage: t, predictor: ModelPredictor(model: model), indices: indices)
    }
    state.taskEnd = (state.taskEnd ?? []) + [accuracy]
  }

  /// One point per seen task on the continual-evaluation curves, at the current iteration.
  func evaluateCurves(upTo current: Int) {
    guard var curves = state.curves else { return }
    timed {
      let predictor = ModelPredictor(model: model)
      for j in 0...current {
        let accuracy = experiment.evaluator.accuracy(
          task: j, stage: current, predictor: predictor, indices: experiment.subsets[j])
        curves.points[j].append(.init(iteration: trainer.iteration, accuracy: accuracy))
      }
    }
    state.curves = curves
  }

  /// Saves the run (when checkpointing) at `nextTask`, `inTask` steps into it.
  func save(nextTask: Int, inTask: TaskProgress?) throws {
    guard let checkpointing else { return }
    state.nextTask = nextTask
    state.inTask = inTask
    state.elapsedSeconds = Date().timeIntervalSince(started)
    state.forwardExamples = model.meter.forwardExamples
    state.backwardExamples = model.meter.backwardExamples
    state.peakMemoryBytes = max(state.peakMemoryBytes, peakResidentBytes())
    state.exampleForgetting = trainer.exampleForgetting
    try checkpointing.save(state, trainer: trainer)
  }

  /// Evaluation work, timed apart from training and kept out of the training FLOPs.
  private func timed<T>(_ body: () throws -> T) rethrows -> T {
    let start = Date()
    let before = model.meter.forwardExamples
    let backwardBefore = model.meter.backwardExamples
    let value = try body()
    state.evaluationSeconds += Date().timeIntervalSince(start)
    state.evaluationForwards += model.meter.forwardExamples - before
    let backwards = model.meter.backwardExamples - backwardBefore
    if backwards > 0 { state.evaluationBackwards = (state.evaluationBackwards ?? 0) + backwards }
    return value
  }

  /// What the run measured (so far, when it stopped part-way).
  func result(references: [Double]?) -> ExperimentResult {
    let seconds = Date().timeIntervalSince(started)
    let meter = model.meter
    let trainingForwards = meter.forwardExamples - state.evaluationForwards
    let flops =
      2 * Double(meter.macsPerExample)
      * (Double(trainingForwards)
        + 2 * Double(meter.backwardExamples - (state.evaluationBackwards ?? 0)))
    var result = ExperimentResult(
      accuracyMatrix: AccuracyMatrix(rows: state.rows), untrainedAccuracy: state.untrained,
      referenceAccuracy: references, curves: state.curves,
      taskLosses: state.losses,
      cost: CostReport(
        seconds: seconds, trainingSeconds: seconds - state.evaluationSeconds,
        evaluationSeconds: state.evaluationSeconds,
        trainingFLOPs: flops, peakMemoryBytes: max(state.peakMemoryBytes, peakResidentBytes()),
        memoryBufferBytes: trainer.strategyMemoryBytes,
        parameterCount: model.parameterCount))
    result.onlineAccuracy = state.online
    result.diagnostics = state.diagnostics
    result.exampleForgetting = trainer.exampleForgetting
    result.taskEndAccuracy = plan.evaluation == .allTasks ? nil : (state.taskEnd ?? [])
    if plan.stream.isRegression {
      result.onlineError = result.onlineAccuracy
      result.onlineAccuracy = nil
    }
    return result
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
