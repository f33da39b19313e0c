/// Mean squared error averaged over every element, L = (1/(n·c))·Σ (y − t)², PyTorch's
/// `MSELoss()`; dL/dy = 2(y − t)/(n·c).
public enum MeanSquaredError {
  /// The loss; writes (or adds) weight·dL/dy into `gradient` when given.
  public static func loss(
    outputs: Tensor, targets: Tensor, gradient: Tensor? = nil, weight: Float = 1,
    accumulate: Bool = false
  ) -> Float {
    precondition(
      outputs.rows == targets.rows && outputs.columns == targets.columns,
      "MSE between different shapes")
    let n = outputs.count
    var total = 0.0
    let scale = 2 * weight / Float(n)
    for i in 0..<n {
      let d = outputs.pointer[i] - targets.pointer[i]
      total += Double(d * d)
      if let gradient {
        if accumulate { gradient.pointer[i] += scale * d } else { gradient.pointer[i] = scale * d }
      }
    }
    return Float(total / Double(n))
  }
}
