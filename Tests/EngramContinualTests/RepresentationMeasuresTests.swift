import EngramContinual
import Testing

/// Oracle values from reference/plasticity.md §2 and §8 (computed there with numpy), given to
/// six or seven significant figures; 1e-5 covers that rounding and Float activations.
private let tolerance = 1e-5

@Suite("Representation measures")
struct RepresentationMeasuresTests {
  struct RankCase: Sendable, CustomTestStringConvertible {
    let singularValues: [Double]
    let effectiveRank: Double
    let srank: Int
    let approximateRank: Int
    var testDescription: String { "σ = \(singularValues)" }
  }

  @Test(
    "§8 table: effective rank, srank (k, not L2 Init's k − 1) and approximate rank",
    arguments: [
      RankCase(singularValues: [3, 1, 0], effectiveRank: 1.754765, srank: 2, approximateRank: 2),
      RankCase(
        singularValues: [10, 0.05, 0.05], effectiveRank: 1.064398, srank: 1, approximateRank: 1),
      RankCase(singularValues: [1, 1, 1, 1], effectiveRank: 4, srank: 4, approximateRank: 4),
    ])
  func ranks(_ c: RankCase) {
    let erank = RepresentationMeasures.effectiveRank(c.singularValues)
    #expect(abs(erank - c.effectiveRank) < tolerance)
    #expect(RepresentationMeasures.srank(c.singularValues) == c.srank)
    #expect(RepresentationMeasures.approximateRank(c.singularValues) == c.approximateRank)
  }

  @Test("all-zero or empty spectra have rank 0 by every measure")
  func zeroSpectrum() {
    for values in [[0, 0, 0], [Double]()] {
      #expect(RepresentationMeasures.effectiveRank(values) == 0)
      #expect(RepresentationMeasures.srank(values) == 0)
      #expect(RepresentationMeasures.approximateRank(values) == 0)
    }
  }

  @Test("§8 Φ: σ = (2.497212, 1.328131, 0), effective rank 1.907305, column 3 dead")
  func featureMatrix() throws {
    let phi: [Float] = [1, 0, 0, 0, 1, 0, 1, 1, 0, 2, 0, 0]
    let sigma = try phi.withUnsafeBufferPointer {
      try RepresentationMeasures.singularValues(of: $0.baseAddress!, count: 4, width: 3)
    }
    #expect(sigma.count == 3)
    for (found, expected) in zip(sigma, [2.497212, 1.328131, 0]) {
      #expect(abs(found - expected) < tolerance)
    }
    #expect(abs(RepresentationMeasures.effectiveRank(sigma) - 1.907305) < tolerance)
    let dead = phi.withUnsafeBufferPointer {
      RepresentationMeasures.deadUnits(activations: $0.baseAddress!, count: 4, width: 3)
    }
    #expect(dead == 1)
  }

  @Test("§2 ReDo: s = (0, 1.9753, 1.9753, 0.04938); τ 0 and 0.025 pick unit 0, τ 0.1 units 0, 3")
  func dormancy() {
    let h: [Float] = [0, 1, 2, 0.05, 0, 3, 2, 0.05]
    let s = h.withUnsafeBufferPointer {
      RepresentationMeasures.dormantScores(activations: $0.baseAddress!, count: 2, width: 4)
    }
    // Exact values: means (0, 2, 2, 0.05) over their average 1.0125 (plus dopamine's 1e-9).
    for (found, expected) in zip(s, [0, 2 / 1.0125, 2 / 1.0125, 0.05 / 1.0125]) {
      #expect(abs(found - expected) < tolerance)
    }
    #expect(abs(s[1] - 1.9753) < 1e-4 && abs(s[3] - 0.04938) < 1e-5)  // the reference's digits
    for tau in [0, 0.025] {
      #expect(RepresentationMeasures.dormantUnits(scores: s, tau: tau) == [0])
      #expect(RepresentationMeasures.dormantFraction(scores: s, tau: tau) == 0.25)
    }
    #expect(RepresentationMeasures.dormantUnits(scores: s, tau: 0.1) == [0, 3])
    #expect(RepresentationMeasures.dormantFraction(scores: s, tau: 0.1) == 0.5)
    let dead = h.withUnsafeBufferPointer {
      RepresentationMeasures.deadUnits(activations: $0.baseAddress!, count: 2, width: 4)
    }
    #expect(dead == 1)
  }

  @Test("a unit firing on one example only is not dead; an all-zero layer scores 0")
  func deadNeedsEveryRow() {
    let h: [Float] = [0, 0, -0.0, 0, 0, 0.5]
    let dead = h.withUnsafeBufferPointer {
      RepresentationMeasures.deadUnits(activations: $0.baseAddress!, count: 2, width: 3)
    }
    #expect(dead == 2)
    let zeros = [Float](repeating: 0, count: 6)
    let s = zeros.withUnsafeBufferPointer {
      RepresentationMeasures.dormantScores(activations: $0.baseAddress!, count: 2, width: 3)
    }
    #expect(s == [0, 0, 0])
    #expect(RepresentationMeasures.dormantFraction(scores: [], tau: 0) == 0)
  }
}
