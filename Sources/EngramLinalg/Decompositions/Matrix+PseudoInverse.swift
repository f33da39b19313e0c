/// The minimum-norm least-squares solution of A·x ≈ b.
public struct LeastSquaresSolution<Scalar: LinalgScalar>: Sendable {
  /// The solution of smallest norm among all minimisers of ‖A·x − b‖.
  public let solution: [Scalar]
  /// The numerical rank of A under the tolerance used.
  public let rank: Int
  /// ‖A·x − b‖² at the solution.
  public let residualSumOfSquares: Scalar
}

extension Matrix {
  /// The Moore–Penrose pseudo-inverse A⁺ (n × m), from the SVD with a rank tolerance.
  ///
  /// A⁺ = V_r·diag(1/σ)·U_rᵀ over the r singular values above the tolerance; the rest are
  /// treated as exact zeros, which is what makes A⁺ stable on rank-deficient input.
  /// - Throws: as `singularValueDecomposition(full:)`.
  /// - Complexity: one SVD plus one O(m·n·r) gemm.
  public func pseudoInverse(tolerance: RankTolerance = .automatic) throws -> Matrix {
    let svd = try singularValueDecomposition()
    let r = svd.rank(tolerance: tolerance)
    var result = Matrix(rows: columns, columns: rows)
    if r == 0 { return result }
    // B = diag(1/σ)·V_rᵀ (r × n); A⁺ = Bᵀ·U_rᵀ, with U_r the first r columns of U.
    var scaled = svd.vt.prefixRows(r)
    scaled.withUnsafeMutableBufferPointer { b in
      for i in 0..<r {
        let inverse = 1 / svd.singularValues[i]
        for j in 0..<columns { b[i * columns + j] *= inverse }
      }
    }
    let k = svd.u.columns
    scaled.withUnsafeBufferPointer { b in
      svd.u.withUnsafeBufferPointer { u in
        result.withUnsafeMutableBufferPointer { c in
          Scalar._gemm(
            transposeA: true, transposeB: true, m: columns, n: rows, k: r, alpha: 1,
            a: b.baseAddress!, lda: columns, b: u.baseAddress!, ldb: k, beta: 0,
            c: c.baseAddress!, ldc: rows)
        }
      }
    }
    return result
  }

  /// Solves min ‖A·x − b‖ and returns the minimum-norm minimiser.
  ///
  /// - Throws: `LinalgError.shapeMismatch` when `b.count != rows`; otherwise as
  ///   `singularValueDecomposition(full:)`.
  public func leastSquares(_ b: [Scalar], tolerance: RankTolerance = .automatic) throws
    -> LeastSquaresSolution<Scalar>
  {
    guard b.count == rows else {
      throw LinalgError.shapeMismatch(
        operation: "least squares", left: shape, right: .init(b.count, 1))
    }
    let svd = try singularValueDecomposition()
    let r = svd.rank(tolerance: tolerance)
    // x = V_r·diag(1/σ)·U_rᵀ·b
    let projected = try svd.u.multiplied(by: b, transposingSelf: true)
    var x = [Scalar](repeating: 0, count: columns)
    for i in 0..<r {
      x.add(svd.vt.row(i), scaledBy: projected[i] / svd.singularValues[i])
    }
    let residual = try multiplied(by: x).subtracting(b)
    return LeastSquaresSolution(solution: x, rank: r, residualSumOfSquares: residual.squaredNorm)
  }
}
