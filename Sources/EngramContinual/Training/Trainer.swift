import EngramData
import EngramNN
import EngramRandom
import Foundation

/// Owns the training step and calls the strategies' hooks around it.
///
/// Per step: compose the batch (new rows, then rows strategies replay) → forward → base loss
/// (masked cross-entropy per the scenario, shaped by strategies) → strategies' extra terms →
/// backward → `gradientsDidCompute` → optimiser → `stepDidFinish`. A non-finite loss stops
/// with `TrainingError.nonFiniteLoss` before anything is applied, so the model keeps its last
/// finite parameters. Data order comes from stream `.dataOrder`, strategy draws from `.replay`.
public final class Trainer {
  /// The model trained.
  public let model: Model
  /// The optimiser.
  public let optimizer: Optimizer
  /// Loop settings.
  public let config: TrainerConfig
  /// The task stream.
  public let stream: TaskStream
  /// The strategies, in the order their hooks run.
  public internal(set) var strategies: [any Strategy]
  /// Reads stream examples with their transforms.
  public let reader: StreamBatchReader
  /// Steps taken since the start.
  public internal(set) var iteration = 0
  /// Where the task being trained stands (nil between tasks), for checkpoints.
  public private(set) var progress: TaskProgress?
  private var dataOrder: RandomStream
  private var replayDraws: RandomStream
  private let inputs: Tensor
  private var labels: [Int32]
  private var rowTasks: [Int32]
  private let logitCopy: Tensor
  private let logitGradient: Tensor
  private var perExample: [Float]
  private var mask: OutputMask
  private var unitRows: [[UInt8]] = []
  private var unitRowsTask = -1
  /// New rows of the last step whose pre-update prediction was right.
  public private(set) var lastStepCorrect = 0
  /// Σ (prediction − target)² over the last step's new rows before the update (regression).
  public private(set) var lastStepSquaredError = 0.0
  private var targets: Tensor
  /// The online count of the last task trained (kept after `train` returns).
  public private(set) var lastTaskOnline = OnlineCount()
  /// Per task, each training example's forgetting events (Toneva et al.), when tracked: every
  /// presentation of a new example records whether its pre-update prediction was right.
  public var exampleForgetting: [ForgettingEvents]?
  /// Whether each new row of the last step was predicted right before the update.
  private var rowCorrect: [Bool]
  private var predicted: [Int32]

  /// A trainer; the model must already be initialised.
  /// - Throws: `TrainingError.invalidSetting`, `.conflictingRoles`, or a strategy's
  ///   preparation error.
  public init(
    model: Model, optimizer: Optimizer, config: TrainerConfig, stream: TaskStream,
    strategies: [any Strategy] = [],
    streams: RandomStreams
  ) throws {
    try config.validate()
    for (i, a) in strategies.enumerated() {
      for b in strategies[(i + 1)...] {
        let shared = a.roles.intersection(b.roles)
        if !shared.isEmpty {
          throw TrainingError.conflictingRoles(
            first: a.name, second: b.name, role: shared.names.joined(separator: ", "))
        }
      }
    }
    if let combination = config.replayCombination,
      let shaper = strategies.first(where: { $0.roles.contains(.shapesLoss) })
    {
      throw TrainingError.invalidSetting(
        name: "replay_loss", value: combination.rawValue,
        allowed: "not with \(shaper.name), which weighs the replayed rows itself; drop replay_loss")
    }
    guard stream.tasks[0].train.featureCount == model.inputWidth,
      stream.outputCount <= model.outputWidth
    else {
      throw TrainingError.incompatibleData(
        dataset: stream.name,
        problem:
          "examples have \(stream.tasks[0].train.featureCount) features and \(stream.outputCount) outputs but the model has \(model.inputWidth) inputs and \(model.outputWidth) outputs"
      )
    }
    self.model = model
    self.optimizer = optimizer
    self.config = config
    self.stream = stream
    self.reader = StreamBatchReader(stream: stream)
    dataOrder = streams.stream(.dataOrder)
    replayDraws = streams.stream(.replay)
    var prepared = strategies
    for i in prepared.indices {
      try prepared[i].prepare(model: model, stream: stream, batchSize: config.batchSize)
    }
    self.strategies = prepared
    let capacity = config.batchSize + prepared.reduce(0) { $0 + $1.replayRows }
    try model.checkedPrepare(batchCapacity: capacity)
    inputs = Tensor(rows: capacity, columns: model.inputWidth)
    labels = [Int32](repeating: 0, count: capacity)
    rowTasks = [Int32](repeating: 0, count: capacity)
    logitCopy = Tensor(rows: capacity, columns: model.outputWidth)
    logitGradient = Tensor(rows: capacity, columns: model.outputWidth)
    perExample = [Float](repeating: 0, count: capacity)
    targets = Tensor(rows: capacity, columns: 1)
    rowCorrect = [Bool](repeating: false, count: capacity)
    predicted = [Int32](repeating: 0, count: capacity)
    if stream.isRegression {
      if let labelled = prepared.first(where: { $0.descriptor.usesLabels }) {
        let fitting = MethodRegistry.all.filter { !$0.usesLabels }.map(\.name)
        throw TrainingError.invalidSetting(
          name: "strategy", value: labelled.name,
          allowed:
            "a method that works on regression (\(fitting.joined(separator: ", "))): \(labelled.name) uses class labels"
        )
      }
      guard model.outputWidth == 1 else {
        throw TrainingError.incompatibleData(
          dataset: stream.name, problem: "regression needs one output, the model has \(model.outputWidth)")
      }
    }
    mask = OutputMask(
      active: [UInt8](repeating: 1, count: capacity * model.outputWidth),
      classes: model.outputWidth, perExample: true)
  }

