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
public struct ERACE: StatefulStrategy {
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
  /// The reservoir memory and its replay, as in ER.
  var replay: ExperienceReplay
  var seen = Set<Int>()

  /// An ER-ACE strategy.
  public init(capacity: Int = 500, replayBatch: Int? = nil, variant: Variant = .mammoth) {
    self.capacity = capacity
    self.replayBatch = replayBatch
    self.variant = variant
    replay = ExperienceReplay(capacity: capacity, replayBatch: replayBatch)
  }

  public var descriptor: MethodDescriptor { Self.descriptor }
  public var replayRows: Int { replay.replayRows }
  public var memoryBytes: Int { replay.memoryBytes }

  /// ER's state and the classes seen so far.
  public struct State: Codable, Sendable {
    var replay: ExperienceReplay.State
    var seen: Set<Int>
  }

  public var state: State { State(replay: replay.state, seen: seen) }

  public mutating func restore(_ state: State, model: Model) throws {
    try replay.restore(state.replay, model: model)
    seen = state.seen
  }

  public mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws {
    try replay.prepare(model: model, stream: stream, batchSize: batchSize)
  }

  public mutating func composeBatch(_ batch: inout BatchComposer, rng: inout RandomStream) {
    replay.composeBatch(&batch, rng: &rng)
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
    replay.stepDidFinish(batch: batch, model: model, rng: &rng)
  }
}

extension ERACE {
  /// The hyperparameters `er-ace` reads.
  public enum Parameters {
    /// Memory size.
    public static let memory = ReplayHyperparameters.memory(default: 500)
    /// Mask and weighting convention.
    public static let variant = Hyperparameter<Variant>(
      "ace_variant", default: .mammoth, "ER-ACE: mammoth or avalanche")
  }

  /// `--strategy er-ace`. It sets the replay loss itself, so it claims `shapesLoss` and an
  /// explicit `replay_loss` is refused rather than overridden.
  public static let descriptor = MethodDescriptor(
    name: "er-ace", summary: "ER with asymmetric cross-entropy (Caccia et al. 2022)",
    parameters: [
      Parameters.memory.spec, ReplayHyperparameters.replayBatch.spec, Parameters.variant.spec,
    ],
    roles: [.composesBatch, .shapesLoss],
    build: { s in
      ERACE(
        capacity: s[Parameters.memory], replayBatch: s[ReplayHyperparameters.replayBatch],
        variant: s[Parameters.variant])
    })
}
