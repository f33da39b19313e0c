import EngramNN
import EngramRandom

/// Shrink and perturb (Ash & Adams 2020, "On Warm-Starting Neural Network Training"), the
/// remedy for warm-started networks that stop generalising, in its two forms
/// (reference/plasticity.md §4):
///
/// - at each task boundary (`shrink-perturb`, the official code): θ ← λ_s·θ + σ_p·θ_fresh, with
///   θ_fresh a fresh draw of the network's initialisation (`Model.freshParameters`, seeded from
///   the trainer's stream); defaults λ_s = 0.4, σ_p = 0.1. It acts when a task after the first
///   begins — not when a task ends, so every accuracy-matrix row measures the trained network.
/// - after every step (`shrink-perturb-step`, Dohare et al.'s per-step form with the shrink as
///   a factor): θ ← (1 − s)·θ + σ·ξ, ξ ~ N(0, 1) per parameter, the output layer included and
///   not scaled by the learning rate; defaults s = 1e-4, σ = 1e-5.
///
/// The same σ means different noise in the two forms, so they are separate methods. Both act on
/// the parameters only: the optimiser's state (momentum) is kept.
public struct ShrinkPerturb: StatefulStrategy {
  /// When the parameters are shrunk and perturbed.
  public enum Schedule: Sendable, Equatable {
    /// At each task boundary, toward a fresh initialisation.
    case taskBoundary
    /// After every optimiser step, with Gaussian noise.
    case everyStep
  }

  /// The form.
  public let schedule: Schedule
  /// λ_s (boundary: the factor kept) or s (per step: the fraction removed).
  public let shrink: Float
  /// σ_p (boundary: the weight of the fresh draw) or σ (per step: the noise's deviation).
  public let noise: Float
  /// The seed of the fresh draw for the next task, drawn when a task ends (where the trainer's
  /// stream is at hand) and used when the next one begins; saved in checkpoints between them.
  var pendingSeed: UInt64?

  /// A shrink-and-perturb strategy.
  public init(schedule: Schedule = .taskBoundary, shrink: Float = 0.4, noise: Float = 0.1) {
    self.schedule = schedule
    self.shrink = shrink
    self.noise = noise
  }

  public var descriptor: MethodDescriptor {
    schedule == .taskBoundary ? Self.descriptor : Self.perStep
  }

  /// The seed of the next boundary's fresh draw, if one is pending.
  public var state: UInt64? { pendingSeed }

  public mutating func restore(_ state: UInt64?, model: Model) throws { pendingSeed = state }

  public mutating func taskDidEnd(_ task: TaskContext, model: Model, rng: inout RandomStream) throws
  {
    guard schedule == .taskBoundary, task.index + 1 < task.stream.tasks.count else { return }
    pendingSeed = rng.next()
  }

  public mutating func taskWillBegin(_ task: TaskContext, model: Model) throws {
    guard let seed = pendingSeed else { return }
    pendingSeed = nil
    Self.shrinkAndPerturb(model.parameters, keep: shrink, fresh: model.freshParameters(seed: seed), add: noise)
  }

  public mutating func stepDidFinish(batch: BatchView, model: Model, rng: inout RandomStream) {
    guard schedule == .everyStep else { return }
    let keep = 1 - shrink
    let parameters = model.parameters
    for i in 0..<parameters.count {
      parameters[i] = keep * parameters[i] + noise * Float(rng.nextGaussian())
    }
  }

  /// θ ← `keep`·θ + `add`·`fresh`, elementwise.
  static func shrinkAndPerturb(
    _ theta: UnsafeMutableBufferPointer<Float>, keep: Float, fresh: [Float], add: Float
  ) {
    for i in 0..<theta.count { theta[i] = keep * theta[i] + add * fresh[i] }
  }
}

extension ShrinkPerturb {
  /// The hyperparameters the two forms read.
  public enum Parameters {
    /// λ_s of the boundary form.
    public static let shrink = Hyperparameter<Float>(
      "sp_shrink", default: 0.4, in: 0...1, "shrink-perturb λ_s: θ ← λ_s·θ + σ_p·θ_fresh at task ends")
    /// σ_p of the boundary form.
    public static let noise = Hyperparameter<Float>(
      "sp_noise", default: 0.1, in: 0...10, "shrink-perturb σ_p: weight of a fresh initialisation")
    /// s of the per-step form.
    public static let stepShrink = Hyperparameter<Float>(
      "sps_shrink", default: 1e-4, in: 0...1, "shrink-perturb-step s: θ ← (1 − s)·θ + σ·ξ per step")
    /// σ of the per-step form.
    public static let stepNoise = Hyperparameter<Float>(
      "sps_noise", default: 1e-5, in: 0...10, "shrink-perturb-step σ: Gaussian noise per step")
  }

  /// `--strategy shrink-perturb`.
  public static let descriptor = MethodDescriptor(
    name: "shrink-perturb",
    summary: "Shrink and perturb at task ends toward a fresh initialisation (Ash & Adams 2020)",
    parameters: [Parameters.shrink.spec, Parameters.noise.spec], needsStoredData: false, usesLabels: false,
    build: { s in
      ShrinkPerturb(
        schedule: .taskBoundary, shrink: s[Parameters.shrink], noise: s[Parameters.noise])
    })

  /// `--strategy shrink-perturb-step`.
  public static let perStep = MethodDescriptor(
    name: "shrink-perturb-step",
    summary: "Shrink and perturb after every step: θ ← (1 − s)θ + σξ (Dohare et al. 2024)",
    parameters: [Parameters.stepShrink.spec, Parameters.stepNoise.spec], needsStoredData: false, usesLabels: false,
    build: { s in
      ShrinkPerturb(
        schedule: .everyStep, shrink: s[Parameters.stepShrink], noise: s[Parameters.stepNoise])
    })
}
