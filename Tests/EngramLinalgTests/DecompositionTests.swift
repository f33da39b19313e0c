import EngramLinalg
import Testing

/// LAPACK's SVD is backward stable: reconstruction and orthogonality errors are a small
/// multiple of ε·‖A‖ ≈ 1e-15 for these sizes; 1e-11 catches any layout mistake (which gives
/// O(1) errors) without flaking.
let decompositionTolerance = 1e-11

/// A rank-2 4 × 6 matrix: the product of 4 × 2 and 2 × 6 Gaussian factors.
func rankTwoMatrix() throws -> Matrix<Double> {
  try randomMatrix(4, 2, seed: 10) * randomMatrix(2, 6, seed: 11)
}

func diagonal(_ values: [Double], rows: Int, columns: Int) -> Matrix<Double> {
  Matrix(rows: rows, columns: columns) { i, j in i == j && i < values.count ? values[i] : 0 }
}

@Suite("Decompositions")
struct DecompositionTests {
  @Test(
    "thin and full SVD reconstruct A with orthonormal factors", arguments: [(3, 5), (5, 3), (4, 4)])
  func svdReconstructs(shape: (Int, Int)) throws {
    let a = randomMatrix(shape.0, shape.1, seed: 20)
    for full in [false, true] {
      let svd = try a.singularValueDecomposition(full: full)
      let k = min(shape.0, shape.1)
      #expect(svd.singularValues.count == k)
      #expect(zip(svd.singularValues, svd.singularValues.dropFirst()).allSatisfy { $0 >= $1 })
      let sigma = diagonal(svd.singularValues, rows: svd.u.columns, columns: svd.vt.rows)
      let rebuilt = try svd.u * sigma * svd.vt
      #expect(rebuilt.maxAbsoluteDifference(to: a) < decompositionTolerance)
      let utu = try svd.u.multiplied(by: svd.u, transposingSelf: true)
      #expect(utu.maxAbsoluteDifference(to: .identity(svd.u.columns)) < decompositionTolerance)
      let vvt = try svd.vt.multiplied(by: svd.vt, transposingOther: true)
      #expect(vvt.maxAbsoluteDifference(to: .identity(svd.vt.rows)) < decompositionTolerance)
    }
  }

  @Test("singular values of a known matrix")
  func knownSingularValues() throws {
    // [[3, 0], [4, 5]] has singular values √45 and √5 (σ₁σ₂ = |det| = 15, σ₁² + σ₂² = 50).
    let s = try Matrix<Double>([[3, 0], [4, 5]]).singularValues()
    #expect(abs(s[0] - 45.0.squareRoot()) < 1e-13)
    #expect(abs(s[1] - 5.0.squareRoot()) < 1e-13)
  }

  @Test("the pseudo-inverse satisfies the four Moore–Penrose conditions on a rank-deficient matrix")
  func moorePenrose() throws {
    let a = try rankTwoMatrix()
    #expect(try a.rank() == 2)
    let p = try a.pseudoInverse()
    #expect(p.rows == 6 && p.columns == 4)
    #expect(try (a * p * a).maxAbsoluteDifference(to: a) < decompositionTolerance)
    #expect(try (p * a * p).maxAbsoluteDifference(to: p) < decompositionTolerance)
    let ap = try a * p
    let pa = try p * a
    #expect(ap.maxAbsoluteDifference(to: ap.transposed) < decompositionTolerance)
    #expect(pa.maxAbsoluteDifference(to: pa.transposed) < decompositionTolerance)
  }

  @Test("the rank tolerance decides which tiny singular values count")
  func rankTolerance() throws {
    let a = diagonal([1, 1e-9, 0], rows: 3, columns: 3)
    #expect(try a.rank() == 2)
    #expect(try a.rank(tolerance: .relative(1e-6)) == 1)
    #expect(try a.rank(tolerance: .absolute(2)) == 0)
    #expect(try a.pseudoInverse(tolerance: .relative(1e-6))[1, 1] == 0)
  }

  @Test("least squares returns the minimum-norm solution of an underdetermined system")
  func minimumNormLeastSquares() throws {
    let a = try rankTwoMatrix()
    let b = try a.multiplied(by: [1, 2, 3, 4, 5, 6])
    let solution = try a.leastSquares(b)
    #expect(solution.rank == 2)
    #expect(solution.residualSumOfSquares < 1e-20)
    let viaPinv = try a.pseudoInverse().multiplied(by: b)
    #expect(zip(solution.solution, viaPinv).allSatisfy { abs($0 - $1) < decompositionTolerance })
    // Minimum norm ⟺ no component in the null space.
    let null = try a.nullSpaceBasis()
    #expect(
      try null.multiplied(by: solution.solution).allSatisfy { abs($0) < decompositionTolerance })
  }

  @Test("least squares of an inconsistent system gives the normal-equation solution")
  func overdeterminedLeastSquares() throws {
    // Fit y = c·x through (1, 1), (2, 2), (3, 2): c = Σxy/Σx² = 11/14.
    let a = try Matrix<Double>([[1], [2], [3]])
    let solution = try a.leastSquares([1, 2, 2])
    #expect(abs(solution.solution[0] - 11.0 / 14.0) < 1e-14)
    let c = 11.0 / 14.0
    let residuals: [Double] = [1 - c, 2 - 2 * c, 2 - 3 * c]
    let residual = residuals.squaredNorm
    #expect(abs(solution.residualSumOfSquares - residual) < 1e-14)
  }

  @Test("non-finite input is refused before LAPACK sees it")
  func nonFinite() {
    let a = Matrix<Double>(rows: 2, columns: 2, repeating: .nan)
    #expect(throws: LinalgError.nonFinite(operation: "SVD")) { try a.singularValueDecomposition() }
  }

  @Test("empty matrices decompose without calling LAPACK")
  func emptyMatrices() throws {
    let a = Matrix<Double>(rows: 0, columns: 3)
    #expect(try a.rank() == 0)
    #expect(try a.nullSpaceBasis().rows == 3)
    #expect(try a.pseudoInverse().rows == 3)
  }
}
