import EngramLinalg
import EngramRandom
import EngramTheory
import Foundation
import Testing

@Suite("Expectations (Propositions 3.4 and 3.6)")
struct ExpectationTests {
  @Test(
    "Proposition 3.4: ‖Π_t e‖² is the mean test loss over fresh samples X′ (k_t rows, E[X′ᵀX′] = Π_t)"
  )
  func testSampleExpectation() throws {
    let built = try instance(.subspace(dimension: 8, epsilon: 0.3, samples: 10))
    let run = try ContinualRegression(sequence: built.sequence).train(order: [0, 1])
    let error = run.weights.subtracting(built.sequence.groundTruth)
    let basis = try built.sequence.tasks[0].rowSpaceBasis()
    var stream = RandomStream(seed: 21)
    var values: [Double] = []
    for _ in 0..<4000 {
      let z = Matrix<Double>.gaussian(
        rows: basis.rows, columns: basis.rows,
        standardDeviation: 1 / Double(basis.rows).squareRoot(), using: &stream)
      let test = try z * basis
      values.append(try test.multiplied(by: error).squaredNorm)
    }
    let mean = values.reduce(0, +) / Double(values.count)
    let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1))
      .squareRoot()
    #expect(abs(mean - run.expectedTestLosses[0]) < 4 * sd / Double(values.count).squareRoot())
  }

  @Test(
    "Proposition 3.6: E over w* ~ N(0, I) equals tr(AᵀA − (AᵀA)²), A = P₂P₁, and Monte Carlo over w*"
  )
  func traceFormula() throws {
    let sequence = try randomSequence(taskRows: [3, 2], dimension: 6, seed: 30)
    let exactValue = try GroundTruthExpectation.forgetting(of: sequence, order: [0, 1])
    let p1 = try SubspaceProjection(ontoNullSpaceOf: sequence.tasks[0]).matrix
    let p2 = try SubspaceProjection(ontoNullSpaceOf: sequence.tasks[1]).matrix
    let ata = try (p2 * p1).multiplied(by: p2 * p1, transposingSelf: true)
    let squared = try ata * ata
    let trace = (0..<6).reduce(0.0) { $0 + ata[$1, $1] - squared[$1, $1] }
    #expect(abs(exactValue - trace) < 1e-12)
    var stream = RandomStream(seed: 31)
    var values: [Double] = []
    let model = ContinualRegression(sequence: sequence)
    for _ in 0..<2000 {
      let w = (0..<6).map { _ in stream.nextGaussian() }
      values.append(
        try ContinualRegression(sequence: try model.sequence.with(groundTruth: w)).train(order: [
          0, 1,
        ]).expectedTestForgetting())
    }
    let mean = values.reduce(0, +) / Double(values.count)
    let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1))
      .squareRoot()
    #expect(abs(mean - exactValue) < 4 * sd / Double(values.count).squareRoot())
  }

  @Test("Proposition 3.6: with every null-space angle ≥ 45°, no replay set raises E_w*[F]")
  func replayCannotHurtWideAngles() throws {
    var stream = RandomStream(seed: 40)
    var checked = 0
    for _ in 0..<40 {
      let sequence = try randomSequence(taskRows: [2, 2], dimension: 4, seed: stream.next())
      let geometry = try TwoTaskGeometry(first: sequence.tasks[0], second: sequence.tasks[1])
      guard geometry.replayCannotHurtOnAverage else { continue }
      checked += 1
      let base = try GroundTruthExpectation.forgetting(of: sequence, order: [0, 1])
      for row in 0..<2 {
        let replay = Replay(task: 1, rows: sequence.tasks[0].selectingRows([row]))
        #expect(
          try GroundTruthExpectation.forgetting(of: sequence, order: [0, 1], replay: replay) <= base
            + 1e-12)
      }
    }
    #expect(checked >= 3)
  }

  @Test("small null-space angles: replay can raise E_w*[F] (the subspace construction)")
  func replayHurtsNarrowAngles() throws {
    let built = try instance(.subspace(dimension: 10, epsilon: 0.3, samples: 20))
    let geometry = try TwoTaskGeometry(
      first: built.sequence.tasks[0], second: built.sequence.tasks[1])
    #expect(!geometry.replayCannotHurtOnAverage)
    let base = try GroundTruthExpectation.forgetting(of: built.sequence, order: [0, 1])
    let replay = Replay(task: 1, rows: built.sequence.tasks[0].selectingRows(0..<4))
    #expect(
      try GroundTruthExpectation.forgetting(of: built.sequence, order: [0, 1], replay: replay)
        > base)
  }

  @Test("the Monte Carlo standard error is the sample standard deviation over √n")
  func standardError() {
    let estimate = ExpectationEstimate.monteCarlo([1, 2, 3, 4])
    // Sample variance (n − 1 = 3): (2.25 + 0.25 + 0.25 + 2.25)/3 = 5/3; SE = √(5/3)/2.
    #expect(estimate.mean == 2.5)
    #expect(abs(estimate.standardError - (5.0 / 3).squareRoot() / 2) < 1e-15)
    #expect(ExpectationEstimate.monteCarlo([7]).standardError == 0)
  }
}
