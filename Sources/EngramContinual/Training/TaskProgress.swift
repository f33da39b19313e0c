/// Where a task's training loop stands: enough to continue it exactly after a restart.
public struct TaskProgress: Sendable, Equatable, Codable {
  /// The task.
  public var task: Int
  /// This epoch's example order.
  public var order: [ExampleReference]
  /// Examples of `order` already used.
  public var position: Int
  /// Epochs begun (1-based once training starts).
  public var epoch = 0
  /// Steps taken in this task.
  public var step = 0
  /// Loss sum and count of the current epoch.
  public var lossSum = 0.0
  /// Steps in `lossSum`.
  public var lossCount = 0
  /// Mean loss of the last finished epoch.
  public var lastEpochLoss = 0.0
  /// New examples the network predicted correctly before the step that trained on them, and
  /// how many were predicted (online accuracy; optional so that older checkpoints still load).
  var online: OnlineCount?

  /// Correct pre-update predictions so far in this task, and predictions made.
  public var onlineCount: OnlineCount { online ?? OnlineCount() }

  /// The state before the first step of `task`.
  public init(task: Int, order: [ExampleReference], position: Int) {
    self.task = task
    self.order = order
    self.position = position
  }
}

/// What the trainer reports after every step.
public struct StepReport: Sendable {
  /// The task trained.
  public let task: Int
  /// Epoch within the task (1-based).
  public let epoch: Int
  /// Step within the task (1-based).
  public let step: Int
  /// Steps this task takes.
  public let totalSteps: Int
  /// Steps since the start of the stream.
  public let iteration: Int
  /// The step's total loss.
  public let loss: Float
  /// Whether this step ends an epoch.
  public let endsEpoch: Bool
}

/// Correct pre-update predictions of new examples, and predictions made: the online accuracy
/// of the loss-of-plasticity papers (Dohare et al., Elsayed & Mahmood, Kumar et al.).
public struct OnlineCount: Sendable, Equatable, Codable {
  /// Correct predictions.
  public var correct = 0
  /// Predictions.
  public var seen = 0
  /// Σ (prediction − target)² of regression streams.
  public var squaredError = 0.0

  /// No predictions yet.
  public init() {}

  /// correct / seen (0 before any prediction).
  public var accuracy: Double { seen == 0 ? 0 : Double(correct) / Double(seen) }
  /// The mean squared error of the pre-update predictions (regression).
  public var meanSquaredError: Double { seen == 0 ? 0 : squaredError / Double(seen) }
}
