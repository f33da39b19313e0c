import EngramNN
import EngramRandom

/// Replay of a memory chosen in advance: the setting of Mahdaviyeh et al.'s network experiments
/// (reference/replay-theory.md §4), where m given samples of the earlier task(s) are rehearsed
/// alongside every batch of the new task.
///
/// Each step adds min(b, m) of the stored examples, drawn without replacement (all of them when
/// m ≤ b). The memory never changes, so studies that vary m compare like with like. Combined
/// with `BaseLoss.Combination.sum` this is the paper's re-weighting: the replayed part carries
/// the same total weight as the new part.
public struct FixedReplay: Strategy {
  public var descriptor: MethodDescriptor { Self.descriptor }
  /// Replay studies build it in code; it is not a `--strategy`.
  public static let descriptor = MethodDescriptor(
    name: "fixed-replay", summary: "Replay of a fixed, given set of stored examples",
    roles: .composesBatch, needsStoredData: true, build: nil)
  /// The examples replayed.
  public let examples: [ExampleReference]
  var memory: ReplayMemory?
  var drawn: [Int] = []
  var rows = 0

  /// A strategy that replays `examples` (stream examples of earlier tasks).
  public init(examples: [ExampleReference]) {
    self.examples = examples
  }

  public var replayRows: Int { rows }
  public var memoryBytes: Int { memory?.byteCount ?? 0 }

  public mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws {
    for example in examples {
      guard stream.tasks.indices.contains(example.task),
        (0..<stream.tasks[example.task].train.count).contains(example.index)
      else {
        throw TrainingError.invalidSetting(
          name: "replayed example", value: "task \(example.task), index \(example.index)",
          allowed: "a training example of one of the stream's \(stream.tasks.count) tasks")
      }
    }
    guard !examples.isEmpty else { return }
    let memory = ReplayMemory(capacity: examples.count, stream: stream)
    for example in examples {
      guard let slot = memory.allocate() else { break }
      memory.store(example, from: stream, in: slot)
    }
    self.memory = memory
    rows = min(batchSize, examples.count)
  }

  public mutating func composeBatch(_ batch: inout BatchComposer, rng: inout RandomStream) {
    guard let memory, memory.count > 0 else { return }
    if memory.count <= rows {
      drawn = memory.occupied
    } else {
      memory.sample(rows, using: &rng, into: &drawn)
    }
    batch.appendReplay(from: memory, slots: drawn, purpose: .labels)
  }
}
