import EngramNN
import EngramRandom

/// L2 Init (Kumar, Marklund & Van Roy 2023, "Maintaining Plasticity in Continual Learning via
/// Regenerative Regularization"): a pull toward the *initial* parameters, λ‖θ − θ₀‖² over every
/// weight and bias, so that a network that drifts on a long stream keeps the trainability of
/// its initialisation. θ₀ is taken when the first task begins (after initialisation, before
/// any step) and saved with the run.
///
/// Engram uses the paper's λ‖θ − θ₀‖² (gradient 2λ(θ − θ₀)); the authors' code uses λ/2, so its
/// λ is twice Engram's (reference/plasticity.md §3). Default λ = 1e-3, inside the paper's grid
/// {1e-2 … 1e-5}. It needs no stored data, so the embeddable learner takes it too.
public struct L2Init: SingleAnchorStrategy {
  /// λ.
  public let lambda: Float
  var anchor: ParameterAnchor?

  /// An L2 Init strategy with strength `lambda`.
  public init(lambda: Float = 1e-3) {
    self.lambda = lambda
  }

  public var descriptor: MethodDescriptor { Self.descriptor }
  var lossName: String { "l2_init" }

  public mutating func taskWillBegin(_ task: TaskContext, model: Model) throws {
    guard anchor == nil else { return }
    anchor = ParameterAnchor(
      center: Array(model.parameters),
      weights: [Float](repeating: 1, count: model.parameterCount))
  }

  /// θ₀ (empty before the first task).
  public var initialParameters: [Float] { anchor?.center ?? [] }
}

extension L2Init {
  /// The hyperparameters `l2-init` reads.
  public enum Parameters {
    /// λ.
    public static let lambda = Hyperparameter<Float>(
      "l2_init_lambda", default: 1e-3, in: 0...1e6, "L2 Init λ (loss λ‖θ − θ₀‖²)")
  }

  /// `--strategy l2-init`.
  public static let descriptor = MethodDescriptor(
    name: "l2-init",
    summary: "L2 Init: a pull toward the initial parameters, for plasticity (Kumar et al. 2023)",
    parameters: [Parameters.lambda.spec], needsStoredData: false, usesLabels: false,
    build: { s in L2Init(lambda: s[Parameters.lambda]) })
}
