import EngramLinalg
import Foundation
import Testing

@Suite("Subspaces")
struct SubspaceTests {
  @Test("row- and null-space bases are orthonormal, complementary and exact")
  func bases() throws {
    let a = try rankTwoMatrix()
    let row = try a.rowSpaceBasis()
    let null = try a.nullSpaceBasis()
    #expect(row.rows == 2 && null.rows == 4)
    let all = try row.appendingRows(of: null)
    #expect(
      try all.multiplied(by: all, transposingOther: true).maxAbsoluteDifference(to: .identity(6))
        < decompositionTolerance)
    #expect(
      try a.multiplied(by: null, transposingOther: true).frobeniusNorm < decompositionTolerance)
    // Each row of A is unchanged by the projection onto its row space.
    let projection = SubspaceProjection(orthonormalBasis: row)
    for i in 0..<a.rows {
      let v = a.row(i)
      #expect(try projection.complement(v).norm < decompositionTolerance)
    }
  }

  @Test("pivoted-QR and SVD row-space bases give the same projection")
  func qrMatchesSVD() throws {
    let a = try rankTwoMatrix()
    let viaQR = SubspaceProjection(orthonormalBasis: try a.rowSpaceBasisByQR())
    let viaSVD = try SubspaceProjection(ontoRowSpaceOf: a)
    #expect(viaQR.rank == 2)
    #expect(viaQR.matrix.maxAbsoluteDifference(to: viaSVD.matrix) < decompositionTolerance)
    let float = try Matrix<Float>(converting: a).rowSpaceBasisByQR()
    #expect(float.rows == 2)
  }

  @Test("a reused QR workspace gives the same basis as a fresh one")
  func workspaceReuse() throws {
    var workspace = RowSpaceQR<Double>(dimension: 6, maximumRows: 5)
    _ = try workspace.factor(randomMatrix(5, 6, seed: 99))
    let a = try rankTwoMatrix()
    let rank = try workspace.factor(a)
    #expect(rank == 2)
    let reused = SubspaceProjection(orthonormalBasis: workspace.basis(rank: rank)).matrix
    #expect(
      reused.maxAbsoluteDifference(to: try SubspaceProjection(ontoRowSpaceOf: a).matrix)
        < decompositionTolerance)
  }

  @Test(
    "principal angles between two lines in the plane equal the angle between them",
    arguments: [0.0, 1e-9, 0.3, 1.0, Double.pi / 2])
  func lineAngles(theta: Double) throws {
    let x1 = try Matrix<Double>([[1, 0]])
    let x2 = try Matrix<Double>([[cos(theta), sin(theta)]])
    let angles = try PrincipalAngles(betweenRowSpacesOf: x1, and: x2)
    // Mixing asin and acos keeps small angles to relative accuracy: 1e-9 is recovered to 1e-20.
    #expect(abs(angles.radians[0] - theta) < 1e-15 + theta * 1e-12)
  }

  @Test("oracle O3: rows {e1, e2} and {e2, e3} in R³ have angles {0°, 90°}; Theorem 6 holds")
  func oracleO3() throws {
    let x1 = try Matrix<Double>([[1, 0, 0], [0, 1, 0]])
    let x2 = try Matrix<Double>([[0, 1, 0], [0, 0, 1]])
    let angles = try PrincipalAngles(betweenRowSpacesOf: x1, and: x2)
    #expect(angles.degrees.count == 2)
    #expect(abs(angles.degrees[0]) < 1e-12)
    #expect(abs(angles.degrees[1] - 90) < 1e-12)
    #expect(angles.allZeroOrRight())
    #expect(angles.friedrichs() == angles.radians[1])
    #expect(angles.dixmier == angles.radians[0])
  }

  @Test(
    "oracle O4: row-space and null-space non-zero principal angles agree (Claim 19)",
    arguments: [1 as UInt64, 2, 3])
  func claim19(seed: UInt64) throws {
    let x1 = randomMatrix(3, 6, seed: seed)
    let x2 = randomMatrix(2, 6, seed: seed + 100)
    let rows = try PrincipalAngles(betweenRowSpacesOf: x1, and: x2).nonZero()
    let nulls = try PrincipalAngles(betweenNullSpacesOf: x1, and: x2).nonZero()
    #expect(rows.count == nulls.count)
    #expect(zip(rows, nulls).allSatisfy { abs($0 - $1) < 1e-10 })
    // cos²θ are the eigenvalues of the null-space cross-Gram (Evron et al., Definition 18).
    let v1 = try x1.nullSpaceBasis()
    let v2 = try x2.nullSpaceBasis()
    let cross = try v1.multiplied(by: v2, transposingOther: true)
    let squared = try cross.singularValues().map { $0 * $0 }
    let fromAngles = try PrincipalAngles(betweenBases: v1, and: v2).cosines.map { $0 * $0 }
    #expect(zip(squared, fromAngles).allSatisfy { abs($0 - $1) < 1e-12 })
  }
}
