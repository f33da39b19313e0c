import EngramLinalg

/// The geometry of two tasks that decides how much they can forget and whether replay can hurt.
///
/// - Principal angles between the row spaces; Claim 19 of Evron et al. (2022): the non-zero
///   ones equal those between the null spaces.
/// - Theorem 6 (Evron et al.): no forgetting for any labelling ⟺ every angle is 0 or π/2.
/// - Proposition 3.6 (Mahdaviyeh et al. 2025): if ‖P₂P₁‖ ≤ √2/2 — every null-space angle is at
///   least π/4 — no replay set can increase the forgetting expected over w\* ~ N(0, I).
public struct TwoTaskGeometry: Sendable, Equatable {
  /// Principal angles between the row spaces of the two tasks.
  public let rowSpaceAngles: PrincipalAngles
  /// Principal angles between the null spaces.
  public let nullSpaceAngles: PrincipalAngles
  /// ‖P₂·P₁‖ in the operator norm (the cosine of the smallest null-space angle).
  public let nullProductNorm: Double

  /// Computes the geometry of tasks `first` and `second` (data matrices with samples as rows).
  /// - Throws: `TheoryError.linearAlgebra` when the widths differ or an SVD fails.
  public init(first: Matrix<Double>, second: Matrix<Double>, tolerance: RankTolerance = .automatic)
    throws
  {
    rowSpaceAngles = try linalg {
      try PrincipalAngles(betweenRowSpacesOf: first, and: second, tolerance: tolerance)
    }
    let null1 = try linalg { try first.nullSpaceBasis(tolerance: tolerance) }
    let null2 = try linalg { try second.nullSpaceBasis(tolerance: tolerance) }
    nullSpaceAngles = try linalg { try PrincipalAngles(betweenBases: null1, and: null2) }
    // ‖P₂P₁‖ = ‖N₂ᵀN₂N₁ᵀN₁‖ = ‖N₂N₁ᵀ‖ = σ_max of the null-basis cross product.
    nullProductNorm = try linalg {
      try null2.multiplied(by: null1, transposingOther: true).operatorNorm()
    }
  }

  /// Theorem 6 of Evron et al.: forgetting is zero for every w\* (angles all 0 or π/2).
  public var forgetsNothing: Bool { rowSpaceAngles.allZeroOrRight() }

  /// Proposition 3.6: replay cannot increase E_{w\*}[forgetting] (‖P₂P₁‖ ≤ √2/2).
  public var replayCannotHurtOnAverage: Bool { nullProductNorm <= 0.5.squareRoot() + 1e-12 }
}
