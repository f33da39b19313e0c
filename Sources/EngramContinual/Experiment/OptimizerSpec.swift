import EngramNN

/// An optimiser by value, so a run can build fresh ones (reference models, GDumb).
public enum OptimizerSpec: Sendable, Equatable, Codable {
  /// SGD with momentum and weight decay.
  case sgd(learningRate: Float, momentum: Float, weightDecay: Float)
  /// Adam with weight decay.
  case adam(learningRate: Float, weightDecay: Float)
  /// UPGD (Elsayed & Mahmood 2024): utility-gated noisy SGD; its noise is drawn from `seed`.
  case upgd(
    learningRate: Float, beta: Float, sigma: Float, weightDecay: Float, protecting: Bool,
    seed: UInt64)

  /// A new optimiser.
  public func make() -> Optimizer {
    switch self {
    case .sgd(let lr, let momentum, let decay):
      return SGD(learningRate: lr, momentum: momentum, weightDecay: decay)
    case .adam(let lr, let decay): return Adam(learningRate: lr, weightDecay: decay)
    case .upgd(let lr, let beta, let sigma, let decay, let protecting, let seed):
      return UPGD(
        learningRate: lr, beta: beta, sigma: sigma, weightDecay: decay, protecting: protecting,
        seed: seed)
    }
  }
}
