import EngramContinual

/// Something that follows a run while it trains (a TensorBoard writer, say): told the run's
/// identity once its store row exists, every event of the experiment, and the final record,
/// whether the run completed, failed or was interrupted.
///
/// The methods do not throw: a listener's trouble (a full disk under its folder) must not
/// stop a run whose results are stored elsewhere. A listener keeps its own first error and
/// stops; its owner reports it.
public protocol RunListener: AnyObject, Sendable {
  /// The run has an identity: its store id (nil without a store), its unique id and its label.
  func runStarted(id: Int64?, uid: String, label: String)
  /// An event of the experiment (steps, task ends).
  func observe(_ event: ExperimentEvent)
  /// The run ended with `record` (status complete, failed or interrupted).
  func runEnded(_ record: RunRecord)
}
