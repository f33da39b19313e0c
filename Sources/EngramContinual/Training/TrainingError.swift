/// Errors while training or evaluating; each says what happened and what to try.
public enum TrainingError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The loss became NaN or infinite.
  case nonFiniteLoss(task: String, epoch: Int, step: Int, value: Float)
  /// Data that does not fit the model.
  case incompatibleData(dataset: String, problem: String)
  /// A training setting outside its range.
  case invalidSetting(name: String, value: String, allowed: String)
  /// Two strategies that both claim a transforming role.
  case conflictingRoles(first: String, second: String, role: String)
  /// A run checkpoint saved by a run with other settings.
  case checkpointOfAnotherRun(file: String)

  /// What went wrong and what to do about it.
  public var description: String {
    switch self {
    case .nonFiniteLoss(let task, let epoch, let step, let value):
      return
        "training diverged on \(task): the loss became \(value) at epoch \(epoch), step \(step); lower the learning rate (--lr) or the momentum"
    case .incompatibleData(let dataset, let problem):
      return "\(dataset): \(problem)"
    case .invalidSetting(let name, let value, let allowed):
      return "\(name) = \(value) is out of range: \(allowed)"
    case .conflictingRoles(let first, let second, let role):
      return "\(first) and \(second) cannot be combined: both \(role); choose one of them"
    case .checkpointOfAnotherRun(let file):
      return
        "\(file): this checkpoint was saved by a run with other settings; resume from the folder the run was started with, or start afresh with a new --checkpoint-dir"
    }
  }
}
