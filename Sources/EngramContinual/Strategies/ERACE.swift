import EngramNN
import EngramRandom

/// ER with asymmetric cross-entropy (Caccia et al. 2022): new data must not push down the
/// logits of classes it does not contain.
///
/// The incoming rows' cross-entropy masks logits; the replayed rows use the ordinary loss over
/// all seen classes. `mammoth` (default, the authors' code): mask only classes already seen
/// and absent from the incoming batch, and sum the two terms. `avalanche`: keep only the
/// classes present in the incoming batch, and average the two terms. The memory is a reservoir
/// as in ER. See reference/methods.md §5.4 (oracle O9).
public struct ERACE: Strategy {
  /// Which mask and weighting.
  public enum Variant: String, Sendable, CaseIterable, Codable {
    /// Mask seen-but-absent classes; sum the terms.
    case mammoth
    /// Keep only incoming classes; average the terms.
    case avalanche
  }
  /// Examples the memory holds.
  public let capacity: Int
  /// Replayed rows per batch (nil: the batch size).
  public let replayBatch: Int?
  /// Mask and weighting convention.
  public let variant: Variant
  var memory: ReplayMemory?
  var sampler: ReservoirSampler
  var drawn: [Int] = []
  var rows = 0
  var seen = Set<Int>()

  /// An ER-ACE strategy.
  public init(capacity: Int = 500, replayBatch: Int? = nil, variant: Variant = .mammoth) {
    self.capacity = capacity
    self.replayBatch = replayBatch
    self.variant = variant
    sampler = ReservoirSampler(capacity: capacity)
  }

  public var name: String { "er-ace" }
  public var roles: StrategyRoles { [.composesBatch, .shapesLoss] }
  public var replayRows: Int { rows }
  public var memoryBytes: Int { memory?.byteCount ?? 0 }

  public func save(into checkpoint: inout Checkpoint, prefix: String) {
    memory?.save(into: &checkpoint, prefix: "\(prefix).memory")
    checkpoint.setInts([sampler.seen], for: "\(prefix).seen")
    checkpoint.setInts(seen.sorted(), for: "\(prefix).classes")
  }

  public mutating func restore(from checkpoint: Checkpoint, prefix: String, model: Model) throws {
    try memory?.restore(from: checkpoint, prefix: "\(prefix).memory")
    sampler.restore(seen: try requiredInts(checkpoint, "\(prefix).seen").first ?? 0)
    seen = Set(try requiredInts(checkpoint, "\(prefix).classes"))
  }

  public mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws {
    try checkCapacity(capacity, stream: stream)
    memory = ReplayMemory(capacity: capacity, stream: stream)
    rows = replayBatch ?? batchSize
  }

  public mutating func composeBatch(_ batch: inout BatchComposer, rng: inout RandomStream) {
    guard let memory, memory.count > 0 else { return }
    memory.sample(rows, using: &rng, into: &drawn)
    batch.appendReplay(from: memory, slots: drawn, tag: "replay")
  }

  public mutating func shapeLoss(_ loss: inout BaseLoss, batch: BatchView) {
    let present = Set((0..<batch.newRows.count).map { Int(batch.labels[$0]) })
    let allowed = batch.stream.trainingUnits(example: batch.currentTask, current: batch.currentTask)
    switch variant {
    case .mammoth:
      loss.newRowsMask = allowed.filter { present.contains($0) || !seen.contains($0) }
      loss.combination = .sum
    case .avalanche:
      loss.newRowsMask = present.sorted()
      loss.combination = .average
    }
    seen.formUnion(present)
  }

  public mutating func stepDidFinish(batch: BatchView, model: Model, rng: inout RandomStream) {
    guard let memory else { return }
    offerNewRows(batch, to: memory, sampler: &sampler, rng: &rng)
  }
}