  /// The context strategies receive for task `index`.
  public func context(task index: Int, examples: [ExampleReference]? = nil) -> TaskContext {
    TaskContext(
      stream: stream, index: index, examples: examples ?? stream.trainingViews[index],
      reader: reader)
  }

  /// Tells the strategies a task begins (unless boundaries are hidden after the first task).
  public func beginTask(_ index: Int, examples: [ExampleReference]? = nil) throws {
    if config.resetOptimizerPerTask { optimizer.reset() }
    if config.resetsHeadPerTask { resetHead() }
    guard config.boundariesVisible || index == 0 else { return }
    let ctx = context(task: index, examples: examples)
    for i in strategies.indices { try strategies[i].taskWillBegin(ctx, model: model) }
    forgetReinitialized()
  }

  /// Zeroes the output layer (weights and bias) and marks it for the optimiser to forget.
  private func resetHead() {
    guard let head = model.windows.last else { return }
    let range = head.offset..<(head.offset + head.count)
    for i in range { model.parameters[i] = 0 }
    model.markReinitialized([range])
  }

  /// Clears the optimiser state of parameters strategies re-initialised (CBP, ReDo).
  private func forgetReinitialized() {
    let ranges = model.takeReinitialized()
    if !ranges.isEmpty { optimizer.forget(ranges) }
  }

  /// Tells the strategies a task ended (with hidden boundaries: only after the last task).
  public func endTask(_ index: Int, examples: [ExampleReference]? = nil) throws {
    guard config.boundariesVisible || index == stream.tasks.count - 1 else { return }
    let ctx = context(task: index, examples: examples)
    for i in strategies.indices {
      try strategies[i].taskDidEnd(ctx, model: model, rng: &replayDraws)
    }
  }

  /// Steps a task of `examples` examples takes: `iterations`, or epochs of batches (0 for no
  /// examples).
  public func steps(for examples: Int) -> Int {
    guard examples > 0 else { return 0 }
    return config.iterations ?? (examples + config.batchSize - 1) / config.batchSize * config.epochs
  }

