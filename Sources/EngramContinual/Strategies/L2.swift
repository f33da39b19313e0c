import EngramLinalg
import EngramNN

/// Plain L2 regularisation as a loss term, (λ/2)‖θ‖² over every weight and bias (gradient λθ),
/// the baseline of the loss-of-plasticity papers (reference/plasticity.md §7).
///
/// With SGD this is the same update as `--weight-decay λ`; as a strategy it composes with the
/// others (`replay+l2`), reports its loss term, and with Adam it is coupled L2 (the gradient
/// goes through the moments), which differs from decoupled decay. Default λ = 1e-4, the middle
/// of Dohare et al.'s Permuted MNIST grid {1e-3, 1e-4, 1e-5}.
public struct L2: Strategy {
  /// λ.
  public let lambda: Float

  /// An L2 strategy.
  public init(lambda: Float = 1e-4) { self.lambda = lambda }

  public var descriptor: MethodDescriptor { Self.descriptor }

  public mutating func addLoss(_ terms: inout LossTerms, batch: BatchView, model: Model) {
    // Every step touches every parameter: BLAS's dot and axpy, not a scalar loop.
    let theta = UnsafePointer(model.parameters.baseAddress!)
    let n = model.parameterCount
    let squared = Float._dot(n: n, x: theta, y: theta)
    Float._axpy(n: n, alpha: lambda, x: theta, y: terms.parameterGradient.baseAddress!)
    terms.record("l2", 0.5 * lambda * squared)
  }
}

extension L2 {
  /// The hyperparameters `l2` reads.
  public enum Parameters {
    /// λ.
    public static let lambda = Hyperparameter<Float>(
      "l2_lambda", default: 1e-4, in: 0...1e6, "L2 λ (loss (λ/2)‖θ‖², gradient λθ)")
  }

  /// `--strategy l2`.
  public static let descriptor = MethodDescriptor(
    name: "l2", summary: "L2 regularisation toward zero as a loss term, (λ/2)‖θ‖²",
    parameters: [Parameters.lambda.spec], needsStoredData: false, usesLabels: false,
    build: { s in L2(lambda: s[Parameters.lambda]) })
}
