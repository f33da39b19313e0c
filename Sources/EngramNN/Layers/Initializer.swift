import EngramRandom

/// How weights and biases start.
///
/// - `kaimingUniform`: PyTorch's default for `nn.Linear` and `nn.Conv2d` — W ~ U(±1/√fan_in)
///   (Kaiming-uniform with a = √5) and b ~ U(±1/√fan_in).
/// - `xavierUniform`: Glorot — W ~ U(±√(6/(fan_in + fan_out))), b = 0 (mammoth's MNIST MLP).
/// See reference/methods.md §8.5.
public enum Initializer: String, Sendable, CaseIterable, Codable {
  /// PyTorch's default.
  case kaimingUniform = "kaiming-uniform"
  /// Glorot/Xavier uniform with zero biases.
  case xavierUniform = "xavier-uniform"

  /// Fills a layer's weights and biases.
  public func fill(
    weights: UnsafeMutablePointer<Float>, count: Int, bias: UnsafeMutablePointer<Float>?,
    biasCount: Int,
    fanIn: Int, fanOut: Int, using stream: inout RandomStream
  ) {
    switch self {
    case .kaimingUniform:
      let bound = 1 / Double(fanIn).squareRoot()
      for i in 0..<count { weights[i] = Float((2 * stream.nextUniform() - 1) * bound) }
      if let bias {
        for i in 0..<biasCount { bias[i] = Float((2 * stream.nextUniform() - 1) * bound) }
      }
    case .xavierUniform:
      let bound = (6 / Double(fanIn + fanOut)).squareRoot()
      for i in 0..<count { weights[i] = Float((2 * stream.nextUniform() - 1) * bound) }
      bias?.update(repeating: 0, count: biasCount)
    }
  }
}
