import EngramNN
import EngramRandom

/// The parts of the training step a strategy transforms rather than adds to.
///
/// Additive contributions (extra loss terms, gradient terms) compose freely. A transforming
/// role can have one owner: two strategies claiming the same role make `Trainer.init` throw
/// `TrainingError.conflictingRoles`, naming both.
public struct StrategyRoles: OptionSet, Sendable {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }
  /// Adds replayed rows to the batch (ER, DER, GEM's memory is separate and does not).
  public static let composesBatch = StrategyRoles(rawValue: 1)
  /// Rewrites the gradient before the optimiser step (GEM, A-GEM).
  public static let projectsGradient = StrategyRoles(rawValue: 2)
  /// Replaces or reshapes the base classification loss (iCaRL, ER-ACE).
  public static let shapesLoss = StrategyRoles(rawValue: 4)
  /// Makes the predictions at evaluation (iCaRL's nearest mean, GDumb's retrained model).
  public static let predicts = StrategyRoles(rawValue: 8)
  /// Chooses what the task trains on (Joint, Cumulative).
  public static let choosesData = StrategyRoles(rawValue: 16)

  /// Names, for messages.
  public var names: [String] {
    [
      (Self.composesBatch, "composes the batch"), (.projectsGradient, "projects the gradient"),
      (.shapesLoss, "shapes the loss"), (.predicts, "makes the predictions"),
      (.choosesData, "chooses the training data"),
    ]
    .filter { contains($0.0) }.map(\.1)
  }
}

/// What a strategy learns about the task that begins or ends.
public struct TaskContext {
  /// The stream.
  public let stream: TaskStream
  /// The task's index.
  public let index: Int
  /// The training examples of this task (its view; mixed neighbours in blurry streams).
  public let examples: [ExampleReference]
  /// Reads batches of stream examples (with their transforms) for strategies that need
  /// forward passes over task data (Fisher, MAS, herding).
  public let reader: StreamBatchReader

  /// The task.
  public var task: ContinualTask { stream.tasks[index] }
}

/// A plug-in to the training loop. Every hook has a default that does nothing.
///
/// A strategy owns its state and sees only what each hook hands it — never the trainer.
/// Hooks, in order: `prepare` (once), `taskWillBegin`, then per step `composeBatch` →
/// forward → `shapeLoss` → base loss → `addLoss` → backward → `gradientsDidCompute` →
/// optimiser → `stepDidFinish`; then `taskDidEnd`. See STYLE.md ("a strategy").
public protocol Strategy {
  /// What the method is: its name, hyperparameters, roles and builder (see `MethodDescriptor`).
  var descriptor: MethodDescriptor { get }
  /// Rows the strategy may add to a batch (replay capacity), so buffers can be preallocated.
  var replayRows: Int { get }
  /// Bytes of memory the strategy keeps (buffers, anchors, Fisher …).
  var memoryBytes: Int { get }

  /// Once, before the first task: the model and stream are known; allocate here.
  mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws
  /// A task begins (not called when boundaries are hidden).
  mutating func taskWillBegin(_ task: TaskContext, model: Model) throws
  /// Adds replayed rows to the batch; called only for strategies that claim `.composesBatch`.
  mutating func composeBatch(_ batch: inout BatchComposer, rng: inout RandomStream)
  /// Adjusts how the base classification loss is computed (masks, weights, or turns it off);
  /// called only for strategies whose roles include `.shapesLoss`.
  mutating func shapeLoss(_ loss: inout BaseLoss, batch: BatchView)
  /// Adds loss terms: values into `terms`, gradients into `terms.logitGradient` and/or
  /// `terms.parameterGradient` (which backward then adds onto).
  mutating func addLoss(_ terms: inout LossTerms, batch: BatchView, model: Model)
  /// Sees (and, with `.projectsGradient`, rewrites) the full gradient before the step.
  mutating func gradientsDidCompute(model: Model, batch: BatchView, rng: inout RandomStream)
    throws
  /// After the optimiser step (the gradient used is still in `model.gradients`).
  mutating func stepDidFinish(batch: BatchView, model: Model, rng: inout RandomStream)
  /// A task ends (not called when boundaries are hidden, except after the last task).
  mutating func taskDidEnd(_ task: TaskContext, model: Model, rng: inout RandomStream) throws
  /// The strategy's own predictor for evaluation after `stage`, if it has one.
  mutating func predictor(stage: Int, model: Model, stream: TaskStream, rng: inout RandomStream)
    throws -> (any Predictor)?
  /// What task `task` trains on, when the strategy chooses (`.choosesData`); nil: the task's view.
  func trainingExamples(for task: Int, stream: TaskStream) -> [ExampleReference]?
  /// Whether the accuracy matrix has meaning only after the last task (Joint).
  var evaluatesOnlyAtEnd: Bool { get }
  /// Adds the strategy's state to a checkpoint, under `prefix` (`StatefulStrategy` does this
  /// for every strategy with state).
  func save(into checkpoint: inout Checkpoint, prefix: String) throws
  /// Restores state saved by `save`, into a strategy already prepared for the same model and
  /// stream.
  mutating func restore(from checkpoint: Checkpoint, prefix: String, model: Model) throws
}

extension Strategy {
  /// The command-line name ("replay").
  public var name: String { descriptor.name }
  /// What the strategy transforms.
  public var roles: StrategyRoles { descriptor.roles }
  public var replayRows: Int { 0 }
  public var memoryBytes: Int { 0 }
  public mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws {}
  public mutating func taskWillBegin(_ task: TaskContext, model: Model) throws {}
  public mutating func composeBatch(_ batch: inout BatchComposer, rng: inout RandomStream) {}
  public mutating func shapeLoss(_ loss: inout BaseLoss, batch: BatchView) {}
  public mutating func addLoss(_ terms: inout LossTerms, batch: BatchView, model: Model) {}
  public mutating func gradientsDidCompute(
    model: Model, batch: BatchView, rng: inout RandomStream
  ) throws {}
  public mutating func stepDidFinish(batch: BatchView, model: Model, rng: inout RandomStream) {}
  public mutating func taskDidEnd(_ task: TaskContext, model: Model, rng: inout RandomStream) throws
  {}
  public mutating func predictor(
    stage: Int, model: Model, stream: TaskStream, rng: inout RandomStream
  ) throws -> (any Predictor)? { nil }
  public func trainingExamples(for task: Int, stream: TaskStream) -> [ExampleReference]? { nil }
  public var evaluatesOnlyAtEnd: Bool { false }
  public func save(into checkpoint: inout Checkpoint, prefix: String) throws {}
  public mutating func restore(from checkpoint: Checkpoint, prefix: String, model: Model) throws {}
}

/// Predicts classes for a batch of (transformed) inputs among the active units.
public protocol Predictor {
  /// Writes one predicted unit per row of `inputs` into `into`.
  func predict(_ inputs: Tensor, mask: OutputMask, into: UnsafeMutablePointer<Int32>)
}

/// Predictions by the argmax of a model's logits (the default).
public struct ModelPredictor: Predictor {
  /// The model.
  public let model: Model
  /// A predictor for `model`.
  public init(model: Model) { self.model = model }
  public func predict(_ inputs: Tensor, mask: OutputMask, into: UnsafeMutablePointer<Int32>) {
    model.prepare(batchCapacity: inputs.rows)
    SoftmaxCrossEntropy.predictions(
      logits: model.forward(inputs, mode: .inference), mask: mask, into: into)
  }
}
