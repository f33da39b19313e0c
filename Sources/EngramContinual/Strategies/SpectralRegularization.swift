import EngramNN
import Foundation

/// Spectral regularisation (Lewandowski et al., ICLR 2025, "Learning Continually by Spectral
/// Regularization"; reference/plasticity.md §6): the loss gains λ·Σ_l (σ₁(W_l)^k − 1)², keeping
/// every layer's largest singular value near 1, the value at which a layer neither blows up nor
/// shrinks its inputs.
///
/// σ₁ is estimated by one power iteration per step with vectors kept across steps
/// (v ← Wᵀu/‖Wᵀu‖, u ← Wv/‖Wv‖, σ̂ = uᵀWv), and the gradient 2λ(σ̂^k − 1)·k·σ̂^{k−1}·u vᵀ treats
/// u and v as constants. Every `Linear` and `Conv2D` weight matrix takes part (a convolution as
/// out × in·kh·kw); with `includeBias` the bias is an extra column, [W | b]. u starts as the
/// normalised ones vector (deterministic; a random start makes no difference after a few steps).
/// Defaults: k = 2 (unverified in the reference), λ = 1e-3 (the paper tunes λ per problem and
/// pins no value).
public struct SpectralRegularization: StatefulStrategy {
  /// λ.
  public let lambda: Float
  /// k.
  public let power: Int
  /// Whether the bias is a column of the regularised matrix.
  public let includeBias: Bool
  var matrices: [WeightMatrix] = []
  var left: [[Float]] = []
  var right: [[Float]] = []

  /// A weight matrix of the flat parameters: rows × columns from `offset`, bias after it.
  struct WeightMatrix: Sendable {
    let offset: Int
    let rows: Int
    let columns: Int
  }

  /// A spectral regulariser.
  public init(lambda: Float = 1e-3, power: Int = 2, includeBias: Bool = false) {
    self.lambda = lambda
    self.power = power
    self.includeBias = includeBias
  }

  public var descriptor: MethodDescriptor { Self.descriptor }
  public var memoryBytes: Int { 4 * (left.reduce(0) { $0 + $1.count } + right.reduce(0) { $0 + $1.count }) }

  public mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws {
    matrices = model.windows.compactMap { window in
      let layer = model.network.layers[window.index]
      if let linear = layer as? Linear {
        return WeightMatrix(offset: window.offset, rows: linear.outputWidth, columns: linear.inputWidth)
      }
      if let conv = layer as? Conv2D {
        return WeightMatrix(
          offset: window.offset, rows: conv.outputChannels, columns: conv.geometry.patchSize)
      }
      return nil
    }
    left = matrices.map { [Float](repeating: 1 / Float($0.rows).squareRoot(), count: $0.rows) }
    right = matrices.map { [Float](repeating: 0, count: $0.columns + (includeBias ? 1 : 0)) }
  }

  /// The power-iteration vectors u (left) and v (right) of every matrix.
  public var state: [PackedFloats] { (left + right).map(PackedFloats.init) }

  public mutating func restore(_ state: [PackedFloats], model: Model) throws {
    let sizes = left.map(\.count) + right.map(\.count)
    guard state.map(\.values.count) == sizes else {
      throw ModelError.checkpointMismatch(
        file: "checkpoint", field: "spectral", expected: "vectors of sizes \(sizes)",
        found: "\(state.map(\.values.count))")
    }
    left = state.prefix(matrices.count).map(\.values)
    right = state.suffix(matrices.count).map(\.values)
  }

  public mutating func addLoss(_ terms: inout LossTerms, batch: BatchView, model: Model) {
    var total: Float = 0
    for m in matrices.indices {
      total += Self.penalize(
        matrices[m], includeBias: includeBias, u: &left[m], v: &right[m],
        parameters: model.parameters, gradient: terms.parameterGradient, lambda: lambda,
        power: power)
    }
    terms.record("spectral", total)
  }

  /// One power iteration on a matrix, then λ(σ̂^k − 1)² and its gradient added in.
  static func penalize(
    _ matrix: WeightMatrix, includeBias: Bool, u: inout [Float], v: inout [Float],
    parameters theta: UnsafeMutableBufferPointer<Float>,
    gradient: UnsafeMutableBufferPointer<Float>, lambda: Float, power: Int
  ) -> Float {
    let (rows, columns) = (matrix.rows, matrix.columns)
    let width = columns + (includeBias ? 1 : 0)
    let w = theta.baseAddress! + matrix.offset
    let bias = w + rows * columns
    func entry(_ r: Int, _ c: Int) -> Float { c < columns ? w[r * columns + c] : bias[r] }
    // v ← Wᵀu / ‖Wᵀu‖
    for c in 0..<width { v[c] = 0 }
    for r in 0..<rows {
      let ur = u[r]
      for c in 0..<columns { v[c] += w[r * columns + c] * ur }
      if includeBias { v[columns] += bias[r] * ur }
    }
    normalize(&v)
    // u ← Wv / ‖Wv‖, and σ̂ = uᵀWv = ‖Wv‖ after normalising.
    var sigma: Float = 0
    for r in 0..<rows {
      var s: Float = 0
      for c in 0..<width { s += entry(r, c) * v[c] }
      u[r] = s
    }
    sigma = normalize(&u)
    let k = Float(power)
    let gap = pow(sigma, k) - 1
    let scale = 2 * lambda * gap * k * pow(sigma, k - 1)
    let g = gradient.baseAddress! + matrix.offset
    for r in 0..<rows {
      let su = scale * u[r]
      for c in 0..<columns { g[r * columns + c] += su * v[c] }
      if includeBias { g[rows * columns + r] += su * v[columns] }
    }
    return lambda * gap * gap
  }

  /// Scales `x` to unit length (leaves a zero vector alone); returns the length it had.
  @discardableResult
  static func normalize(_ x: inout [Float]) -> Float {
    var squared: Float = 0
    for value in x { squared += value * value }
    let norm = squared.squareRoot()
    guard norm > 0 else { return 0 }
    for i in x.indices { x[i] /= norm }
    return norm
  }
}

extension SpectralRegularization {
  /// The hyperparameters `spectral` reads.
  public enum Parameters {
    /// λ.
    public static let lambda = Hyperparameter<Float>(
      "spectral_lambda", default: 1e-3, in: 0...1e6,
      "Spectral λ (loss λ·Σ_l (σ₁(W_l)^k − 1)²)")
    /// k.
    public static let power = Hyperparameter<Int>(
      "spectral_power", default: 2, in: 1...8, "Spectral exponent k on σ₁")
    /// Bias as a column.
    public static let bias = Hyperparameter<Bool>(
      "spectral_bias", default: false, "Spectral: regularise σ₁([W | b]) instead of σ₁(W)")
  }

  /// `--strategy spectral`.
  public static let descriptor = MethodDescriptor(
    name: "spectral",
    summary: "Spectral regularisation: keep each layer's top singular value near 1 (Lewandowski et al. 2025)",
    parameters: [Parameters.lambda.spec, Parameters.power.spec, Parameters.bias.spec],
    needsStoredData: false, usesLabels: false,
    build: { s in
      SpectralRegularization(
        lambda: s[Parameters.lambda], power: s[Parameters.power], includeBias: s[Parameters.bias])
    })
}
