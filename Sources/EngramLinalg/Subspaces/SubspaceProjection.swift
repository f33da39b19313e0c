/// The orthogonal projection onto a subspace, Π = BᵀB for a basis B with orthonormal rows.
///
/// Keeping the r × d basis instead of the d × d matrix makes applying Π cost O(r·d).
/// `complement` applies P = I − Π, the projection onto the orthogonal complement.
public struct SubspaceProjection<Scalar: LinalgScalar>: Sendable {
  /// Orthonormal basis of the subspace, one vector per row (r × d).
  public let basis: Matrix<Scalar>

  /// A projection from a basis whose rows are already orthonormal (not re-checked).
  public init(orthonormalBasis: Matrix<Scalar>) {
    self.basis = orthonormalBasis
  }

  /// The projection onto the row space of `matrix` (Π_t = X_t⁺X_t for a task matrix).
  /// - Throws: as `Matrix.singularValueDecomposition(full:)`.
  public init(ontoRowSpaceOf matrix: Matrix<Scalar>, tolerance: RankTolerance = .automatic)
    throws
  {
    self.basis = try matrix.rowSpaceBasis(tolerance: tolerance)
  }

  /// The projection onto the null space of `matrix` (P_t = I − X_t⁺X_t).
  /// - Throws: as `Matrix.singularValueDecomposition(full:)`.
  public init(ontoNullSpaceOf matrix: Matrix<Scalar>, tolerance: RankTolerance = .automatic)
    throws
  {
    self.basis = try matrix.nullSpaceBasis(tolerance: tolerance)
  }

  /// Dimension of the subspace.
  public var rank: Int { basis.rows }

  /// Dimension of the ambient space.
  public var dimension: Int { basis.columns }

  /// Π·v.
  /// - Throws: `LinalgError.shapeMismatch` when `v.count != dimension`.
  public func project(_ v: [Scalar]) throws -> [Scalar] {
    guard v.count == dimension else {
      throw LinalgError.shapeMismatch(
        operation: "project", left: basis.shape, right: .init(v.count, 1))
    }
    if rank == 0 { return [Scalar](repeating: 0, count: dimension) }
    return try basis.multiplied(by: try basis.multiplied(by: v), transposingSelf: true)
  }

  /// (I − Π)·v.
  /// - Throws: `LinalgError.shapeMismatch` when `v.count != dimension`.
  public func complement(_ v: [Scalar]) throws -> [Scalar] {
    try v.subtracting(project(v))
  }

  /// ‖Π·v‖², computed as ‖B·v‖² without forming Π·v.
  /// - Throws: `LinalgError.shapeMismatch` when `v.count != dimension`.
  public func squaredNormOfProjection(_ v: [Scalar]) throws -> Scalar {
    guard v.count == dimension else {
      throw LinalgError.shapeMismatch(
        operation: "project", left: basis.shape, right: .init(v.count, 1))
    }
    return try basis.multiplied(by: v).squaredNorm
  }

  /// The d × d matrix Π.
  public var matrix: Matrix<Scalar> {
    (try? basis.multiplied(by: basis, transposingSelf: true))
      ?? Matrix(rows: dimension, columns: dimension)
  }

  /// The d × d matrix I − Π.
  public var complementMatrix: Matrix<Scalar> {
    (try? Matrix.identity(dimension) - matrix) ?? Matrix(rows: dimension, columns: dimension)
  }
}
