import EngramNN
import EngramRandom

/// Synaptic intelligence (Zenke, Poole & Ganguli 2017): importance from each parameter's
/// contribution to the loss decrease along the training path.
///
/// During a task, after every step ω ← ω − g·Δθ with g the gradient the step used and Δθ the
/// change it actually made (so momentum and Adam are accounted for). At the task's end
/// Ω ← Ω + ω/(Δ² + ξ) with Δ the task's total change, θ̃ ← θ, ω ← 0. Penalty c·Σ Ω(θ − θ̃)².
/// Defaults c = 0.1, ξ = 0.1 (the paper's Permuted MNIST values; van de Ven's ξ). ω may be
/// negative and is not clipped (reference/methods.md §4.3, oracle O5).
public struct SynapticIntelligence: StatefulStrategy {
  /// c.
  public let strength: Float
  /// ξ.
  public let damping: Float
  var omega: [Float] = []
  var anchor: ParameterAnchor?
  var taskStart: [Float] = []
  var previous: [Float] = []

  /// An SI strategy.
  public init(strength: Float = 0.1, damping: Float = 0.1) {
    self.strength = strength
    self.damping = damping
  }

  public var descriptor: MethodDescriptor { Self.descriptor }
  public var memoryBytes: Int { 4 * (omega.count * 3 + (anchor?.center.count ?? 0) * 2) }

  /// The running path integral, the task's start and last parameters, and the anchor.
  public struct State: Codable, Sendable {
    var omega: PackedFloats
    var taskStart: PackedFloats
    var previous: PackedFloats
    var anchor: ParameterAnchor.State?
  }

  public var state: State {
    State(
      omega: PackedFloats(omega), taskStart: PackedFloats(taskStart),
      previous: PackedFloats(previous), anchor: anchor?.state)
  }

  public mutating func restore(_ state: State, model: Model) throws {
    let p = model.parameterCount
    omega = try state.omega.checked(count: p, field: "si.omega")
    taskStart = try state.taskStart.checked(count: p, field: "si.start")
    previous = try state.previous.checked(count: p, field: "si.previous")
    anchor = try state.anchor.map { try ParameterAnchor($0, parameters: p) }
  }

  public mutating func taskWillBegin(_ task: TaskContext, model: Model) throws {
    taskStart = Array(model.parameters)
    previous = taskStart
    omega = [Float](repeating: 0, count: model.parameterCount)
  }

  public mutating func addLoss(_ terms: inout LossTerms, batch: BatchView, model: Model) {
    guard let anchor else { return }
    let value = anchor.penalty(
      at: model.parameters, gradientScale: 2 * strength, into: terms.parameterGradient)
    terms.record("si", Float(Double(strength) * value))
  }

  public mutating func stepDidFinish(batch: BatchView, model: Model, rng: inout RandomStream) {
    guard omega.count == model.parameterCount else { return }
    let theta = model.parameters
    let g = model.gradients
    for i in 0..<theta.count {
      omega[i] -= g[i] * (theta[i] - previous[i])
      previous[i] = theta[i]
    }
  }

  public mutating func taskDidEnd(_ task: TaskContext, model: Model, rng: inout RandomStream) throws
  {
    guard omega.count == model.parameterCount else { return }
    let theta = Array(model.parameters)
    var importance = anchor?.weights ?? [Float](repeating: 0, count: theta.count)
    for i in theta.indices {
      let delta = theta[i] - taskStart[i]
      importance[i] += omega[i] / (delta * delta + damping)
    }
    anchor = ParameterAnchor(center: theta, weights: importance)
  }

  /// The accumulated importance Ω (for tests and reports).
  public var importance: [Float] { anchor?.weights ?? [] }
  /// The running path integral ω of the current task.
  public var pathIntegral: [Float] { omega }
}

extension SynapticIntelligence {
  /// The hyperparameters `si` reads.
  public enum Parameters {
    /// c.
    public static let strength = Hyperparameter<Float>(
      "si_c", default: 0.1, in: 0...1e12, "SI strength c")
    /// ξ.
    public static let damping = Hyperparameter<Float>(
      "si_xi", default: 0.1, in: 1e-12...1e6, "SI damping ξ")
  }

  /// `--strategy si`.
  public static let descriptor = MethodDescriptor(
    name: "si", summary: "Synaptic intelligence: path-integral importances (Zenke et al. 2017)",
    parameters: [Parameters.strength.spec, Parameters.damping.spec], usesLabels: false,
    build: { s in
      SynapticIntelligence(strength: s[Parameters.strength], damping: s[Parameters.damping])
    })
}
