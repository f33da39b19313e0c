import Foundation

/// Adam (Kingma & Ba) as PyTorch's `Adam` with L2 weight decay: g ← g + λθ;
/// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − η·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε).
public final class Adam: Optimizer {
  /// η.
  public var learningRate: Float
  /// β₁.
  public let beta1: Float
  /// β₂.
  public let beta2: Float
  /// ε.
  public let epsilon: Float
  /// λ.
  public let weightDecay: Float
  private var first: [Float] = []
  private var second: [Float] = []
  private var steps = 0

  /// An Adam optimiser with PyTorch's defaults.
  public init(
    learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
    weightDecay: Float = 0
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
  }

  public var description: String {
    "adam(lr \(learningRate), betas (\(beta1), \(beta2)), eps \(epsilon), weight decay \(weightDecay))"
  }

  public func step(
    parameters: UnsafeMutableBufferPointer<Float>, gradients: UnsafeMutableBufferPointer<Float>
  ) {
    let n = parameters.count
    if first.count != n {
      first = [Float](repeating: 0, count: n)
      second = [Float](repeating: 0, count: n)
      steps = 0
    }
    steps += 1
    let c1 = 1 - pow(beta1, Float(steps))
    let c2 = 1 - pow(beta2, Float(steps))
    let (lr, b1, b2, eps, wd) = (learningRate, beta1, beta2, epsilon, weightDecay)
    guard let w = parameters.baseAddress, let g = gradients.baseAddress else { return }
    first.withUnsafeMutableBufferPointer { mp in
      second.withUnsafeMutableBufferPointer { vp in
        let m = mp.baseAddress!
        let v = vp.baseAddress!
        let rootC2 = c2.squareRoot()
        for i in 0..<n {
          let d = g[i] + wd * w[i]
          m[i] = b1 * m[i] + (1 - b1) * d
          v[i] = b2 * v[i] + (1 - b2) * d * d
          w[i] -= lr * (m[i] / c1) / (v[i].squareRoot() / rootC2 + eps)
        }
      }
    }
  }

  /// Zeroes m and v of the parameters; the step count is shared and kept, so a reset weight's
  /// first step is (1 − β₁)/√(1 − β₂) ≈ 3.16 times η·sign(g) (reference/plasticity.md §2).
  public func forget(_ ranges: [Range<Int>]) {
    guard !first.isEmpty else { return }
    for range in ranges {
      for i in range {
        first[i] = 0
        second[i] = 0
      }
    }
  }

  public func reset() {
    first = []
    second = []
    steps = 0
  }

  public var state: [String: [Float]] {
    // The step count is split into two exact 24-bit halves (a Float holds integers to 2²⁴).
    first.isEmpty
      ? [:]
      : [
        "first": first, "second": second, "steps": [Float(steps >> 24), Float(steps & 0xFF_FFFF)],
      ]
  }

  public func restore(_ state: [String: [Float]], parameterCount: Int) throws {
    if state.isEmpty { return reset() }
    first = try restoredArray(state, "first", count: parameterCount)
    second = try restoredArray(state, "second", count: parameterCount)
    let halves = try restoredArray(state, "steps", count: 2)
    steps = Int(halves[0]) << 24 | Int(halves[1])
  }
}
