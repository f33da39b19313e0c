import Foundation

/// Settings of the training loop shared by every strategy.
public struct TrainerConfig: Sendable, Equatable {
  /// New examples per step.
  public var batchSize: Int = 128
  /// Passes over each task's data (ignored when `iterations` is set).
  public var epochs: Int = 1
  /// Steps per task instead of epochs.
  public var iterations: Int? = nil
  /// Whether the optimiser's state is cleared when a task begins.
  public var resetOptimizerPerTask: Bool = false
  /// How replayed rows weigh against new rows in the base loss (nil: `.concatenate`). Set
  /// explicitly, it is refused next to a strategy that shapes the loss itself.
  public var replayCombination: BaseLoss.Combination? = nil
  /// Whether strategies are told where tasks begin and end (false: task-free).
  public var boundariesVisible: Bool = true
  /// How the learning rate changes over a task's steps.
  public var schedule: LearningRateSchedule = .constant
  /// Rescales the gradient to at most this L2 norm before the step (nil: never).
  public var gradientClipNorm: Float? = nil
  /// Whether the output layer is zeroed when each task begins (the continual pairs protocol:
  /// a fresh head per binary task; its optimiser state is cleared too).
  public var resetsHeadPerTask = false

  /// The defaults: batch 128, one epoch per task, optimiser state kept, boundaries visible.
  public init(
    batchSize: Int = 128, epochs: Int = 1, iterations: Int? = nil,
    resetOptimizerPerTask: Bool = false,
    replayCombination: BaseLoss.Combination? = nil, boundariesVisible: Bool = true
  ) {
    self.batchSize = batchSize
    self.epochs = epochs
    self.iterations = iterations
    self.resetOptimizerPerTask = resetOptimizerPerTask
    self.replayCombination = replayCombination
    self.boundariesVisible = boundariesVisible
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

/// How the learning rate moves over the steps of a task.
public enum LearningRateSchedule: Sendable, Equatable {
  /// The optimiser's rate throughout.
  case constant
  /// Cosine annealing from the optimiser's rate down to `final` over the task (GDumb's SGDR
  /// with a single cycle).
  case cosine(final: Float)

  /// The rate at `step` (0-based) of `total`.
  public func rate(base: Float, step: Int, of total: Int) -> Float {
    switch self {
    case .constant: return base
    case .cosine(let final):
      let progress = total > 1 ? Float(step) / Float(total - 1) : 1
      return final + (base - final) * 0.5 * (1 + cos(.pi * progress))
    }
  }
}
