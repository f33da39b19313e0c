import Foundation

/// The principal angles between two subspaces, ascending, in [0, π/2].
///
/// θ₁ ≤ … ≤ θ_p with p = min(dim U, dim V). Cosines come from the SVD of B_U·B_Vᵀ; sines
/// from the SVD of the part of B_V outside U. Each angle takes whichever of the two is
/// accurate (asin for θ < π/4, acos above), because acos alone loses half the digits of
/// small angles (Björck & Golub 1973; Knyazev & Argentati 2002).
/// See reference/replay-theory.md §5 (Evron et al., Definition 18 and Claim 19).
public struct PrincipalAngles: Sendable, Equatable {
  /// The angles in radians, ascending.
  public let radians: [Double]

  /// The angles in degrees, ascending.
  public var degrees: [Double] { radians.map { $0 * 180 / .pi } }

  /// cos θᵢ for each angle.
  public var cosines: [Double] { radians.map { cos($0) } }

  /// The Dixmier angle: the smallest principal angle.
  public var dixmier: Double? { radians.first }

  /// The Friedrichs angle: the smallest non-zero principal angle (nil if all are zero).
  public func friedrichs(zeroTolerance: Double = 1e-9) -> Double? {
    radians.first { $0 > zeroTolerance }
  }

  /// The non-zero angles, which Evron et al.'s Claim 19 says row spaces, null spaces and
  /// solution spaces share.
  public func nonZero(zeroTolerance: Double = 1e-9) -> [Double] {
    radians.filter { $0 > zeroTolerance }
  }

  /// Whether every angle is 0 or π/2: Evron et al.'s Theorem 6 condition for zero
  /// forgetting on two tasks, for every labelling.
  public func allZeroOrRight(tolerance: Double = 1e-9) -> Bool {
    radians.allSatisfy { $0 <= tolerance || $0 >= .pi / 2 - tolerance }
  }

  /// Creates a list from known angles (sorted ascending).
  public init(radians: [Double]) {
    self.radians = radians.sorted()
  }

  /// The principal angles between the spans of two orthonormal bases (rows orthonormal).
  /// - Throws: `LinalgError.shapeMismatch` when the ambient dimensions differ.
  public init<Scalar: LinalgScalar>(
    betweenBases first: Matrix<Scalar>, and second: Matrix<Scalar>
  ) throws {
    guard first.columns == second.columns else {
      throw LinalgError.shapeMismatch(
        operation: "principal angles", left: first.shape, right: second.shape)
    }
    // Let `small` be the lower-dimensional subspace: there are p = dim(small) angles.
    let (large, small) = first.rows >= second.rows ? (first, second) : (second, first)
    let p = small.rows
    if p == 0 {
      self.radians = []
      return
    }
    let large64 = Matrix<Double>(converting: large)
    let small64 = Matrix<Double>(converting: small)
    // Cosines: singular values of B_large·B_smallᵀ, descending → angles ascending.
    let cross = try large64.multiplied(by: small64, transposingOther: true)
    var cosines = try cross.singularValues()
    cosines += [Double](repeating: 0, count: p - cosines.count)
    // Sines: singular values of B_small − (B_small·B_largeᵀ)·B_large, ascending.
    let inside = try cross.multiplied(by: large64, transposingSelf: true)
    let outside = try small64 - inside
    let sines = try outside.singularValues().reversed() as [Double]
    var angles: [Double] = []
    for i in 0..<p {
      let c = min(1, max(0, cosines[i]))
      let s = min(1, max(0, i < sines.count ? sines[i] : 0))
      angles.append(c * c >= 0.5 ? asin(s) : acos(c))
    }
    self.radians = angles.sorted()
  }

  /// The principal angles between the row spaces of two matrices (e.g. two task matrices).
  /// - Throws: `LinalgError.shapeMismatch` when the column counts differ; SVD failures.
  public init<Scalar: LinalgScalar>(
    betweenRowSpacesOf first: Matrix<Scalar>, and second: Matrix<Scalar>,
    tolerance: RankTolerance = .automatic
  ) throws {
    try self.init(first, second) { try $0.rowSpaceBasis(tolerance: tolerance) }
  }

  /// The principal angles between the null spaces of two matrices.
  /// - Throws: as `init(betweenRowSpacesOf:and:tolerance:)`.
  public init<Scalar: LinalgScalar>(
    betweenNullSpacesOf first: Matrix<Scalar>, and second: Matrix<Scalar>,
    tolerance: RankTolerance = .automatic
  ) throws {
    try self.init(first, second) { try $0.nullSpaceBasis(tolerance: tolerance) }
  }

  private init<Scalar: LinalgScalar>(
    _ first: Matrix<Scalar>, _ second: Matrix<Scalar>,
    basis: (Matrix<Scalar>) throws -> Matrix<Scalar>
  ) throws {
    guard first.columns == second.columns else {
      throw LinalgError.shapeMismatch(
        operation: "principal angles", left: first.shape, right: second.shape)
    }
    try self.init(betweenBases: try basis(first), and: try basis(second))
  }
}
