import EngramLinalg
import EngramRandom
import EngramTheory
import Foundation
import Testing

/// The test oracles of reference/replay-theory.md §6.
@Suite("Oracles O1–O5")
struct OracleTests {
  @Test(
    "O1: two lines, w* = (0.6, 0.8): F_E22 = ½(0.8)²cos²θ sin²θ and F_M25 is twice that",
    arguments: [(15.0, 0.02), (30, 0.06), (45, 0.08), (60, 0.06), (75, 0.02)])
  func oracleO1(degrees: Double, e22: Double) throws {
    let run = try ContinualRegression(sequence: lines(degrees, wStar: [0.6, 0.8])).train(order: [
      0, 1,
    ])
    #expect(abs(run.forgetting(.e22) - e22) < exact)
    #expect(abs(run.forgetting(.m25) - 2 * e22) < exact)
    // The same numbers by the closed form, to all digits.
    let theta = degrees * .pi / 180
    #expect(abs(run.forgetting(.e22) - 0.5 * 0.64 * pow(cos(theta) * sin(theta), 2)) < exact)
  }

  @Test("O1: after two tasks at 45° the weights are (1.0, 0.4)")
  func oracleO1Weights() throws {
    let run = try ContinualRegression(sequence: lines(45, wStar: [0.6, 0.8])).train(order: [0, 1])
    #expect(abs(run.weights[0] - 1.0) < exact && abs(run.weights[1] - 0.4) < exact)
  }

  @Test(
    "O2: cyclic two lines, w* = (0, 1): F_E22 = ½cos^{2(k−1)}θ sin²θ",
    arguments: [
      (45.0, 2, 0.125), (45, 4, 0.03125), (45, 8, 0.001953), (30, 2, 0.09375), (30, 4, 0.052734),
      (30, 8, 0.016685), (10, 32, 0.0058358),
    ])
  func oracleO2(degrees: Double, k: Int, expected: Double) throws {
    let order = try TaskOrder.cyclic(passes: k / 2).indices(taskCount: 2)
    let run = try ContinualRegression(sequence: lines(degrees, wStar: [0, 1])).train(order: order)
    // The table gives 5–6 significant digits.
    #expect(abs(run.forgetting(.e22) - expected) < 5e-7)
  }

  @Test(
    "O2b: Evron Theorem 10 worst case ½(1−1/k)^{k−1}/k",
    arguments: [(2, 0.125), (4, 0.052734), (8, 0.024543), (32, 0.0058396), (128, 0.0014427)])
  func oracleO2b(k: Int, expected: Double) throws {
    let built = try instance(.evronCyclic(iterations: k))
    let run = try ContinualRegression(sequence: built.sequence).train(order: built.order)
    #expect(abs(run.forgetting(.e22) - expected) < 5e-7)
    #expect(abs(run.forgetting(.e22) - (built.closedFormNoReplay ?? .nan)) < exact)
  }

  @Test("O3: rows {e1, e2} and {e2, e3}: angles {0°, 90°}, no forgetting for any w*")
  func oracleO3() throws {
    let x1 = try Matrix<Double>([[1, 0, 0], [0, 1, 0]])
    let x2 = try Matrix<Double>([[0, 1, 0], [0, 0, 1]])
    let geometry = try TwoTaskGeometry(first: x1, second: x2)
    #expect(geometry.forgetsNothing)
    var stream = RandomStream(seed: 4)
    for _ in 0..<5 {
      let w = (0..<3).map { _ in stream.nextGaussian() }
      let run = try ContinualRegression(sequence: TaskSequence(tasks: [x1, x2], groundTruth: w))
        .train(order: [0, 1])
      #expect(run.forgetting() < exact)
    }
  }

  @Test(
    "O4: ‖(I−P₁)(P₂P₁)ⁿ‖² = max_i c_i^{2n−1}(1 − c_i), c_i = cos²θ_i (Lemma 20)",
    arguments: [1, 2, 3])
  func oracleO4(n: Int) throws {
    let sequence = try randomSequence(taskRows: [3, 2], dimension: 6, seed: 17)
    let x1 = sequence.tasks[0]
    let x2 = sequence.tasks[1]
    let p1 = try SubspaceProjection(ontoNullSpaceOf: x1).matrix
    let p2 = try SubspaceProjection(ontoNullSpaceOf: x2).matrix
    var power = Matrix<Double>.identity(6)
    for _ in 0..<n { power = try p2 * p1 * power }
    let lhs = try (Matrix.identity(6) - p1) * power
    let norm = try lhs.operatorNorm()
    let c = try TwoTaskGeometry(first: x1, second: x2).nullSpaceAngles.cosines.map { $0 * $0 }
    let rhs = c.map { pow($0, Double(2 * n - 1)) * (1 - $0) }.max() ?? 0
    #expect(abs(norm * norm - rhs) < 1e-10)
  }

  @Test(
    "O5: Theorem 3.2 worst case: 3/(28(T−1)) without replay, 3/14 with x₂ replayed, for every T",
    arguments: [(2, 0.107143), (5, 0.026786), (10, 0.011905), (50, 0.002187)])
  func oracleO5(tasks: Int, noReplay: Double) throws {
    for dimension in [3, 6] {
      let built = try instance(.worstCase(tasks: tasks, dimension: dimension))
      let model = ContinualRegression(sequence: built.sequence)
      let plain = try model.train(order: built.order)
      let pool = built.pool
      guard case .rows(let x2) = pool else {
        Issue.record("pool should be rows")
        return
      }
      let replayed = try model.train(order: built.order, replay: Replay(task: tasks - 1, rows: x2))
      #expect(abs(plain.forgetting() - noReplay) < 5e-7)
      #expect(abs(plain.forgetting() - 3 / (28 * Double(tasks - 1))) < exact)
      #expect(abs(replayed.forgetting() - 3.0 / 14) < exact)
    }
  }

  @Test("O5 scales with a² = (uᵀw*)² for any w*")
  func oracleO5Scaling() throws {
    let built = try instance(.worstCase(tasks: 4, dimension: 3))
    let u = built.sequence.groundTruth
    // w* = 0.5·u + 0.3·v₁: a = 0.5; the v₁ part is learned by task 1 and never forgotten.
    let w = [0.3 + 0.5 * u[0], 0.5 * u[1], 0.5 * u[2]]
    let model = ContinualRegression(sequence: try built.sequence.with(groundTruth: w))
    guard case .rows(let x2) = built.pool else {
      Issue.record("pool should be rows")
      return
    }
    let replayed = try model.train(order: built.order, replay: Replay(task: 3, rows: x2))
    #expect(abs(try model.train(order: built.order).forgetting() - 0.25 * 3 / 28 / 3) < exact)
    #expect(abs(replayed.forgetting() - 0.25 * 3 / 14) < exact)
  }
}
