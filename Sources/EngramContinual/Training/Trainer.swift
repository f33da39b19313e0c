import EngramData
import EngramNN
import EngramRandom

/// Settings of the training loop shared by every strategy.
public struct TrainerConfig: Sendable, Equatable {
  /// Examples per step (new data).
  public var batchSize: Int = 128
  /// Passes over each task's data (ignored when `iterations` is set).
  public var epochs: Int = 1
  /// Steps per task instead of epochs.
  public var iterations: Int? = nil
  /// Whether the optimiser's state (momentum, Adam moments) is cleared when a task begins.
  public var resetOptimizerPerTask: Bool = false

  /// The defaults: batch 128, one epoch per task, optimiser state kept.
  public init(
    batchSize: Int = 128, epochs: Int = 1, iterations: Int? = nil,
    resetOptimizerPerTask: Bool = false
  ) {
    self.batchSize = batchSize
    self.epochs = epochs
    self.iterations = iterations
    self.resetOptimizerPerTask = resetOptimizerPerTask
  }

  /// Checks the ranges.
  /// - Throws: `TrainingError.invalidSetting`.
  public func validate() throws {
    guard batchSize >= 1 && batchSize <= 1_000_000 else {
      throw TrainingError.invalidSetting(
        name: "batch", value: "\(batchSize)", allowed: "must lie in 1…1000000")
    }
    guard epochs >= 1 else {
      throw TrainingError.invalidSetting(
        name: "epochs", value: "\(epochs)", allowed: "must be at least 1")
    }
    if let iterations, iterations < 1 {
      throw TrainingError.invalidSetting(
        name: "iterations", value: "\(iterations)", allowed: "must be at least 1")
    }
  }
}

/// Progress reported after every epoch (or every `progressEvery` steps with iterations).
public struct TrainingProgress: Sendable {
  /// The task being trained.
  public let task: String
  /// Epoch (1-based).
  public let epoch: Int
  /// Steps done in this task.
  public let step: Int
  /// Steps this task will take.
  public let totalSteps: Int
  /// Mean training loss since the last report.
  public let meanLoss: Double
}

/// Owns the training step: batch → forward → loss → backward → optimiser.
///
/// Data order comes from stream `.dataOrder`. A non-finite loss stops training with
/// `TrainingError.nonFiniteLoss` before the step is applied, so the model keeps its last
/// finite parameters.
public final class Trainer {
  /// The model trained.
  public let model: Model
  /// The optimiser.
  public let optimizer: Optimizer
  /// Loop settings.
  public let config: TrainerConfig
  private var dataOrder: RandomStream
  private let reader: BatchReader
  private let logitGradient: Tensor

  /// A trainer; the model must already be initialised.
  /// - Throws: `TrainingError.invalidSetting` for bad settings.
  public init(model: Model, optimizer: Optimizer, config: TrainerConfig, streams: RandomStreams)
    throws
  {
    try config.validate()
    self.model = model
    self.optimizer = optimizer
    self.config = config
    dataOrder = streams.stream(.dataOrder)
    model.prepare(batchCapacity: config.batchSize)
    reader = BatchReader(capacity: config.batchSize, width: model.inputWidth)
    logitGradient = Tensor(rows: config.batchSize, columns: model.outputWidth)
  }

  /// Trains on one task, with the output units `mask` leaves active, reporting progress.
  /// - Returns: the mean training loss of the task's last epoch.
  /// - Throws: `TrainingError.nonFiniteLoss`; `.incompatibleData` when the data do not fit
  ///   the model.
  @discardableResult
  public func train(
    _ task: TrainingTask, mask: OutputMask? = nil, progress: (TrainingProgress) -> Void = { _ in }
  ) throws -> Double {
    try check(task.train)
    if config.resetOptimizerPerTask { optimizer.reset() }
    let pipeline =
      task.transforms.isEmpty
      ? nil : TransformPipeline(task.transforms, width: task.train.featureCount)
    let n = task.train.count
    let stepsPerEpoch = (n + config.batchSize - 1) / config.batchSize
    let totalSteps = config.iterations ?? stepsPerEpoch * config.epochs
    var order = Array(0..<n)
    var position = n  // forces a shuffle before the first batch
    var epoch = 0
    var lossSum = 0.0
    var lossCount = 0
    var lastEpochLoss = 0.0
    for step in 1...totalSteps {
      if position >= n {
        dataOrder.shuffle(&order)
        position = 0
        epoch += 1
      }
      let batch = order[position..<min(position + config.batchSize, n)]
      position += batch.count
      let x = reader.read(batch, from: task.train, transforms: pipeline)
      let loss = trainStep(x, task: task, mask: mask, epoch: epoch, step: step)
      guard loss.isFinite else {
        throw TrainingError.nonFiniteLoss(task: task.name, epoch: epoch, step: step, value: loss)
      }
      model.zeroGradients()
      lossSum += Double(loss)
      lossCount += 1
      let epochEnds = position >= n || step == totalSteps
      if epochEnds {
        lastEpochLoss = lossSum / Double(lossCount)
        progress(
          TrainingProgress(
            task: task.name, epoch: epoch, step: step, totalSteps: totalSteps,
            meanLoss: lastEpochLoss))
        lossSum = 0
        lossCount = 0
      }
    }
    return lastEpochLoss
  }

  /// Forward, loss, backward and (when the loss is finite) the optimiser step; returns the loss.
  private func trainStep(_ x: Tensor, task: TrainingTask, mask: OutputMask?, epoch: Int, step: Int)
    -> Float
  {
    let logits = model.forward(x, mode: .training)
    let dLogits = logitGradient.prefix(rows: x.rows)
    let loss = reader.labels.withUnsafeBufferPointer {
      SoftmaxCrossEntropy.loss(
        logits: logits, labels: $0.baseAddress!, mask: mask, gradient: dLogits)
    }
    guard loss.isFinite else { return loss }
    model.backward(dLogits)
    optimizer.step(parameters: model.parameters, gradients: model.gradients)
    return loss
  }

  private func check(_ data: Dataset) throws {
    guard data.featureCount == model.inputWidth else {
      throw TrainingError.incompatibleData(
        dataset: data.name,
        problem:
          "examples have \(data.featureCount) features but the model takes \(model.inputWidth)")
    }
    guard data.classCount <= model.outputWidth else {
      throw TrainingError.incompatibleData(
        dataset: data.name,
        problem: "\(data.classCount) classes but the model has \(model.outputWidth) outputs")
    }
    guard data.count > 0 else {
      throw TrainingError.incompatibleData(dataset: data.name, problem: "no examples")
    }
  }
}
