/// Per-example learning and forgetting events over repeated presentations (Toneva et al.,
/// "An Empirical Study of Example Forgetting during Deep Neural Network Learning", ICLR 2019).
///
/// A forgetting event is a correct → wrong transition between consecutive presentations of
/// the same example; a learning event is wrong → correct. The first presentation only sets the
/// state, so an example correct the first time it is seen is learned without a learning event.
/// An example never classified correctly is "never learned"; Toneva's code gives it a forgetting
/// count equal to its presentation count, ranking it above every learned one (reference/
/// plasticity.md §8).
///
/// Storage is one contiguous array per field, indexed by example slot, allocated once in
/// `init(examples:)`; `record(example:correct:)` allocates nothing.
public struct ForgettingEvents: Sendable, Codable, Equatable {
  /// The last correctness seen, as a byte per slot.
  private enum Outcome: UInt8 {
    case unseen = 0
    case correct = 1
    case wrong = 2
  }

  private var last: [UInt8]
  private var learning: [UInt32]
  private var forgetting: [UInt32]
  private var presented: [UInt32]
  private var learned: [Bool]

  /// Empty statistics for example slots 0..<examples.
  public init(examples: Int) {
    precondition(examples >= 0, "the number of examples cannot be negative")
    last = [UInt8](repeating: Outcome.unseen.rawValue, count: examples)
    learning = [UInt32](repeating: 0, count: examples)
    forgetting = [UInt32](repeating: 0, count: examples)
    presented = [UInt32](repeating: 0, count: examples)
    learned = [Bool](repeating: false, count: examples)
  }

  /// The number of example slots.
  public var count: Int { last.count }

  /// Records one presentation of an example and whether the model got it right.
  /// - Parameters:
  ///   - example: The example's slot, in 0..<count.
  ///   - correct: Whether the prediction was correct on this presentation.
  public mutating func record(example: Int, correct: Bool) {
    precondition(last.indices.contains(example), "example \(example) is outside 0..<\(count)")
    let previous = Outcome(rawValue: last[example])
    if correct {
      if previous == .wrong { learning[example] += 1 }
      learned[example] = true
      last[example] = Outcome.correct.rawValue
    } else {
      if previous == .correct { forgetting[example] += 1 }
      last[example] = Outcome.wrong.rawValue
    }
    presented[example] += 1
  }

  /// The number of correct → wrong transitions of an example.
  public func forgettingEvents(of example: Int) -> Int { Int(forgetting[example]) }

  /// The number of wrong → correct transitions of an example.
  public func learningEvents(of example: Int) -> Int { Int(learning[example]) }

  /// The number of times an example has been presented.
  public func presentations(of example: Int) -> Int { Int(presented[example]) }

  /// Whether an example has never been classified correctly (including never presented).
  public func neverLearned(_ example: Int) -> Bool { !learned[example] }

  private enum CodingKeys: String, CodingKey {
    case last, learning, forgetting, presented, learned
  }

  /// Decodes statistics saved by `encode(to:)`.
  /// - Throws: `DecodingError.dataCorrupted` when the per-example arrays differ in length or a
  ///   correctness byte is not one of the three states.
  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    last = try container.decode([UInt8].self, forKey: .last)
    learning = try container.decode([UInt32].self, forKey: .learning)
    forgetting = try container.decode([UInt32].self, forKey: .forgetting)
    presented = try container.decode([UInt32].self, forKey: .presented)
    learned = try container.decode([Bool].self, forKey: .learned)
    let n = last.count
    // A mismatch would otherwise surface later as an out-of-range trap in `record`.
    guard learning.count == n, forgetting.count == n, presented.count == n, learned.count == n,
      last.allSatisfy({ Outcome(rawValue: $0) != nil })
    else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: decoder.codingPath,
          debugDescription: "forgetting statistics: the per-example arrays differ in length "
            + "or hold an unknown state; the file is damaged"
        ))
    }
  }
}
