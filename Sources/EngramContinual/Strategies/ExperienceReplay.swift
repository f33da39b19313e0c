import EngramNN
import EngramRandom

/// Experience replay: rehearse stored examples alongside every new batch.
///
/// Each step draws `replayBatch` stored examples uniformly and adds them to the batch; the
/// base loss combines them with the new rows per `TrainerConfig.replayCombination`
/// (default: one mean over all rows). What is stored (reference/methods.md §2.1–2.3):
/// - `reservoir` (default): online Algorithm R over every new example, after its step;
/// - `classBalanced`: at each task's end, equal quotas per class seen (remainder to the
///   first classes), new classes filled by `selection`, old ones cut to their prefix;
/// - `taskBalanced`: the same per task — Avalanche's fill-at-task-end `ExperienceBalancedBuffer`.
/// Defaults: 500 examples (mammoth's M = 500), replay batch = the batch size.
public struct ExperienceReplay: StatefulStrategy {
  /// How the memory is filled.
  public enum Filling: String, Sendable, CaseIterable, Codable {
    /// Online reservoir sampling.
    case reservoir
    /// Equal shares per class, at task ends.
    case classBalanced = "class-balanced"
    /// Equal shares per task, at task ends.
    case taskBalanced = "task-balanced"
  }

  public var descriptor: MethodDescriptor { Self.descriptor }
  /// Examples the memory holds.
  public let capacity: Int
  /// Replayed rows per step (nil: the batch size).
  public let replayBatch: Int?
  /// How the memory is filled.
  public let filling: Filling
  /// Which examples enter at task ends (balanced fillings only).
  public let selection: SelectionPolicy
  var memory: ReplayMemory?
  var sampler: ReservoirSampler
  var groups: [Int: [Int]] = [:]  // class or task → slots in priority order
  var drawn: [Int] = []
  var rows = 0

  /// A replay strategy.
  public init(
    capacity: Int = 500, replayBatch: Int? = nil, filling: Filling = .reservoir,
    selection: SelectionPolicy = .random
  ) {
    self.capacity = capacity
    self.replayBatch = replayBatch
    self.filling = filling
    self.selection = selection
    sampler = ReservoirSampler(capacity: capacity)
  }

  public var replayRows: Int { rows }
  public var memoryBytes: Int { memory?.byteCount ?? 0 }

  /// The memory, the reservoir's count and the balanced groups.
  public struct State: Codable, Sendable {
    var memory: ReplayMemory.State?
    var seen: Int
    var groups: [Int: [Int]]
  }

  public var state: State { State(memory: memory?.state, seen: sampler.seen, groups: groups) }

  public mutating func restore(_ state: State, model: Model) throws {
    if let saved = state.memory { try memory?.restore(saved) }
    sampler.restore(seen: state.seen)
    groups = state.groups
  }
  /// The memory (for inspection and checkpoints).
  public var storage: ReplayMemory? { memory }

  public mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws {
    try checkCapacity(capacity, stream: stream)
    memory = ReplayMemory(capacity: capacity, stream: stream)
    rows = replayBatch ?? batchSize
  }

  public mutating func composeBatch(_ batch: inout BatchComposer, rng: inout RandomStream) {
    guard let memory, memory.count > 0 else { return }
    memory.sample(rows, using: &rng, into: &drawn)
    batch.appendReplay(from: memory, slots: drawn, purpose: .labels)
  }

  public mutating func stepDidFinish(batch: BatchView, model: Model, rng: inout RandomStream) {
    guard filling == .reservoir, let memory else { return }
    offerNewRows(batch, to: memory, sampler: &sampler, rng: &rng)
  }

