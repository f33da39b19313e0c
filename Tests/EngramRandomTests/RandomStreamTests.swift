import EngramRandom
import Foundation
import Testing

@Suite("Random streams")
struct RandomStreamTests {
  @Test("the same seed and name give the same numbers")
  func deterministic() {
    var a = RandomStreams(seed: 42).stream(.replay)
    var b = RandomStreams(seed: 42).stream(.replay)
    #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
  }

  @Test("drawing from one stream does not shift another")
  func independent() {
    let streams = RandomStreams(seed: 7)
    var noise = streams.stream(.noise)
    _ = (0..<1000).map { _ in noise.next() }
    var replay1 = streams.stream(.replay)
    var replay2 = RandomStreams(seed: 7).stream(.replay)
    #expect(replay1.next() == replay2.next())
    var other = streams.stream(.dataOrder)
    var replay3 = streams.stream(.replay)
    #expect(other.next() != replay3.next())
    var worker1 = streams.stream(.replay, worker: 1)
    var worker0 = streams.stream(.replay, worker: 0)
    #expect(worker1.next() != worker0.next())
  }

  @Test("a stream resumed from its saved state continues identically")
  func resume() {
    var a = RandomStream(seed: 77)
    _ = (0..<13).map { _ in a.next() }
    guard var b = RandomStream(state: a.state) else {
      Issue.record("state did not restore")
      return
    }
    #expect((0..<50).map { _ in a.next() } == (0..<50).map { _ in b.next() })
    #expect(RandomStream(state: [0, 0, 0, 0]) == nil && RandomStream(state: [1, 2]) == nil)
  }

  @Test("pinned first outputs: the generator never changes silently")
  func pinned() {
    var s = RandomStream(seed: 0)
    // xoshiro256** seeded by SplitMix64(0); a change here changes every seeded result.
    #expect(s.next() == 11_091_344_671_253_066_420)
  }

  @Test("Gaussian draws have mean 0 and variance σ² within sampling error")
  func gaussianMoments() {
    var s = RandomStream(seed: 3)
    var buffer = [Double](repeating: 0, count: 100_001)
    buffer.withUnsafeMutableBufferPointer { s.fillGaussian($0, standardDeviation: 2) }
    let n = Double(buffer.count)
    let mean = buffer.reduce(0, +) / n
    let variance = buffer.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
    // Standard errors: mean 2/√n ≈ 0.0063, variance 4·√(2/n) ≈ 0.018; allow 5 of each.
    #expect(abs(mean) < 0.032)
    #expect(abs(variance - 4) < 0.09)
  }

  @Test("integers below a bound are uniform and in range")
  func uniformIntegers() {
    var s = RandomStream(seed: 5)
    var counts = [Int](repeating: 0, count: 6)
    for _ in 0..<60_000 { counts[s.nextInt(below: 6)] += 1 }
    // Each count is Binomial(60000, 1/6): sd ≈ 91; allow 5 sd.
    #expect(counts.allSatisfy { abs($0 - 10_000) < 456 })
  }

  @Test("sampling without replacement gives distinct indices, each equally often")
  func withoutReplacement() {
    var s = RandomStream(seed: 9)
    var counts = [Int](repeating: 0, count: 10)
    for _ in 0..<10_000 {
      let picked = s.sampleWithoutReplacement(3, from: 10)
      #expect(Set(picked).count == 3)
      for i in picked { counts[i] += 1 }
    }
    // Each index is picked with probability 0.3: mean 3000, sd ≈ 46; allow 5 sd.
    #expect(counts.allSatisfy { abs($0 - 3000) < 230 })
  }
}

@Suite("Ziggurat normal")
struct ZigguratTests {
  /// Φ(x) by erfc, to compare the empirical distribution function against.
  func phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

  @Test("the empirical CDF matches Φ, tails included, within 5 binomial standard errors")
  func distribution() {
    var s = RandomStream(seed: 12)
    let n = 400_000
    var buffer = [Double](repeating: 0, count: n)
    buffer.withUnsafeMutableBufferPointer { s.fillGaussian($0) }
    for x in [-4.0, -3.7, -2.5, -1, -0.3, 0, 0.7, 1.5, 3, 3.7, 4.2] {
      let p = phi(x)
      let observed = Double(buffer.filter { $0 <= x }.count) / Double(n)
      let se = (p * (1 - p) / Double(n)).squareRoot()
      #expect(abs(observed - p) < 5 * se + 1e-6, "at x = \(x): \(observed) vs \(p)")
    }
  }
}
