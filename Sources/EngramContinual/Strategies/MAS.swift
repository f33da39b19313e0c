import EngramNN
import EngramRandom

/// Memory aware synapses (Aljundi et al. 2018): importance from how much the network's output
/// moves when a weight does, needing no labels.
///
/// Ω = (1/N)·Σₙ |∂‖F(xₙ)‖²/∂θ| per example over the task's data (the paper's squared norm,
/// per-example absolute values), accumulated across tasks Ω ← Ω + Ω_new; penalty
/// λ·Σ Ω(θ − θ*)², θ* the parameters after the last task. Default λ = 0.1 (the A-GEM
/// repository's Permuted MNIST value): the paper's λ = 1 with this per-example squared-norm
/// importance diverges at SGD lr 0.01, momentum 0.9 on Split Fashion-MNIST, since 2λΩ·lr
/// exceeds the stability bound. See reference/methods.md §4.4 (oracle O6).
public struct MAS: SingleAnchorStrategy {
  /// λ.
  public let lambda: Float
  var anchor: ParameterAnchor?

  /// A MAS strategy.
  public init(lambda: Float = 0.1) {
    self.lambda = lambda
  }

  public var descriptor: MethodDescriptor { Self.descriptor }
  var lossName: String { "mas" }

  public mutating func taskDidEnd(_ task: TaskContext, model: Model, rng: inout RandomStream) throws
  {
    let fresh = Importance.estimate(
      .squaredNorm, statistic: .absolute, examples: task.examples, model: model,
      reader: task.reader, stage: task.index, rng: &rng)
    let accumulated = anchor.map { zip($0.weights, fresh).map(+) } ?? fresh
    anchor = ParameterAnchor(center: Array(model.parameters), weights: accumulated)
  }

  /// The accumulated importance Ω.
  public var importance: [Float] { anchor?.weights ?? [] }
}

extension MAS {
  /// The hyperparameters `mas` reads.
  public enum Parameters {
    /// λ.
    public static let lambda = Hyperparameter<Float>("mas_lambda", default: 0.1, in: 0...1e12, "MAS λ")
  }

  /// `--strategy mas`.
  public static let descriptor = MethodDescriptor(
    name: "mas", summary: "Memory aware synapses: output-sensitivity importances (Aljundi et al. 2018)",
    parameters: [Parameters.lambda.spec], needsStoredData: true, usesLabels: false,
    build: { s in MAS(lambda: s[Parameters.lambda]) })
}