  /// Trains task `index` on `examples` (default: its view) for the configured epochs or
  /// iterations, calling `onStep` after every step; with `resuming`, continues a task from
  /// where `progress` (taken during an earlier run) left it.
  /// - Returns: the mean loss of the last epoch.
  /// - Throws: `TrainingError.nonFiniteLoss`; whatever `onStep` or a hook throws.
  @discardableResult
  public func train(
    task index: Int, examples: [ExampleReference]? = nil, resuming: TaskProgress? = nil,
    onStep: (StepReport) throws -> Void = { _ in }
  ) throws -> Double {
    let examples = examples ?? stream.trainingViews[index]
    guard !examples.isEmpty else {
      throw TrainingError.incompatibleData(
        dataset: stream.tasks[index].name, problem: "no training examples")
    }
    let n = examples.count
    let totalSteps = steps(for: n)
    var loop = resuming ?? TaskProgress(task: index, order: examples, position: n)
    guard loop.task == index, loop.order.count == n, loop.step <= totalSteps else {
      throw TrainingError.invalidSetting(
        name: "resumed task", value: "task \(loop.task), \(loop.order.count) examples",
        allowed: "the checkpoint must come from task \(index) of this stream (\(n) examples)")
    }
    lastTaskOnline = loop.onlineCount
    let baseRate = optimizer.learningRate
    defer {
      optimizer.learningRate = baseRate
      progress = nil
    }
    while loop.step < totalSteps {
      optimizer.learningRate = config.schedule.rate(base: baseRate, step: loop.step, of: totalSteps)
      if loop.position >= n {
        dataOrder.shuffle(&loop.order)
        loop.position = 0
        loop.epoch += 1
      }
      let batch = loop.order[loop.position..<min(loop.position + config.batchSize, n)]
      loop.position += batch.count
      let loss = try self.step(newExamples: batch, task: index, epoch: loop.epoch)
      var online = loop.onlineCount
      online.correct += lastStepCorrect
      online.squaredError += lastStepSquaredError
      online.seen += batch.count
      loop.online = online
      lastTaskOnline = online
      if exampleForgetting != nil {
        for (r, example) in batch.enumerated() {
          exampleForgetting?[example.task].record(example: example.index, correct: rowCorrect[r])
        }
      }
      loop.step += 1
      loop.lossSum += Double(loss)
      loop.lossCount += 1
      let endsEpoch = loop.position >= n || loop.step == totalSteps
      if endsEpoch {
        loop.lastEpochLoss = loop.lossSum / Double(loop.lossCount)
        loop.lossSum = 0
        loop.lossCount = 0
      }
      progress = loop
      try onStep(
        StepReport(
          task: index, epoch: loop.epoch, step: loop.step, totalSteps: totalSteps,
          iteration: iteration, loss: loss, endsEpoch: endsEpoch))
    }
    return loop.lastEpochLoss
  }

  /// One step on stream examples.
  /// - Throws: `TrainingError.nonFiniteLoss`; hook errors.
  @discardableResult
  public func step<C: Collection>(newExamples: C, task: Int, epoch: Int = 1) throws -> Float
  where C.Element == ExampleReference {
    let n = newExamples.count
    labels.withUnsafeMutableBufferPointer {
      reader.read(newExamples, into: inputs, start: 0, labels: $0.baseAddress!)
    }
    for (r, example) in newExamples.enumerated() {
      rowTasks[r] = Int32(example.task)
      if let values = stream.tasks[example.task].targets { targets.pointer[r] = values[example.index] }
    }
    return try run(newRows: n, task: task, epoch: epoch, references: Array(newExamples), raw: nil)
  }

  /// One step on raw (untransformed) rows of task `task` with labels (output units).
  /// - Throws: `TrainingError.nonFiniteLoss`; hook errors.
  @discardableResult
  public func step(raw: Tensor, labels newLabels: [Int32], task: Int) throws -> Float {
    let n = raw.rows
    precondition(
      n <= config.batchSize, "raw batch of \(n) exceeds the batch size \(config.batchSize)")
    inputs.pointer.update(from: raw.pointer, count: raw.count)
    reader.transform(inputs.pointer, count: n, task: task)
    for r in 0..<n {
      labels[r] = newLabels[r]
      rowTasks[r] = Int32(task)
    }
    return try run(newRows: n, task: task, epoch: 1, references: nil, raw: raw)
  }

