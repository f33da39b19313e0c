extension Matrix {
  /// An orthonormal basis of the row space, as an r × columns matrix with orthonormal rows.
  ///
  /// These are the leading right singular vectors, so the basis is the most accurate one
  /// available; `rowSpaceBasisByQR(tolerance:)` is cheaper when speed matters more.
  /// - Throws: as `singularValueDecomposition(full:)`.
  public func rowSpaceBasis(tolerance: RankTolerance = .automatic) throws -> Matrix {
    let svd = try singularValueDecomposition()
    return svd.vt.prefixRows(svd.rank(tolerance: tolerance))
  }

  /// An orthonormal basis of the null space {x : A·x = 0}, as a (columns − r) × columns
  /// matrix with orthonormal rows.
  /// - Throws: as `singularValueDecomposition(full:)`.
  public func nullSpaceBasis(tolerance: RankTolerance = .automatic) throws -> Matrix {
    let svd = try singularValueDecomposition(full: true)
    let r = svd.rank(tolerance: tolerance)
    return svd.vt.selectingRows(r..<columns)
  }

  /// An orthonormal basis of the column space, as an r × rows matrix with orthonormal rows.
  /// - Throws: as `singularValueDecomposition(full:)`.
  public func columnSpaceBasis(tolerance: RankTolerance = .automatic) throws -> Matrix {
    let svd = try singularValueDecomposition()
    let r = svd.rank(tolerance: tolerance)
    return svd.u.transposed.prefixRows(r)
  }

  /// An orthonormal basis of the row space by Householder QR with column pivoting (LAPACK
  /// ?geqp3 + ?orgqr) instead of an SVD.
  ///
  /// The rank is the number of pivots |Rᵢᵢ| above the tolerance (with |R₁₁| in place of
  /// σ_max). Pivoted QR reveals rank reliably except on adversarial matrices, and costs a
  /// fraction of an SVD.
  /// - Throws: `LinalgError.nonFinite`, `LinalgError.lapackFailure`.
  /// - Complexity: O(rows · columns · r).
  public func rowSpaceBasisByQR(tolerance: RankTolerance = .automatic) throws -> Matrix {
    guard isFinite else { throw LinalgError.nonFinite(operation: "QR") }
    var workspace = RowSpaceQR<Scalar>(dimension: columns, maximumRows: rows)
    let r = try workspace.factor(self, tolerance: tolerance)
    return workspace.basis(rank: r)
  }
}

/// Reusable storage for orthonormalising the rows of many small matrices of one width.
///
/// Monte Carlo loops call `factor` thousands of times; holding the LAPACK workspace and
/// output buffers here keeps those loops free of per-draw allocation.
public struct RowSpaceQR<Scalar: LinalgScalar>: Sendable {
  /// Width of the rows (the ambient dimension d).
  public let dimension: Int
  /// The largest number of rows `factor` accepts.
  public let maximumRows: Int
  private var a: [Scalar]
  private var tau: [Scalar]
  private var pivots: [Int32]
  private var work: [Scalar]
  private var currentRows = 0

  /// Allocates storage for matrices of up to `maximumRows` rows of width `dimension`.
  public init(dimension: Int, maximumRows: Int) {
    self.dimension = dimension
    self.maximumRows = maximumRows
    a = Array(repeating: 0, count: dimension * Swift.max(1, maximumRows))
    tau = Array(repeating: 0, count: Swift.max(1, Swift.min(dimension, maximumRows)))
    pivots = Array(repeating: 0, count: Swift.max(1, maximumRows))
    // ?geqp3 needs 2n + (n+1)·nb and ?orgqr n·nb; 64 covers OpenBLAS's block size.
    work = Array(repeating: 0, count: Swift.max(1, (Swift.max(dimension, maximumRows) + 1) * 66))
  }

  /// Factors the rows of `matrix` (QR of its transpose with column pivoting) and returns the
  /// numerical rank; `basis(rank:)` then gives the orthonormal basis.
  /// - Throws: `LinalgError.shapeMismatch` if the matrix is wider or taller than reserved;
  ///   `LinalgError.lapackFailure`.
  public mutating func factor(_ matrix: Matrix<Scalar>, tolerance: RankTolerance = .automatic)
    throws -> Int
  {
    guard matrix.columns == dimension, matrix.rows <= maximumRows else {
      throw LinalgError.shapeMismatch(
        operation: "row-space QR", left: matrix.shape, right: .init(maximumRows, dimension))
    }
    return try matrix.withUnsafeBufferPointer {
      try factor(rows: $0, count: matrix.rows, tolerance: tolerance)
    }
  }

  /// Factors `count` rows of width `dimension` stored contiguously at `rows`.
  /// - Throws: `LinalgError.lapackFailure`.
  public mutating func factor(
    rows source: UnsafeBufferPointer<Scalar>, count: Int, tolerance: RankTolerance = .automatic
  ) throws -> Int {
    precondition(count <= maximumRows && source.count >= count * dimension, "QR input too large")
    currentRows = count
    if count == 0 || dimension == 0 { return 0 }
    let d = dimension
    let k = Swift.min(d, count)
    let info: Int = a.withUnsafeMutableBufferPointer { ap in
      _ = ap.initialize(fromContentsOf: UnsafeBufferPointer(rebasing: source[0..<(count * d)]))
      return pivots.withUnsafeMutableBufferPointer { jp in
        for i in 0..<count { jp[i] = 0 }
        return tau.withUnsafeMutableBufferPointer { tp in
          work.withUnsafeMutableBufferPointer { wp in
            // Column-major d × count: the columns are our rows.
            Scalar._geqp3(
              m: d, n: count, a: ap.baseAddress!, lda: d, jpvt: jp.baseAddress!,
              tau: tp.baseAddress!, work: wp.baseAddress!, lwork: wp.count)
          }
        }
      }
    }
    if info != 0 { throw LinalgError.lapackFailure(routine: "geqp3", info: info) }
    let largest = abs(a[0])
    if largest == 0 { return 0 }
    let cut = tolerance.threshold(largest: largest, rows: count, columns: d)
    var rank = 0
    while rank < k && abs(a[rank * d + rank]) > cut { rank += 1 }
    let orgInfo: Int = a.withUnsafeMutableBufferPointer { ap in
      tau.withUnsafeBufferPointer { tp in
        work.withUnsafeMutableBufferPointer { wp in
          rank == 0
            ? 0
            : Scalar._orgqr(
              m: d, n: rank, k: rank, a: ap.baseAddress!, lda: d, tau: tp.baseAddress!,
              work: wp.baseAddress!, lwork: wp.count)
        }
      }
    }
    if orgInfo != 0 { throw LinalgError.lapackFailure(routine: "orgqr", info: orgInfo) }
    return rank
  }

  /// The first `rank` orthonormal basis vectors from the last `factor`, as rows.
  public func basis(rank: Int) -> Matrix<Scalar> {
    Matrix(uncheckedRows: rank, columns: dimension, elements: Array(a[0..<(rank * dimension)]))
  }

  /// Runs `body` with the basis rows from the last `factor` (valid until the next call).
  public func withBasis<R>(rank: Int, _ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows
    -> R
  {
    try a.withUnsafeBufferPointer {
      try body(UnsafeBufferPointer(rebasing: $0[0..<(rank * dimension)]))
    }
  }
}
