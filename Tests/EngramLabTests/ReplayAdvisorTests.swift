import EngramLab
import EngramLinalg
import EngramRandom
import Testing

/// Features of a task: `count` random combinations of `directions` (rows of length 3).
private func features(_ directions: [[Double]], count: Int, seed: UInt64) throws -> Matrix<Double> {
  var random = RandomStream(seed: seed)
  var elements: [Double] = []
  for _ in 0..<count {
    var row = [0.0, 0.0, 0.0]
    for direction in directions {
      let c = random.nextGaussian()
      for j in 0..<3 { row[j] += c * direction[j] }
    }
    elements += row
  }
  return try Matrix(rows: count, columns: 3, elements: elements)
}

@Suite("Replay advisor")
struct ReplayAdvisorTests {
  /// Theorem C.1's geometry in R³: the previous task spans e1 and u = εe2 + √(1−ε²)e3, the next
  /// task spans e3, close to u.
  func theoremC1(epsilon: Double) throws -> ReplayAdvisor {
    let u = [0, epsilon, (1 - epsilon * epsilon).squareRoot()]
    return ReplayAdvisor(
      previous: try features([[1, 0, 0], u], count: 40, seed: 1),
      next: try features([[0, 0, 1]], count: 40, seed: 2))
  }

  @Test("Theorem C.1 geometry: one replayed sample is predicted to hurt, two to remove forgetting")
  func nearbyTasks() throws {
    let (advice, cannotHurt, dimensions) = try theoremC1(epsilon: 0.2).advise(
      memories: [0, 1, 2], targets: 64, draws: 64)
    #expect(dimensions == [2, 2, 2])
    #expect(!cannotHurt)
    #expect(advice[1].direction == "hurts", "\(advice[1])")
    #expect(advice[1].ratio > 1.5)
    // Two samples span the previous task: nothing is forgotten.
    #expect(advice[2].ratio < 1e-9 && advice[2].direction == "helps")
  }

  @Test(
    "orthogonal tasks: nothing forgotten, replay changes nothing, Prop. 3.6 says it cannot hurt")
  func orthogonalTasks() throws {
    let advisor = ReplayAdvisor(
      previous: try features([[1, 0, 0], [0, 1, 0]], count: 30, seed: 3),
      next: try features([[0, 0, 1]], count: 30, seed: 4))
    let (advice, cannotHurt, _) = try advisor.advise(memories: [0, 1], targets: 8, draws: 8)
    #expect(cannotHurt)
    #expect(advice[1].ratio == 1 && advice[1].direction == "no clear effect", "\(advice[1])")
  }
}