  private func run(
    newRows n: Int, task: Int, epoch: Int, references: [ExampleReference]?, raw: Tensor?
  ) throws -> Float {
    model.zeroGradients()
    var composer = BatchComposer(
      inputs: inputs, labels: labels, tasks: rowTasks, currentTask: task, reader: reader)
    composer.rows = n
    composer.segments = [BatchSegment(source: .new, start: 0, count: n, slots: [])]
    for i in strategies.indices where strategies[i].roles.contains(.composesBatch) {
      strategies[i].composeBatch(&composer, rng: &replayDraws)
    }
    labels = composer.labels
    rowTasks = composer.tasks
    let rows = composer.rows
    let x = inputs.prefix(rows: rows)
    let logits = model.forward(x, mode: .training)
    let savedLogits = logitCopy.prefix(rows: rows)
    savedLogits.copy(from: logits)
    fillMasks(rows: rows, current: task)
    if stream.isRegression {
      lastStepCorrect = 0
      lastStepSquaredError = (0..<n).reduce(0.0) {
        let d = Double(savedLogits.pointer[$1] - targets.pointer[$1])
        return $0 + d * d
      }
    } else {
      lastStepCorrect = countCorrect(newRows: n)
    }
    let dLogits = logitGradient.prefix(rows: rows)
    dLogits.zero()
    return try labels.withUnsafeMutableBufferPointer { labelBuffer in
      try rowTasks.withUnsafeMutableBufferPointer { taskBuffer in
        try perExample.withUnsafeMutableBufferPointer { lossBuffer in
          lossBuffer.update(repeating: 0)
          let view = BatchView(
            inputs: x, labels: labelBuffer.baseAddress!, tasks: taskBuffer.baseAddress!,
            segments: composer.segments,
            logits: savedLogits, newExamples: references, rawNewInputs: raw, currentTask: task,
            stream: stream,
            mask: mask, perExampleLoss: lossBuffer.baseAddress!)
          var base = BaseLoss()
          base.combination = config.replayCombination ?? .concatenate
          for i in strategies.indices where strategies[i].roles.contains(.shapesLoss) {
            strategies[i].shapeLoss(&base, batch: view)
          }
          var terms = LossTerms(logitGradient: dLogits, parameterGradient: model.gradients)
          if stream.isRegression {
            terms.record(
              "squared-error",
              MeanSquaredError.loss(
                outputs: savedLogits, targets: targets.prefix(rows: rows), gradient: dLogits))
          } else if base.enabled {
            terms.record("cross-entropy", baseLoss(base, view: view, gradient: dLogits))
          }
          for i in strategies.indices { strategies[i].addLoss(&terms, batch: view, model: model) }
          let loss = terms.total
          guard loss.isFinite else {
            throw TrainingError.nonFiniteLoss(
              task: stream.tasks[task].name, epoch: epoch, step: iteration + 1, value: loss)
          }
          model.backward(dLogits)
          for i in strategies.indices {
            try strategies[i].gradientsDidCompute(model: model, batch: view, rng: &replayDraws)
          }
          clipGradient()
          optimizer.step(parameters: model.parameters, gradients: model.gradients)
          for i in strategies.indices {
            strategies[i].stepDidFinish(batch: view, model: model, rng: &replayDraws)
          }
          forgetReinitialized()
          iteration += 1
          return loss
        }
      }
    }
  }

  /// How many of the first `n` rows the logits (before this step's update) classify right,
  /// among each row's active units: the online accuracy's numerator.
  private func countCorrect(newRows n: Int) -> Int {
    predicted.withUnsafeMutableBufferPointer {
      SoftmaxCrossEntropy.predictions(
        logits: logitCopy.prefix(rows: n), mask: mask, into: $0.baseAddress!)
    }
    var correct = 0
    for r in 0..<n {
      rowCorrect[r] = predicted[r] == labels[r]
      if rowCorrect[r] { correct += 1 }
    }
    return correct
  }

  private func clipGradient() {
    guard let limit = config.gradientClipNorm else { return }
    let g = model.gradients
    var squared: Float = 0
    for v in g { squared += v * v }
    let norm = squared.squareRoot()
    guard norm > limit else { return }
    let scale = limit / norm
    for i in g.indices { g[i] *= scale }
  }

  /// The scenario's active units per row, from a per-task cache rebuilt when the task changes.
  private func fillMasks(rows: Int, current: Int) {
    let c = model.outputWidth
    if unitRowsTask != current {
      unitRows = stream.tasks.indices.map { t in
        var row = [UInt8](repeating: 0, count: c)
        for u in stream.trainingUnits(example: t, current: current) { row[u] = 1 }
        return row
      }
      unitRowsTask = current
    }
    mask.active.withUnsafeMutableBufferPointer { m in
      for r in 0..<rows {
        unitRows[Int(rowTasks[r])].withUnsafeBufferPointer {
          m.baseAddress!.advanced(by: r * c).update(from: $0.baseAddress!, count: c)
        }
      }
    }
  }

