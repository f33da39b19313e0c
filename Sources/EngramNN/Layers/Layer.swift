import EngramRandom

/// Whether a forward pass is for training (dropout active) or inference.
public enum Mode: Sendable {
  /// Training: stochastic layers draw noise.
  case training
  /// Inference: deterministic.
  case inference
}

/// A differentiable layer with preallocated buffers.
///
/// Lifecycle: the model `bind`s the layer's window of its flat parameter and gradient
/// buffers, `initialize`s parameters, and calls `prepare(batchCapacity:)`, the only place a
/// layer allocates. `forward` returns a view into the layer's output buffer (valid until its
/// next `forward`); `backward` *adds* parameter gradients (the trainer zeroes once per step)
/// and returns dL/dx, also a view into the layer's own buffer.
public protocol Layer: AnyObject {
  /// A short description ("linear 784→400").
  var description: String { get }
  /// Features per input example.
  var inputWidth: Int { get }
  /// Features per output example.
  var outputWidth: Int { get }
  /// Number of parameters (weights then biases).
  var parameterCount: Int { get }
  /// Points the layer at its windows of the model's flat parameter and gradient buffers.
  func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>)
  /// Draws initial parameters (and seeds any noise the layer uses).
  func initialize(
    _ initializer: Initializer, weights: inout RandomStream, noise: inout RandomStream)
  /// Allocates buffers for batches of up to `batchCapacity` examples.
  func prepare(batchCapacity: Int)
  /// The layer's output for input `x`.
  func forward(_ x: Tensor, mode: Mode) -> Tensor
  /// Accumulates parameter gradients from dL/dy and returns dL/dx (nil when not requested).
  /// `x` and `y` are the input and output of the last `forward`.
  func backward(_ dy: Tensor, input x: Tensor, output y: Tensor, inputGradient: Bool) -> Tensor?
  /// A new layer of the same configuration (unbound, unprepared).
  func makeCopy() -> Layer
  /// Adds Σₙ s(∂ℓₙ/∂θ) over the batch's examples n into `accumulator` (this layer's window),
  /// where s squares or takes absolute values, given the per-example gradient rows `dy`.
  func accumulatePerExample(
    _ statistic: PerExampleStatistic, dy: Tensor, input x: Tensor,
    into accumulator: UnsafeMutablePointer<Float>)
}

/// A statistic of per-example gradients summed over a batch.
public enum PerExampleStatistic: Sendable {
  /// Σₙ gₙ² (EWC's diagonal Fisher).
  case squared
  /// Σₙ |gₙ| (MAS's importance).
  case absolute
}

extension Layer {
  /// Multiply-accumulates per example of a forward pass (0 for cheap element-wise layers).
  public var multiplyAccumulates: Int {
    if let linear = self as? Linear { return linear.inputWidth * linear.outputWidth }
    if let conv = self as? Conv2D { return conv.outputWidth * conv.geometry.patchSize }
    return 0
  }

  /// Layers without parameters contribute nothing.
  public func accumulatePerExample(
    _ statistic: PerExampleStatistic, dy: Tensor, input x: Tensor,
    into accumulator: UnsafeMutablePointer<Float>
  ) {}
}

/// Writes s(v) element-wise: v² or |v|.
@inline(__always)
func apply(
  _ statistic: PerExampleStatistic, _ from: UnsafePointer<Float>, _ to: UnsafeMutablePointer<Float>,
  _ n: Int
) {
  switch statistic {
  case .squared: for i in 0..<n { to[i] = from[i] * from[i] }
  case .absolute: for i in 0..<n { to[i] = abs(from[i]) }
  }
}

/// The window of a model's flat buffers that holds one layer's parameters.
public struct ParameterWindow: Sendable, Equatable {
  /// The layer's description.
  public let layer: String
  /// Index of the layer in the model.
  public let index: Int
  /// Offset of the layer's first parameter in the flat buffer.
  public let offset: Int
  /// Number of parameters.
  public let count: Int
}
