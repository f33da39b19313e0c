import Foundation

/// A seedable pseudo-random stream: xoshiro256** seeded through SplitMix64.
///
/// Every random decision in Engram draws from a `RandomStream` passed in `inout`; there is
/// no global generator. Streams are derived by name from one seed (`RandomStreams`), so
/// drawing more from one stream never shifts another. The algorithms are fixed here (not
/// delegated to the standard library) so that numbers do not change with the toolchain.
public struct RandomStream: RandomNumberGenerator, Sendable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  /// A stream seeded directly from a 64-bit value.
  public init(seed: UInt64) {
    var mixer = SplitMix64(state: seed)
    s0 = mixer.next()
    s1 = mixer.next()
    s2 = mixer.next()
    s3 = mixer.next()
    if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }  // the one forbidden state
  }

  /// The generator's full state (four words), for checkpoints.
  public var state: [UInt64] { [s0, s1, s2, s3] }

  /// A stream resumed from a saved `state`; nil unless it is four words, not all zero.
  public init?(state: [UInt64]) {
    guard state.count == 4, state.contains(where: { $0 != 0 }) else { return nil }
    s0 = state[0]
    s1 = state[1]
    s2 = state[2]
    s3 = state[3]
  }

  /// The next 64 random bits (xoshiro256**).
  public mutating func next() -> UInt64 {
    let result = rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 45)
    return result
  }

  /// A uniform Double in [0, 1) with 53 random bits.
  public mutating func nextUniform() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform integer in 0..<bound (Lemire's multiply-shift with rejection; unbiased).
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0, "bound must be positive")
    let b = UInt64(bound)
    var product = next().multipliedFullWidth(by: b)
    if product.low < b {
      let threshold = (0 &- b) % b
      while product.low < threshold { product = next().multipliedFullWidth(by: b) }
    }
    return Int(product.high)
  }

  /// A standard normal draw (ziggurat method; see `Ziggurat`).
  public mutating func nextGaussian() -> Double {
    nextZigguratNormal(.standard)
  }

  /// Fills a buffer with N(0, σ²) draws.
  public mutating func fillGaussian(
    _ buffer: UnsafeMutableBufferPointer<Double>, standardDeviation: Double = 1
  ) {
    let table = Ziggurat.standard
    for i in buffer.indices {
      buffer[i] = nextZigguratNormal(table) * standardDeviation
    }
  }

  /// `count` distinct indices from 0..<population, uniformly (partial Fisher–Yates), in draw
  /// order. `scratch` must hold 0..<population in any order and is permuted in place, so a
  /// loop can reuse it without allocating.
  public mutating func sampleWithoutReplacement(
    _ count: Int, from scratch: inout [Int]
  ) -> ArraySlice<Int> {
    precondition(count <= scratch.count, "cannot draw \(count) of \(scratch.count)")
    for i in 0..<count {
      let j = i + nextInt(below: scratch.count - i)
      scratch.swapAt(i, j)
    }
    return scratch[0..<count]
  }

  /// `count` distinct indices from 0..<population, uniformly, in draw order.
  public mutating func sampleWithoutReplacement(_ count: Int, from population: Int) -> [Int] {
    var scratch = Array(0..<population)
    return Array(sampleWithoutReplacement(count, from: &scratch))
  }

  /// Shuffles in place (Fisher–Yates, this stream's own integers).
  public mutating func shuffle<T>(_ array: inout [T]) {
    guard array.count > 1 else { return }
    for i in stride(from: array.count - 1, to: 0, by: -1) {
      array.swapAt(i, nextInt(below: i + 1))
    }
  }

  @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
  }
}

/// SplitMix64, used to expand seeds (Steele, Lea & Flood 2014).
struct SplitMix64 {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