  /// Masked cross-entropy of the new rows and the replay rows the base loss includes.
  private func baseLoss(_ base: BaseLoss, view: BatchView, gradient: Tensor) -> Float {
    let c = model.outputWidth
    let newRows = view.newRows
    let replayed = view.segments.dropFirst().filter {
      $0.source == .replay(.labels) && base.includesReplayedLabels
    }
    let replayCount = replayed.reduce(0) { $0 + $1.count }
    let (newWeight, replayWeight): (Float, Float)
    if replayCount == 0 {
      (newWeight, replayWeight) = (1, 0)
    } else {
      switch base.combination {
      case .concatenate:
        let total = Float(newRows.count + replayCount)
        (newWeight, replayWeight) = (Float(newRows.count) / total, Float(replayCount) / total)
      case .sum: (newWeight, replayWeight) = (1, 1)
      case .weighted:
        let t = Float(view.currentTask + 1)
        (newWeight, replayWeight) = (1 / t, 1 - 1 / t)
      case .average: (newWeight, replayWeight) = (0.5, 0.5)
      }
    }
    var total: Float = 0
    if let units = base.newRowsMask {
      let override = OutputMask.only(units, of: c)
      total += segmentLoss(
        newRows, mask: override, weight: newWeight, view: view, gradient: gradient)
    } else {
      total += segmentLoss(newRows, mask: nil, weight: newWeight, view: view, gradient: gradient)
    }
    // Replayed segments share one mean when concatenated, so each gets its share of the weight.
    for segment in replayed where replayCount > 0 {
      let share = replayWeight * Float(segment.count) / Float(replayCount)
      total += segmentLoss(segment, mask: nil, weight: share, view: view, gradient: gradient)
    }
    return total
  }

  private func segmentLoss(
    _ segment: BatchSegment, mask override: OutputMask?, weight: Float, view: BatchView,
    gradient: Tensor
  ) -> Float {
    guard segment.count > 0 else { return 0 }
    let rowsMask: OutputMask
    if let override {
      rowsMask = override
    } else {
      var shifted = mask
      shifted.firstRow = segment.start
      rowsMask = shifted
    }
    let mean = SoftmaxCrossEntropy.loss(
      logits: view.logits.rows(segment.start, count: segment.count),
      labels: view.labels + segment.start, mask: rowsMask,
      gradient: gradient.rows(segment.start, count: segment.count), weight: weight,
      accumulate: true,
      perExample: view.perExampleLoss + segment.start)
    return weight * mean
  }

  /// The predictor for evaluation after `stage`: a strategy's own, or the model's argmax.
  public func predictor(stage: Int) throws -> any Predictor {
    for i in strategies.indices where strategies[i].roles.contains(.predicts) {
      if let own = try strategies[i].predictor(
        stage: stage, model: model, stream: stream, rng: &replayDraws)
      {
        return own
      }
    }
    return ModelPredictor(model: model)
  }

  /// The positions of the data-order and replay streams (eight words), for checkpoints.
  var randomState: [UInt64] { dataOrder.state + replayDraws.state }

  /// Continues both streams from `words` (as `randomState` gave them).
  /// - Throws: `ModelError.checkpointMismatch` when the words are not two valid stream states,
  ///   rather than silently continuing with fresh streams.
  func restoreRandomState(_ words: [UInt64]?, file: String) throws {
    guard let words, words.count == 8, let order = RandomStream(state: Array(words[0..<4])),
      let replay = RandomStream(state: Array(words[4..<8]))
    else {
      throw ModelError.checkpointMismatch(
        file: file, field: "trainer.random", expected: "the positions of two random streams",
        found: words.map { "\($0.count) words" } ?? "nothing")
    }
    dataOrder = order
    replayDraws = replay
  }

  /// Bytes the strategies keep (memories, anchors, importances).
  public var strategyMemoryBytes: Int { strategies.reduce(0) { $0 + $1.memoryBytes } }
}
