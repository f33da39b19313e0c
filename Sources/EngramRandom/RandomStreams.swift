/// Named, independent random streams derived from one seed.
///
/// `RandomStreams(seed: 7).stream(.replay)` always yields the same numbers, whatever else
/// was drawn from other streams. A worker index derives per-process streams for parallel
/// runs. Derivation hashes the name with FNV-1a (not Swift's per-process `Hasher`), so
/// streams are identical across runs and machines.
public struct RandomStreams: Sendable, Equatable {
  /// The run's seed.
  public let seed: UInt64

  /// Streams for one seed.
  public init(seed: UInt64) {
    self.seed = seed
  }

  /// The stream with this name (and worker index).
  public func stream(_ name: StreamName, worker: Int = 0) -> RandomStream {
    var mixer = SplitMix64(state: seed)
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in name.rawValue.utf8 {
      h ^= UInt64(byte)
      h = h &* 0x0000_0100_0000_01B3
    }
    let base = mixer.next() ^ h
    var second = SplitMix64(
      state: base ^ (UInt64(bitPattern: Int64(worker)) &* 0xD1B5_4A32_D192_ED03))
    return RandomStream(seed: second.next())
  }
}

/// The name of a random stream. The standard ones are static members; any other string works.
public struct StreamName: Hashable, Sendable, ExpressibleByStringLiteral {
  /// The name hashed into the stream's seed.
  public let rawValue: String
  /// A stream name.
  public init(_ rawValue: String) { self.rawValue = rawValue }
  /// A stream name from a literal.
  public init(stringLiteral value: String) { self.rawValue = value }

  /// Shuffling and batching of training data.
  public static let dataOrder: StreamName = "data-order"
  /// Which samples enter or leave a replay memory, and which are replayed.
  public static let replay: StreamName = "replay"
  /// Weight initialisation.
  public static let initialization: StreamName = "initialization"
  /// Noise injection and random task data (theory's Gaussian samples).
  public static let noise: StreamName = "noise"
  /// Choice of evaluation subsets.
  public static let evaluation: StreamName = "evaluation"
  /// Random task orderings.
  public static let ordering: StreamName = "ordering"
}
