/// A singular value decomposition A = U·diag(σ)·Vᵀ.
///
/// Singular values are in descending order. For a thin decomposition of an m × n matrix
/// with k = min(m, n), `u` is m × k and `vt` is k × n; for a full one they are m × m and
/// n × n. The rows of `vt` are the right singular vectors.
public struct SingularValueDecomposition<Scalar: LinalgScalar>: Sendable {
  /// Left singular vectors as columns.
  public let u: Matrix<Scalar>
  /// Singular values, descending.
  public let singularValues: [Scalar]
  /// Right singular vectors as rows.
  public let vt: Matrix<Scalar>
  /// Shape of the decomposed matrix.
  public let rows: Int
  /// Shape of the decomposed matrix.
  public let columns: Int

  /// The numerical rank under a tolerance.
  public func rank(tolerance: RankTolerance = .automatic) -> Int {
    guard let largest = singularValues.first, largest > 0 else { return 0 }
    let cut = tolerance.threshold(largest: largest, rows: rows, columns: columns)
    return singularValues.prefix { $0 > cut }.count
  }
}

extension Matrix {
  /// The singular value decomposition through LAPACK ?gesdd (falling back to ?gesvd).
  ///
  /// - Parameter full: `false` for the thin decomposition, `true` for square U and Vᵀ.
  /// - Throws: `LinalgError.nonFinite` for NaN/∞ input; `LinalgError.lapackFailure` if
  ///   both algorithms fail to converge.
  /// - Complexity: O(m·n·min(m, n)).
  public func singularValueDecomposition(full: Bool = false) throws
    -> SingularValueDecomposition<Scalar>
  {
    guard isFinite else { throw LinalgError.nonFinite(operation: "SVD") }
    let m = rows
    let n = columns
    let k = Swift.min(m, n)
    if k == 0 {
      return SingularValueDecomposition(
        u: full ? .identity(m) : Matrix(rows: m, columns: 0), singularValues: [],
        vt: full ? .identity(n) : Matrix(rows: 0, columns: n), rows: m, columns: n)
    }
    // LAPACK sees our row-major m × n buffer as the column-major n × m matrix Aᵀ.
    // Aᵀ = U′ S V′ᵀ gives A = V′ S U′ᵀ: LAPACK's U′ (column-major n × p) is exactly our
    // row-major Vᵀ (p × n), and its V′ᵀ (column-major p × m) is our row-major U (m × p).
    let p = full ? n : k  // rows of our Vᵀ
    let q = full ? m : k  // columns of our U
    var s = [Scalar](repeating: 0, count: k)
    var vt = Matrix(rows: p, columns: n)
    var u = Matrix(rows: m, columns: q)
    let job: UInt8 = full ? UInt8(ascii: "A") : UInt8(ascii: "S")

    func run(divideAndConquer: Bool) -> Int {
      var a = elements
      var iwork = [Int32](repeating: 0, count: 8 * k)
      // One LAPACK call; lwork = -1 asks for the optimal workspace size instead.
      func call(_ work: UnsafeMutablePointer<Scalar>, _ lwork: Int) -> Int {
        a.withUnsafeMutableBufferPointer { ap in
          s.withUnsafeMutableBufferPointer { sp in
            vt.elements.withUnsafeMutableBufferPointer { lapackU in
              u.elements.withUnsafeMutableBufferPointer { lapackVT in
                iwork.withUnsafeMutableBufferPointer { ip in
                  divideAndConquer
                    ? Scalar._gesdd(
                      jobz: job, m: n, n: m, a: ap.baseAddress!, lda: n, s: sp.baseAddress!,
                      u: lapackU.baseAddress!, ldu: n, vt: lapackVT.baseAddress!, ldvt: q,
                      work: work, lwork: lwork, iwork: ip.baseAddress!)
                    : Scalar._gesvd(
                      job: job, m: n, n: m, a: ap.baseAddress!, lda: n, s: sp.baseAddress!,
                      u: lapackU.baseAddress!, ldu: n, vt: lapackVT.baseAddress!, ldvt: q,
                      work: work, lwork: lwork)
                }
              }
            }
          }
        }
      }
      var query = Scalar(0)
      let info = call(&query, -1)
      if info != 0 { return info }
      var work = [Scalar](repeating: 0, count: Swift.max(1, Int(query)))
      return work.withUnsafeMutableBufferPointer { call($0.baseAddress!, $0.count) }
    }

    var info = run(divideAndConquer: true)
    if info > 0 { info = run(divideAndConquer: false) }
    if info != 0 {
      throw LinalgError.lapackFailure(routine: info > 0 ? "gesvd" : "gesdd", info: info)
    }
    return SingularValueDecomposition(u: u, singularValues: s, vt: vt, rows: m, columns: n)
  }

  /// The singular values only, descending.
  /// - Throws: as `singularValueDecomposition(full:)`.
  public func singularValues() throws -> [Scalar] {
    try singularValueDecomposition().singularValues
  }

  /// The spectral (operator 2-) norm, the largest singular value.
  /// - Throws: as `singularValueDecomposition(full:)`.
  public func operatorNorm() throws -> Scalar {
    try singularValues().first ?? 0
  }

  /// The numerical rank.
  /// - Throws: as `singularValueDecomposition(full:)`.
  public func rank(tolerance: RankTolerance = .automatic) throws -> Int {
    try singularValueDecomposition().rank(tolerance: tolerance)
  }
}
