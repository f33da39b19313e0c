/// Stochastic gradient descent with momentum and L2 weight decay, as PyTorch's `SGD`
/// (dampening 0, not Nesterov): g ← g + λ·θ; v ← μ·v + g; θ ← θ − η·v.
public final class SGD: Optimizer {
  /// η.
  public var learningRate: Float
  /// μ (0: plain SGD).
  public let momentum: Float
  /// λ.
  public let weightDecay: Float
  private var velocity: [Float] = []

  /// An SGD optimiser.
  public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
    self.learningRate = learningRate
    self.momentum = momentum
    self.weightDecay = weightDecay
  }

  public var description: String {
    "sgd(lr \(learningRate), momentum \(momentum), weight decay \(weightDecay))"
  }

  public func step(
    parameters: UnsafeMutableBufferPointer<Float>, gradients: UnsafeMutableBufferPointer<Float>
  ) {
    let n = parameters.count
    let (lr, mu, wd) = (learningRate, momentum, weightDecay)
    guard let w = parameters.baseAddress, let g = gradients.baseAddress else { return }
    if mu == 0 {
      for i in 0..<n { w[i] -= lr * (g[i] + wd * w[i]) }
      return
    }
    if velocity.count != n { velocity = [Float](repeating: 0, count: n) }
    velocity.withUnsafeMutableBufferPointer { vp in
      let v = vp.baseAddress!
      for i in 0..<n {
        let d = g[i] + wd * w[i]
        v[i] = mu * v[i] + d
        w[i] -= lr * v[i]
      }
    }
  }

  public func reset() { velocity = [] }

  public func forget(_ ranges: [Range<Int>]) {
    guard !velocity.isEmpty else { return }
    for range in ranges { for i in range { velocity[i] = 0 } }
  }

  public var state: [String: [Float]] { velocity.isEmpty ? [:] : ["velocity": velocity] }

  public func restore(_ state: [String: [Float]], parameterCount: Int) throws {
    velocity = state.isEmpty ? [] : try restoredArray(state, "velocity", count: parameterCount)
  }
}
