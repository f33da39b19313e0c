/// Updates parameters from gradients, keeping whatever state it needs (momentum, moments).
///
/// State is allocated on the first step for the parameter count it sees and cleared by
/// `reset()`, which continual-learning protocols call at task boundaries when asked to.
public protocol Optimizer: AnyObject {
  /// The step size.
  var learningRate: Float { get set }
  /// One update of `parameters` from `gradients`.
  func step(
    parameters: UnsafeMutableBufferPointer<Float>, gradients: UnsafeMutableBufferPointer<Float>)
  /// Forgets all state (the next step behaves like the first).
  func reset()
  /// Forgets the state of the parameters in `ranges` (units given fresh values), keeping the
  /// rest; shared counters such as Adam's step count are kept.
  func forget(_ ranges: [Range<Int>])
  /// The state as named Float arrays (for checkpoints).
  var state: [String: [Float]] { get }
  /// Restores state saved by `state`.
  /// - Throws: `ModelError.checkpointMismatch` for arrays of the wrong name or size.
  func restore(_ state: [String: [Float]], parameterCount: Int) throws
  /// A short description ("sgd(lr 0.01, momentum 0.9)").
  var description: String { get }
}

/// Checks a restored optimiser array.
func restoredArray(_ state: [String: [Float]], _ key: String, count: Int) throws -> [Float] {
  guard let values = state[key] else {
    throw ModelError.checkpointMismatch(
      file: "optimizer state", field: key, expected: "\(count) values", found: "nothing")
  }
  guard values.count == count else {
    throw ModelError.checkpointMismatch(
      file: "optimizer state", field: key, expected: "\(count) values", found: "\(values.count)")
  }
  return values
}
