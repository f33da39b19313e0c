/// How small a singular value (or pivot) must be to count as zero.
///
/// The default, `.automatic`, is σ ≤ max(m, n)·ε·σ_max, the rule of LAPACK's documentation
/// and of `numpy.linalg.matrix_rank`: it counts as rank-deficient only what rounding can
/// explain. Use `.relative` or `.absolute` when the data are known to be noisy.
public enum RankTolerance: Sendable, Equatable {
  /// σ ≤ max(m, n) · ε_machine · σ_max counts as zero.
  case automatic
  /// σ ≤ r · σ_max counts as zero.
  case relative(Double)
  /// σ ≤ a counts as zero.
  case absolute(Double)

  /// The threshold for an m × n matrix whose largest singular value is `largest`.
  public func threshold<Scalar: LinalgScalar>(largest: Scalar, rows: Int, columns: Int) -> Scalar {
    switch self {
    case .automatic: return Scalar(Double(Swift.max(rows, columns)) * Scalar._epsilon) * largest
    case .relative(let r): return Scalar(r) * largest
    case .absolute(let a): return Scalar(a)
    }
  }
}
