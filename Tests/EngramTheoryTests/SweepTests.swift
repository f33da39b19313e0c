import EngramLinalg
import EngramRandom
import Foundation
import Testing

@testable import EngramTheory

func point(_ x: Double, _ mean: Double, _ se: Double = 0, base: Double = 1) -> SweepPoint {
  SweepPoint(
    parameter: x,
    withReplay: ExpectationEstimate(
      mean: mean, standardError: se, draws: 100, method: se > 0 ? .monteCarlo : .deterministic),
    noReplay: base)
}

@Suite("Sweeps")
struct SweepTests {
  @Test("harmful means above the no-replay value by more than 1.96 standard errors")
  func harmful() {
    let points = SweepAnalysis.annotate([
      point(0, 1), point(1, 1.05, 0.01), point(2, 1.01, 0.01), point(3, 0.5, 0.01),
    ])
    #expect(points.map(\.harmful) == [false, true, false, false])
  }

  @Test("a rise then a fall is a peak; noise-sized wiggles are not turns")
  func turns() {
    let curve = SweepAnalysis.annotate([
      point(0, 1, 0.01), point(1, 1.5, 0.01), point(2, 1.2, 0.01), point(3, 0.4, 0.01),
    ])
    #expect(curve.map(\.turn) == [nil, .peak, nil, nil])
    #expect(SweepAnalysis.isNonMonotonic(curve))
    let noisy = SweepAnalysis.annotate([
      point(0, 1, 0.1), point(1, 1.05, 0.1), point(2, 1.0, 0.1), point(3, 1.04, 0.1),
    ])
    #expect(!SweepAnalysis.isNonMonotonic(noisy))
    let valley = SweepAnalysis.annotate([point(0, 1), point(1, 0.5), point(2, 0.5), point(3, 0.8)])
    #expect(valley.compactMap(\.turn) == [.valley])
  }

  @Test("the d = 50 replay-count sweep rises above baseline, peaks inside, and ends at zero")
  func subspaceSweep() throws {
    let sweep = TheorySweep(
      construction: .subspace(dimension: 50, epsilon: 0.4, samples: 100), parameter: .memory,
      values: [0, 10, 30, 40, 45, 49], draws: 200, seed: 3)
    let points = try sweep.run()
    #expect(points.map(\.harmful) == [false, true, true, true, true, false])
    #expect(SweepAnalysis.isNonMonotonic(points))
    #expect(points.contains { $0.turn == .peak && $0.parameter >= 30 && $0.parameter <= 45 })
    #expect((points.last?.withReplay.mean ?? 1) < 1e-20)
  }

  @Test("a sweep row equals the single expectation with the same seed, and reruns are identical")
  func reproducible() throws {
    let sweep = TheorySweep(
      construction: .threeD(epsilon: 0.2, samples: 10), parameter: .memory, values: [1, 0],
      draws: 300, seed: 9)
    let first = try sweep.run()
    #expect(first == (try sweep.run()))
    #expect(first.map(\.parameter) == [0, 1])
    let streams = RandomStreams(seed: 9)
    var noise = streams.stream(.noise)
    let experiment = try Construction.threeD(epsilon: 0.2, samples: 10).instance(using: &noise)
      .experiment()
    var replay = streams.stream(.replay, worker: 1)
    let direct = try experiment.expectedForgetting(memory: 1, draws: 300, using: &replay)
    #expect(first[1].withReplay == direct)
  }

  @Test("angle sweeps trace the arch c²(1−c²); task-count sweeps show O(1/T) against 3/14")
  func otherParameters() throws {
    let angles = try TheorySweep(
      construction: .twoLines(angleDegrees: 0), parameter: .angle, values: [0, 30, 45, 60, 90],
      memory: 0
    ).run()
    for p in angles {
      let c2 = pow(cos(p.parameter * .pi / 180), 2)
      #expect(abs(p.noReplay - c2 * (1 - c2)) < exact)
    }
    let tasks = try TheorySweep(
      construction: .worstCase(tasks: 2, dimension: 3), parameter: .tasks, values: [2, 3, 10],
      memory: 1
    ).run()
    #expect(tasks.allSatisfy { abs($0.withReplay.mean - 3.0 / 14) < exact && $0.harmful })
    for p in tasks {
      let closed: Double = 3 / (28 * (p.parameter - 1))
      #expect(abs(p.noReplay - closed) < exact)
    }
    #expect(throws: TheoryError.unsupportedSweep(parameter: .angle, construction: "three-d")) {
      try TheorySweep(
        construction: .threeD(epsilon: 0.2, samples: 10), parameter: .angle, values: [10]
      ).run()
    }
  }

  @Test("a sweep varies exactly the parameters SweepParameter.constructions lists for it")
  func sweepableParameters() throws {
    let constructions: [Construction] = [
      .worstCase(tasks: 2, dimension: 3), .threeD(epsilon: 0.2, samples: 10),
      .subspace(dimension: 5, epsilon: 0.4, samples: 10), .twoLines(angleDegrees: 45),
      .hyperplanes(dimension: 4, angleDegrees: 45, samples: 10), .evronIdentity(epsilon: 0.1),
      .evronCyclic(iterations: 8),
    ]
    let values: [SweepParameter: Double] = [.angle: 30, .tasks: 3, .epsilon: 0.3]
    for construction in constructions {
      for (parameter, value) in values {
        let sweep = TheorySweep(construction: construction, parameter: parameter, values: [value])
        let listed = parameter.constructions?.contains(construction.name) ?? true
        do {
          _ = try sweep.varied(value)
          #expect(listed, "\(construction.name) swept \(parameter) without being listed")
        } catch let error as TheoryError {
          #expect(!listed, "\(construction.name) refused \(parameter): \(error)")
          #expect(error == .unsupportedSweep(parameter: parameter, construction: construction.name))
        }
      }
    }
  }

  @Test("the refusal is worded in the library's terms (parameter names, no command-line flags)")
  func unsupportedSweepMessage() {
    let error = TheoryError.unsupportedSweep(parameter: .epsilon, construction: "evron-identity")
    #expect(
      error.description
        == "a sweep of 'evron-identity' cannot vary epsilon; sweepable parameters: angle (two-lines, hyperplanes), tasks (worst-case), epsilon (three-d, subspace), memory (any construction)"
    )
  }
}
