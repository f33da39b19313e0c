import EngramNN
import EngramRandom

/// Elastic weight consolidation: pulls each weight back toward where earlier tasks left it,
/// in proportion to how much those tasks' log-likelihood depends on it.
///
/// Separate (Kirkpatrick et al. 2017): (λ/2)·Σₖ Σᵢ Fₖᵢ(θᵢ − θ*ₖᵢ)², one anchor per finished
/// task. Online (Schwarz et al. 2018): one running F̃ ← γF̃ + F and anchor θ*, penalty
/// (λ/2)·Σᵢ γF̃ᵢ(θᵢ − θ*ᵢ)² (γ applied again in the penalty, as P&C and van de Ven do).
/// F is the diagonal Fisher averaged over the task's examples from *per-example* squared
/// gradients — with the true labels (empirical, default) or labels drawn from the model
/// (sampled) — over the units active for the task. The λ/2 convention follows the paper; λ is
/// not portable across libraries (reference/methods.md §4.1–4.2, §9): default 100, van de
/// Ven's Permuted MNIST value; tune it on a log grid.
public struct EWC: StatefulStrategy {
  /// Which labels the Fisher's log-likelihood uses.
  public enum FisherLabels: String, Sendable, CaseIterable, Codable {
    /// The true labels (empirical Fisher).
    case empirical
    /// Labels sampled from the model's prediction (true Fisher, one sample).
    case sampled
  }
  /// One anchor per task, or one running anchor.
  public enum Consolidation: Sendable, Equatable {
    /// An anchor and Fisher per finished task.
    case separate
    /// A running Fisher decayed by γ.
    case online(gamma: Float)
  }

  /// λ.
  public let lambda: Float
  /// Which labels the Fisher uses.
  public let fisherLabels: FisherLabels
  /// Separate or online.
  public let consolidation: Consolidation
  /// Examples used for each Fisher (nil: all of the task's).
  public let fisherSamples: Int?
  var anchors: [ParameterAnchor] = []

  /// An EWC strategy.
  public init(
    lambda: Float = 100, fisherLabels: FisherLabels = .empirical,
    consolidation: Consolidation = .separate, fisherSamples: Int? = nil
  ) {
    self.lambda = lambda
    self.fisherLabels = fisherLabels
    self.consolidation = consolidation
    self.fisherSamples = fisherSamples
  }

  public var descriptor: MethodDescriptor {
    consolidation == .separate ? Self.descriptor : Self.online
  }
  public var memoryBytes: Int { anchors.reduce(0) { $0 + 8 * $1.center.count } }

  /// One anchor per finished task (one running anchor online).
  public var state: [ParameterAnchor.State] { anchors.map(\.state) }

  public mutating func restore(_ state: [ParameterAnchor.State], model: Model) throws {
    anchors = try state.map { try ParameterAnchor($0, parameters: model.parameterCount) }
  }

  /// The penalty's value and gradient (λ/2·Σ wΔ², λ·wΔ) at the current parameters.
  public mutating func addLoss(_ terms: inout LossTerms, batch: BatchView, model: Model) {
    guard !anchors.isEmpty else { return }
    var total = 0.0
    for anchor in anchors {
      total += anchor.penalty(
        at: model.parameters, gradientScale: lambda, into: terms.parameterGradient)
    }
    terms.record("ewc", Float(Double(lambda) / 2 * total))
  }

  public mutating func taskDidEnd(_ task: TaskContext, model: Model, rng: inout RandomStream) throws
  {
    var examples = task.examples
    if let limit = fisherSamples, limit < examples.count {
      rng.shuffle(&examples)
      examples = Array(examples.prefix(limit))
    }
    let fisher = Importance.estimate(
      fisherLabels == .empirical ? .trueLabel : .sampledLabel, statistic: .squared,
      examples: examples, model: model,
      reader: task.reader, stage: task.index, rng: &rng)
    let theta = Array(model.parameters)
    switch consolidation {
    case .separate:
      anchors.append(ParameterAnchor(center: theta, weights: fisher))
    case .online(let gamma):
      let previous =
        anchors.first.map { $0.weights.map { $0 / gamma } }
        ?? [Float](repeating: 0, count: fisher.count)
      // Stored as γ·F̃ so that the penalty reads the same as the separate form.
      let running = zip(previous, fisher).map { gamma * ($0 * gamma + $1) }
      anchors = [ParameterAnchor(center: theta, weights: running)]
    }
  }
}

extension EWC {
  /// The hyperparameters `ewc` and `online-ewc` read.
  public enum Parameters {
    /// λ.
    public static let lambda = Hyperparameter<Float>(
      "ewc_lambda", default: 100, in: 0...1e12, "EWC λ in (λ/2)·ΣF·Δθ²")
    /// Fisher labels.
    public static let fisher = Hyperparameter<FisherLabels>(
      "fisher", default: .empirical, "EWC Fisher labels: empirical (true labels) or sampled")
    /// Examples per Fisher.
    public static let samples = Hyperparameter<Int?>(
      "fisher_samples", derived: "all", in: 1...10_000_000, "Examples per Fisher estimate")
    /// Online decay γ.
    public static let gamma = Hyperparameter<Float>(
      "ewc_gamma", default: 1, in: 1e-6...1, "Online EWC decay γ")
  }

  /// `--strategy ewc`.
  public static let descriptor = MethodDescriptor(
    name: "ewc", summary: "Elastic weight consolidation, one anchor per task (Kirkpatrick et al. 2017)",
    parameters: [Parameters.lambda.spec, Parameters.fisher.spec, Parameters.samples.spec],
    needsStoredData: true,
    build: { s in
      EWC(
        lambda: s[Parameters.lambda], fisherLabels: s[Parameters.fisher],
        consolidation: .separate, fisherSamples: s[Parameters.samples])
    })

  /// `--strategy online-ewc`.
  public static let online = MethodDescriptor(
    name: "online-ewc", summary: "Online EWC, one running Fisher (Schwarz et al. 2018)",
    parameters: [
      Parameters.lambda.spec, Parameters.fisher.spec, Parameters.samples.spec,
      Parameters.gamma.spec,
    ],
    needsStoredData: true,
    build: { s in
      EWC(
        lambda: s[Parameters.lambda], fisherLabels: s[Parameters.fisher],
        consolidation: .online(gamma: s[Parameters.gamma]), fisherSamples: s[Parameters.samples])
    })
}
