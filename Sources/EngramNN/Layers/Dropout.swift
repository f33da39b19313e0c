import EngramRandom

/// Inverted dropout: in training each feature is zeroed with probability p and the rest are
/// scaled by 1/(1 − p); at inference it passes its input through unchanged.
///
/// Its noise comes from a stream seeded from the model's noise stream at initialisation, so
/// dropout never shifts the data-order or replay streams.
public final class Dropout: Layer {
  /// The drop probability.
  public let probability: Float
  /// Features in and out.
  public let inputWidth: Int
  private var stream = RandomStream(seed: 0)
  private var mask = Tensor(rows: 0, columns: 0)
  private var output = Tensor(rows: 0, columns: 0)
  private var inputGradient = Tensor(rows: 0, columns: 0)
  private var masked = false

  /// Dropout with probability `p` (0 ≤ p < 1) over `width` features.
  public init(probability p: Float, width: Int) {
    precondition(p >= 0 && p < 1, "dropout probability must lie in [0, 1)")
    probability = p
    inputWidth = width
  }

  public var description: String { "dropout(\(probability))" }
  public var outputWidth: Int { inputWidth }
  public var parameterCount: Int { 0 }
  public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>)
  {}

  public func initialize(
    _ initializer: Initializer, weights: inout RandomStream, noise: inout RandomStream
  ) {
    stream = RandomStream(seed: noise.next())
  }

  public func prepare(batchCapacity: Int) {
    mask = Tensor(rows: batchCapacity, columns: inputWidth)
    output = Tensor(rows: batchCapacity, columns: inputWidth)
    inputGradient = Tensor(rows: batchCapacity, columns: inputWidth)
  }

  public func forward(_ x: Tensor, mode: Mode) -> Tensor {
    masked = mode == .training && probability > 0
    guard masked else { return x }
    let y = output.prefix(rows: x.rows)
    let keep = 1 / (1 - probability)
    let m = mask.pointer
    for i in 0..<x.count {
      m[i] = stream.nextUniform() < Double(probability) ? 0 : keep
      y.pointer[i] = x.pointer[i] * m[i]
    }
    return y
  }

  public func backward(_ dy: Tensor, input x: Tensor, output y: Tensor, inputGradient wanted: Bool)
    -> Tensor?
  {
    guard wanted else { return nil }
    guard masked else { return dy }
    let dx = inputGradient.prefix(rows: dy.rows)
    for i in 0..<dy.count { dx.pointer[i] = dy.pointer[i] * mask.pointer[i] }
    return dx
  }

  public func makeCopy() -> Layer { Dropout(probability: probability, width: inputWidth) }

  /// The dropout noise stream's state (for checkpoints).
  public var noiseState: [UInt64] {
    get { stream.state }
    set { if let restored = RandomStream(state: newValue) { stream = restored } }
  }
}