  public mutating func taskDidEnd(_ task: TaskContext, model: Model, rng: inout RandomStream) throws
  {
    guard filling != .reservoir, let memory else { return }
    let key: (ExampleReference) -> Int =
      filling == .classBalanced
      ? { Int(task.stream.tasks[$0.task].train.labels[$0.index]) } : { _ in task.index }
    let incoming = Dictionary(grouping: task.examples, by: key)
    let allGroups = Set(groups.keys).union(incoming.keys).sorted()
    let quotas = Dictionary(
      uniqueKeysWithValues: zip(
        allGroups, balancedQuotas(budget: capacity, groups: allGroups.count)))
    for (group, slots) in groups {
      let keep = quotas[group] ?? 0
      for slot in slots.dropFirst(keep) { memory.release(slot) }
      groups[group] = Array(slots.prefix(keep))
    }
    for group in incoming.keys.sorted() {
      let candidates = incoming[group] ?? []
      let room = (quotas[group] ?? 0) - (groups[group]?.count ?? 0)
      guard room > 0 else { continue }
      let ordered = SelectionScorer.prioritize(
        candidates, policy: selection, model: model, reader: task.reader, stage: task.index,
        limit: room, rng: &rng)
      for example in ordered.prefix(room) {
        guard let slot = memory.allocate() else { break }
        memory.store(example, from: task.stream, in: slot)
        groups[group, default: []].append(slot)
      }
    }
  }
}

/// Offers a step's new rows to a reservoir memory (dataset examples or raw rows).
func offerNewRows(
  _ batch: BatchView, to memory: ReplayMemory, sampler: inout ReservoirSampler,
  rng: inout RandomStream,
  storeLogits: Bool = false
) {
  let newRows = batch.newRows
  for r in 0..<newRows.count {
    guard let slot = sampler.nextSlot(using: &rng) else { continue }
    let target = slot < memory.count ? slot : (memory.allocate() ?? slot)
    let logits = storeLogits ? UnsafePointer(batch.logits.pointer + r * batch.logits.columns) : nil
    if let references = batch.newExamples {
      memory.store(references[r], from: batch.stream, in: target, logits: logits)
    } else if let raw = batch.rawNewInputs {
      memory.store(
        raw: raw.pointer + r * raw.columns, label: batch.labels[r], task: batch.currentTask,
        in: target, logits: logits)
    }
  }
}

/// Refuses a memory larger than the whole stream's training data.
func checkCapacity(_ capacity: Int, stream: TaskStream) throws {
  let available = stream.trainingViews.reduce(0) { $0 + $1.count }
  // A stream without stored examples (an embedded learner) is fed from elsewhere: no bound.
  guard capacity >= 1, capacity <= available || available == 0 else {
    throw TrainingError.invalidSetting(
      name: "memory", value: "\(capacity)",
      allowed: "must lie in 1…\(available), the training examples of the whole stream")
  }
}

extension ExperienceReplay {
  /// The hyperparameters `replay` reads.
  public enum Parameters {
    /// Memory size (mammoth's M = 500).
    public static let memory = ReplayHyperparameters.memory(default: 500)
    /// How the memory is filled.
    public static let filling = Hyperparameter<Filling>(
      "memory_filling", default: .reservoir,
      "reservoir (online), class-balanced or task-balanced (at task ends)")
    /// Which examples balanced fillings keep.
    public static let selection = Hyperparameter<SelectionPolicy>(
      "selection", default: .random,
      "Balanced memories: random, herding, loss-high, loss-low, uncertainty")
  }

  /// `--strategy replay`.
  public static let descriptor = MethodDescriptor(
    name: "replay", summary: "Experience replay: rehearse stored examples with every batch",
    parameters: [
      Parameters.memory.spec, ReplayHyperparameters.replayBatch.spec, Parameters.filling.spec,
      Parameters.selection.spec,
    ],
    roles: .composesBatch,
    build: { s in
      ExperienceReplay(
        capacity: s[Parameters.memory], replayBatch: s[ReplayHyperparameters.replayBatch],
        filling: s[Parameters.filling], selection: s[Parameters.selection])
    })
}
