import EngramLinalg
import EngramRandom
import Testing

/// Products of small matrices are exact in Double up to a few ulps of the largest partial sum;
/// 1e-12 on entries of size ~10 leaves ample room while catching any indexing error.
let doubleTolerance = 1e-12

func naiveProduct(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
  a.map { row in
    (0..<b[0].count).map { j in zip(row, b.map { $0[j] }).reduce(0) { $0 + $1.0 * $1.1 } }
  }
}

func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix<Double> {
  var stream = RandomStream(seed: seed)
  return .gaussian(rows: rows, columns: columns, using: &stream)
}

@Suite("Matrix")
struct MatrixTests {
  @Test("gemm matches the schoolbook product for every transpose combination")
  func gemmMatchesNaive() throws {
    let a = randomMatrix(3, 4, seed: 1)
    let b = randomMatrix(4, 5, seed: 2)
    let expected = try Matrix(naiveProduct(a.rowArrays, b.rowArrays))
    #expect(try (a * b).maxAbsoluteDifference(to: expected) < doubleTolerance)
    let viaTransposes = try a.transposed.multiplied(
      by: b.transposed, transposingSelf: true, transposingOther: true)
    #expect(viaTransposes.maxAbsoluteDifference(to: expected) < doubleTolerance)
  }

  @Test("Float gemm agrees with Double gemm to single precision")
  func floatGemm() throws {
    let a = randomMatrix(6, 7, seed: 3)
    let b = randomMatrix(7, 2, seed: 4)
    let single = try Matrix<Float>(converting: a) * Matrix<Float>(converting: b)
    let double = try a * b
    // Entries are sums of 7 products of N(0,1) values: ~1e-6 relative error in Float.
    #expect(Matrix<Double>(converting: single).maxAbsoluteDifference(to: double) < 1e-5)
  }

  @Test("gemv and transposed gemv match the definition")
  func gemv() throws {
    let a = try Matrix<Double>([[1, 2, 3], [4, 5, 6]])
    #expect(try a.multiplied(by: [1, 0, -1]) == [-2, -2])
    #expect(try a.multiplied(by: [1, 1], transposingSelf: true) == [5, 7, 9])
  }

  @Test("shape mismatches throw a typed error instead of crashing")
  func shapeMismatch() throws {
    let a = Matrix<Double>(rows: 2, columns: 3)
    let b = Matrix<Double>(rows: 2, columns: 3)
    #expect(
      throws: LinalgError.shapeMismatch(
        operation: "multiply", left: .init(2, 3), right: .init(2, 3))
    ) {
      try a * b
    }
    #expect(throws: LinalgError.self) { try a.multiplied(by: [1, 2]) }
    #expect(throws: LinalgError.self) { try a + Matrix(rows: 3, columns: 2) }
  }

  @Test("ragged rows are rejected, naming the row")
  func raggedRows() {
    #expect(throws: LinalgError.raggedRows(row: 1, expected: 2, found: 3)) {
      try Matrix<Double>([[1, 2], [3, 4, 5]])
    }
    #expect(throws: LinalgError.elementCount(expected: 6, found: 5)) {
      try Matrix<Double>(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5])
    }
  }

  @Test("storage is row-major: element (i, j) sits at i·columns + j")
  func layout() throws {
    let m = try Matrix<Double>([[1, 2, 3], [4, 5, 6]])
    #expect(m.elements == [1, 2, 3, 4, 5, 6])
    #expect(m[1, 0] == 4)
    #expect(m.transposed.elements == [1, 4, 2, 5, 3, 6])
  }
}
