import EngramLinalg
import EngramRandom
import EngramTheory
import Foundation
import Testing

@Suite("Constructions")
struct ConstructionTests {
  @Test(
    "three-d: no replay gives ε²(1−ε²) exactly", arguments: [0.2, (1.0 / 63).squareRoot(), 0.5])
  func threeDNoReplay(epsilon: Double) throws {
    let built = try instance(.threeD(epsilon: epsilon, samples: 10))
    let experiment = try built.experiment()
    #expect(
      abs(experiment.noReplayForgetting - epsilon * epsilon * (1 - epsilon * epsilon)) < exact)
    // The literal min-norm path agrees with the projection path.
    let run = try ContinualRegression(sequence: built.sequence).train(order: [0, 1])
    #expect(abs(run.expectedTestForgetting() - experiment.noReplayForgetting) < exact)
  }

  @Test(
    "three-d: Monte Carlo over one replay sample agrees with ε(1−ε²)/2 within 4 standard errors",
    arguments: [0.2, 0.5])
  func threeDReplay(epsilon: Double) throws {
    let built = try instance(.threeD(epsilon: epsilon, samples: 10))
    var stream = RandomStream(seed: 11)
    let estimate = try built.experiment().expectedForgetting(memory: 1, draws: 4000, using: &stream)
    let closed = epsilon * (1 - epsilon * epsilon) / 2
    #expect(built.closedFormReplay[1] == closed)
    #expect(abs(estimate.mean - closed) < 4 * estimate.standardError)
    #expect(estimate.method == .monteCarlo && estimate.standardError > 0)
  }

  @Test("three-d: replay raises forgetting by 1/(2ε) for ε < ½ (Theorem C.1)")
  func threeDHarm() throws {
    let epsilon = (1.0 / 63).squareRoot()
    let built = try instance(.threeD(epsilon: epsilon, samples: 10))
    var stream = RandomStream(seed: 12)
    let estimate = try built.experiment().expectedForgetting(memory: 1, draws: 4000, using: &stream)
    let ratio = estimate.mean / (built.closedFormNoReplay ?? .nan)
    // Claim C.3 proves a ratio of at least 1.4; the exact value is √63/2 ≈ 3.97.
    #expect(ratio > 1.4)
    #expect(
      abs(ratio - 63.0.squareRoot() / 2) < 4 * estimate.standardError
        / (built.closedFormNoReplay ?? 1))
  }

  @Test("subspace d = 50: ε²(1−ε²) without replay, zero once m ≥ d − 1 samples span task 1")
  func subspaceEndpoints() throws {
    let built = try instance(.subspace(dimension: 50, epsilon: 0.4, samples: 100))
    let experiment = try built.experiment()
    #expect(abs(experiment.noReplayForgetting - 0.16 * 0.84) < exact)
    var stream = RandomStream(seed: 1)
    let full = try experiment.expectedForgetting(memory: 49, draws: 20, using: &stream)
    #expect(full.mean < 1e-20)
  }

  @Test("subspace d = 50: replay of 5–45 samples increases expected forgetting (Theorem 3.5)")
  func subspaceHarm() throws {
    let experiment = try instance(.subspace(dimension: 50, epsilon: 0.4, samples: 100)).experiment()
    var stream = RandomStream(seed: 2)
    for m in [5, 20, 40] {
      let estimate = try experiment.expectedForgetting(memory: m, draws: 300, using: &stream)
      #expect(estimate.mean - experiment.noReplayForgetting > 4 * estimate.standardError)
      // f(x) = x(1 − x) ≤ ¼ bounds two-task forgetting with a one-dimensional null space.
      #expect(estimate.mean <= 0.25 + exact)
    }
  }

  @Test(
    "hyperplanes: no-replay forgetting is c²(1 − c²), peaking at 45°",
    arguments: [0.0, 20, 45, 70, 90])
  func hyperplanes(degrees: Double) throws {
    let built = try instance(.hyperplanes(dimension: 10, angleDegrees: degrees, samples: 20))
    let c2 = pow(cos(degrees * .pi / 180), 2)
    #expect(abs(try built.experiment().noReplayForgetting - c2 * (1 - c2)) < exact)
  }

  @Test("two-lines: replaying x₁ removes all forgetting; enumeration is exact")
  func twoLines() throws {
    let experiment = try instance(.twoLines(angleDegrees: 30)).experiment()
    var stream = RandomStream(seed: 0)
    let estimate = try experiment.expectedForgetting(memory: 1, draws: 10, using: &stream)
    #expect(estimate.method == .deterministic && estimate.mean < exact)
    #expect(abs(experiment.noReplayForgetting - 0.75 * 0.25) < exact)
  }

  @Test("Evron Theorem 7: the identity ordering forgets more than 1 − ε", arguments: [0.3, 0.5])
  func evronIdentity(epsilon: Double) throws {
    let built = try instance(.evronIdentity(epsilon: epsilon))
    let run = try ContinualRegression(sequence: built.sequence).train(order: built.order)
    #expect(run.forgetting(.e22) > 1 - epsilon)
    #expect(abs(try built.experiment().noReplayForgetting - run.forgetting(.e22)) < 1e-10)
  }

  @Test("parameters out of range are rejected with their allowed range")
  func outOfRange() throws {
    #expect(
      throws: TheoryError.parameterOutOfRange(
        name: "epsilon", value: "1.5", allowed: "must lie strictly between 0 and 1")
    ) {
      try instance(.threeD(epsilon: 1.5, samples: 10))
    }
    #expect(throws: TheoryError.self) { try instance(.threeD(epsilon: 0, samples: 10)) }
    #expect(throws: TheoryError.self) { try instance(.worstCase(tasks: 1, dimension: 3)) }
    #expect(throws: TheoryError.self) { try instance(.worstCase(tasks: 3, dimension: 2)) }
    #expect(throws: TheoryError.self) { try instance(.twoLines(angleDegrees: 91)) }
    #expect(throws: TheoryError.self) { try instance(.evronCyclic(iterations: 3)) }
    #expect(throws: TheoryError.self) {
      try instance(.subspace(dimension: 10, epsilon: 0.3, samples: 5))
    }
    let experiment = try instance(.threeD(epsilon: 0.2, samples: 10)).experiment()
    var stream = RandomStream(seed: 0)
    #expect(throws: TheoryError.memoryTooLarge(requested: 11, available: 10, task: 0)) {
      try experiment.expectedForgetting(memory: 11, draws: 10, using: &stream)
    }
  }

  @Test("defaults are the papers' settings (Figure 1a, 1b, 9; Evron's theorems) and build")
  func defaults() throws {
    // reference/replay-theory.md §4.1: Figure 1a is d = 3, ε = 0.2, n = 10; Figure 1b is
    // d = 50, ε = 0.4, n = 100.
    #expect(Construction.threeD() == .threeD(epsilon: 0.2, samples: 10))
    #expect(Construction.subspace() == .subspace(dimension: 50, epsilon: 0.4, samples: 100))
    #expect(Construction.worstCase() == .worstCase(tasks: 2, dimension: 3))
    #expect(Construction.twoLines() == .twoLines(angleDegrees: 45))
    #expect(
      Construction.hyperplanes() == .hyperplanes(dimension: 10, angleDegrees: 45, samples: 100))
    #expect(Construction.evronIdentity() == .evronIdentity(epsilon: 0.1))
    #expect(Construction.evronCyclic() == .evronCyclic(iterations: 8))
    #expect(Construction.standards.map(\.name) == Construction.names)
    for standard in Construction.standards {
      #expect(try Construction.standard(named: standard.name) == standard)
      _ = try instance(standard)
    }
    #expect(throws: TheoryError.unknownConstruction(name: "three-dee", valid: Construction.names)) {
      try Construction.standard(named: "three-dee")
    }
  }
}
