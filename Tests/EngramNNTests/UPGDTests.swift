import EngramRandom
import Foundation
import Testing

@testable import EngramNN

/// Oracle values from reference/plasticity.md §5 (numpy), given to six decimals; Float steps
/// of size ~1 are accurate to ~1e-7, so 1e-5 leaves room only for the reference's rounding.
private let tolerance: Float = 1e-5

@Suite("UPGD")
struct UPGDTests {
  func step(_ optimizer: UPGD, _ weights: inout [Float], _ gradients: [Float]) {
    var g = gradients
    weights.withUnsafeMutableBufferPointer { wp in
      g.withUnsafeMutableBufferPointer { optimizer.step(parameters: wp, gradients: $0) }
    }
  }

  func close(_ a: [Float], _ b: [Float]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < tolerance }
  }

  @Test(
    "§5: g = (0.5, −0.2, 0), w = (1, 1, −2), ξ = (0.1, −0.1, 0.2): ū with the corrected max",
    arguments: [
      (true, [Float(0.944551), 1.008068, -2.01]), (false, [Float(0.940759), 1.022689, -2.01]),
    ])
  func referenceCase(protecting: Bool, expected: [Float]) {
    let upgd = UPGD(learningRate: 0.1, beta: 0.9, sigma: 1, protecting: protecting, seed: 1)
    upgd.noiseOverride = [0.1, -0.1, 0.2]
    var w: [Float] = [1, 1, -2]
    step(upgd, &w, [0.5, -0.2, 0])
    #expect(close(w, expected))
  }

  @Test("over several steps ū = σ(Û/max Û) with Û bias-corrected, and weight decay scales w first")
  func traceAndDecay() {
    let (alpha, beta, lambda): (Double, Double, Double) = (0.05, 0.9, 0.1)
    let upgd = UPGD(
      learningRate: Float(alpha), beta: Float(beta), sigma: 1, weightDecay: Float(lambda),
      protecting: true, seed: 1)
    let gradients: [[Double]] = [[0.5, -0.2, 0.1], [-0.3, 0.4, 0.2], [0.2, -0.1, 0.6]]
    let noise: [[Double]] = [[0.1, -0.1, 0.2], [0, 0.3, -0.2], [-0.1, 0.05, 0.1]]
    var w: [Float] = [1, 1, -2]
    // The paper's formulas in Double, independent of the optimiser's cancellation.
    var reference: [Double] = [1, 1, -2]
    var trace: [Double] = [0, 0, 0]
    for t in 1...3 {
      let (g, xi) = (gradients[t - 1], noise[t - 1])
      for i in 0..<3 { trace[i] = beta * trace[i] + (1 - beta) * -g[i] * reference[i] }
      let corrected = trace.map { $0 / (1 - pow(beta, Double(t))) }
      let eta = corrected.max()!
      #expect(eta > 0)  // the guarded case η ≤ 0 has its own test
      for i in 0..<3 {
        let gate = 1 - 1 / (1 + exp(-corrected[i] / eta))
        reference[i] = reference[i] * (1 - alpha * lambda) - alpha * (g[i] + xi[i]) * gate
      }
      upgd.noiseOverride = xi.map(Float.init)
      step(upgd, &w, g.map(Float.init))
      #expect(close(w, reference.map(Float.init)))
    }
  }

  @Test("with no positive utility every ū is ½, instead of the official code's 0/0")
  func noPositiveUtility() {
    let upgd = UPGD(learningRate: 0.1, beta: 0.9, sigma: 1, protecting: true, seed: 1)
    upgd.noiseOverride = [0.2, 0.2]
    var w: [Float] = [1, 0]
    step(upgd, &w, [0, 0])
    #expect(close(w, [1 - 0.1 * 0.2 * 0.5, -0.1 * 0.2 * 0.5]))
    // u = −g⊙w = (−1, 0): the max is 0, not positive.
    upgd.reset()
    var v: [Float] = [1, 0]
    step(upgd, &v, [1, 0])
    #expect(close(v, [1 - 0.1 * 1.2 * 0.5, -0.1 * 0.2 * 0.5]))
  }

  @Test("the noise is σ·N(0, 1) from the seeded stream, drawn in weight order")
  func seededNoise() {
    let upgd = UPGD(learningRate: 0.1, beta: 0.9, sigma: 0.5, protecting: false, seed: 7)
    var w = [Float](repeating: 0, count: 4)
    step(upgd, &w, [0, 0, 0, 0])
    // g = 0 and w = 0 make every utility 0, so ū = ½ and w = −α·ξ·½.
    var stream = RandomStream(seed: 7)
    let expected = (0..<4).map { _ in -0.1 * Float(stream.nextGaussian()) * 0.5 * 0.5 }
    #expect(close(w, expected))
  }

  @Test("state and restore continue bit-identically, noise included; reset keeps the stream")
  func stateRoundTrip() throws {
    let upgd = UPGD(learningRate: 0.01, beta: 0.99, sigma: 0.1, weightDecay: 0.01, seed: 3)
    var w: [Float] = [0.5, -0.25, 1, 2, -1]
    let g: [Float] = [0.1, 0.2, -0.3, 0.05, 0.4]
    for _ in 0..<3 { step(upgd, &w, g) }
    let saved = upgd.state
    #expect(saved["utility"]?.count == 5 && saved["noise"]?.count == 16)
    let copy = UPGD(learningRate: 0.01, beta: 0.99, sigma: 0.1, weightDecay: 0.01, seed: 99)
    try copy.restore(saved, parameterCount: 5)
    var a = w
    var b = w
    for _ in 0..<2 {
      step(upgd, &a, g)
      step(copy, &b, g)
    }
    #expect(a == b)
    #expect(upgd.state == copy.state)
    upgd.reset()
    #expect(upgd.state["utility"] == nil && upgd.state["noise"] == copy.state["noise"])
  }

  @Test("restore refuses a utility trace of the wrong size and a damaged noise state")
  func restoreRefuses() throws {
    let upgd = UPGD(learningRate: 0.01, beta: 0.9, sigma: 0.1, seed: 3)
    var w: [Float] = [1, 2, 3]
    step(upgd, &w, [1, 1, 1])
    let saved = upgd.state
    #expect(throws: ModelError.self) { try upgd.restore(saved, parameterCount: 4) }
    var damaged = saved
    damaged["noise"] = Array(saved["noise"]!.prefix(15))
    #expect(throws: ModelError.self) { try upgd.restore(damaged, parameterCount: 3) }
    damaged["noise"] = [Float](repeating: 0, count: 16)
    #expect(throws: ModelError.self) { try upgd.restore(damaged, parameterCount: 3) }
    damaged["noise"] = [Float](repeating: 0.5, count: 16)
    #expect(throws: ModelError.self) { try upgd.restore(damaged, parameterCount: 3) }
    try upgd.restore(saved, parameterCount: 3)
    #expect(upgd.state == saved)
  }
}
