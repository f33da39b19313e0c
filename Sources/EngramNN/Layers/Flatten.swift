import EngramRandom

/// Turns image activations (height × width × channels per row) into plain feature vectors.
///
/// Activations are already stored as one row per example, so this is the identity; it exists
/// so that an architecture reads as it is meant (convolutions, then a flat classifier).
/// Note the order is channels-last, unlike PyTorch's channels-first `flatten`.
public final class Flatten: Layer {
  /// Features in and out.
  public let inputWidth: Int

  /// A flatten of `width` features.
  public init(width: Int) {
    inputWidth = width
  }

  public var description: String { "flatten" }
  public var outputWidth: Int { inputWidth }
  public var parameterCount: Int { 0 }
  public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>)
  {}
  public func initialize(
    _ initializer: Initializer, weights: inout RandomStream, noise: inout RandomStream
  ) {}
  public func prepare(batchCapacity: Int) {}
  public func forward(_ x: Tensor, mode: Mode) -> Tensor { x }
  public func backward(_ dy: Tensor, input x: Tensor, output y: Tensor, inputGradient wanted: Bool)
    -> Tensor?
  {
    wanted ? dy : nil
  }
  public func makeCopy() -> Layer { Flatten(width: inputWidth) }
}
