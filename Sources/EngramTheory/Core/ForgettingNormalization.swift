/// How the per-task losses at the end of training are averaged into one forgetting number.
///
/// The two papers differ, and for two tasks the values differ by a factor of 2
/// (reference/replay-theory.md §2, oracle O1). With k training iterations τ(1..k) and
/// Lᵢ = ‖X_τ(i)·w_k − y_τ(i)‖² (a *sum* of squared errors over the task's rows):
/// - `.m25` (default): (1/(k−1))·Σᵢ₌₁^{k−1} Lᵢ — Mahdaviyeh et al. (2025), Definition 2.3,
///   which averages over the earlier tasks only. For the identity order k = T.
/// - `.e22`: (1/k)·Σᵢ₌₁^{k} Lᵢ — Evron et al. (2022), Definition 3, which also counts the
///   last iteration (whose loss is zero in the realisable setting).
/// Since the last loss is zero, E22 = M25·(k−1)/k for every run. With k = 1 both are 0.
public enum ForgettingNormalization: String, Sendable, CaseIterable, Codable {
  /// Mahdaviyeh et al. (2025): average over the k−1 earlier iterations.
  case m25
  /// Evron et al. (2022): average over all k iterations.
  case e22

  /// Averages per-iteration losses L₁…L_k under this normalisation.
  public func average(_ losses: [Double]) -> Double {
    let k = losses.count
    guard k >= 2 else { return 0 }
    switch self {
    case .m25: return losses.dropLast().reduce(0, +) / Double(k - 1)
    case .e22: return losses.reduce(0, +) / Double(k)
    }
  }
}
