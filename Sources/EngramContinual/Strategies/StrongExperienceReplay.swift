import EngramNN
import EngramRandom

/// Strong experience replay (Zhuo et al. 2023, "Continual Learning with Strong Experience
/// Replay"): DER's backward consistency on the memory plus a forward consistency on the new
/// data.
///
/// Each step replays `replayBatch` stored examples, which join the base cross-entropy with
/// their labels; α·MSE(f(x′), z′) pulls their logits toward those recorded when they were
/// stored (backward consistency); and β·MSE(f(x), f_old(x)) keeps the new rows' logits close to
/// those of the model as it was when the task began (forward consistency). Both terms start
/// once the memory holds examples of an earlier task. Defaults α = 0.1, β = 0.5 (the paper and
/// Avalanche's `SER`); MSE is the mean over logits. Engram fills the memory by reservoir with
/// logits recorded at insertion, as DER does; Avalanche's version refills a class-balanced
/// buffer at task ends.
public struct StrongExperienceReplay: StatefulStrategy {
  /// Examples the memory holds.
  public let capacity: Int
  /// α (backward consistency).
  public let alpha: Float
  /// β (forward consistency).
  public let beta: Float
  /// Replayed rows per step (nil: the batch size).
  public let replayBatch: Int?
  var memory: ReplayMemory?
  var sampler: ReservoirSampler
  var teacher: Model?
  var drawn: [Int] = []
  var rows = 0
  var stored = Tensor(rows: 0, columns: 0)

  /// An SER strategy.
  public init(capacity: Int = 500, alpha: Float = 0.1, beta: Float = 0.5, replayBatch: Int? = nil)
  {
    self.capacity = capacity
    self.alpha = alpha
    self.beta = beta
    self.replayBatch = replayBatch
    sampler = ReservoirSampler(capacity: capacity)
  }

  public var descriptor: MethodDescriptor { Self.descriptor }
  public var replayRows: Int { rows }
  public var memoryBytes: Int { (memory?.byteCount ?? 0) + 4 * (teacher?.parameterCount ?? 0) }

  /// The memory (with logits), the reservoir's count and the previous model.
  public struct State: Codable, Sendable {
    var memory: ReplayMemory.State?
    var seen: Int
    var teacher: PackedFloats?
  }

  public var state: State {
    State(memory: memory?.state, seen: sampler.seen, teacher: teacher.map { PackedFloats($0.parameters) })
  }

  public mutating func restore(_ state: State, model: Model) throws {
    if let saved = state.memory { try memory?.restore(saved) }
    sampler.restore(seen: state.seen)
    teacher = try state.teacher.map { try model.teacher(from: $0, field: "ser.teacher") }
  }

  public mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws {
    try checkCapacity(capacity, stream: stream)
    memory = ReplayMemory(capacity: capacity, stream: stream, logitWidth: model.outputWidth)
    rows = replayBatch ?? batchSize
    stored = Tensor(rows: rows, columns: model.outputWidth)
  }

  public mutating func taskWillBegin(_ task: TaskContext, model: Model) throws {
    guard task.index > 0 else { return }
    teacher = model.clone()
  }

  public mutating func composeBatch(_ batch: inout BatchComposer, rng: inout RandomStream) {
    guard let memory, memory.count > 0 else { return }
    memory.sample(rows, using: &rng, into: &drawn)
    batch.appendReplay(from: memory, slots: drawn, purpose: .labels)
  }

  public mutating func addLoss(_ terms: inout LossTerms, batch: BatchView, model: Model) {
    guard let memory, let teacher, let segment = batch.segment(.labels) else { return }
    let backward = memory.storedLogitDistance(
      segment, batch: batch, scratch: stored, gradient: terms.logitGradient, weight: alpha)
    terms.record("backward consistency", alpha * backward)
    let new = batch.newRows
    let targets = teacher.forward(batch.inputs.rows(new.start, count: new.count), mode: .inference)
    let forward = MeanSquaredError.loss(
      outputs: batch.logits.rows(new.start, count: new.count), targets: targets,
      gradient: terms.logitGradient.rows(new.start, count: new.count), weight: beta,
      accumulate: true)
    terms.record("forward consistency", beta * forward)
  }

  public mutating func stepDidFinish(batch: BatchView, model: Model, rng: inout RandomStream) {
    guard let memory else { return }
    offerNewRows(batch, to: memory, sampler: &sampler, rng: &rng, storeLogits: true)
  }
}

extension StrongExperienceReplay {
  /// The hyperparameters `ser` reads.
  public enum Parameters {
    /// Memory size.
    public static let memory = ReplayHyperparameters.memory(default: 500)
    /// α.
    public static let alpha = Hyperparameter<Float>(
      "ser_alpha", default: 0.1, in: 0...1e6, "SER backward-consistency weight α (memory logits)")
    /// β.
    public static let beta = Hyperparameter<Float>(
      "ser_beta", default: 0.5, in: 0...1e6, "SER forward-consistency weight β (previous model)")
  }

  /// `--strategy ser`.
  public static let descriptor = MethodDescriptor(
    name: "ser",
    summary: "Strong experience replay: backward and forward consistency (Zhuo et al. 2023)",
    parameters: [
      Parameters.memory.spec, ReplayHyperparameters.replayBatch.spec, Parameters.alpha.spec,
      Parameters.beta.spec,
    ],
    roles: .composesBatch, storesLogits: true,
    build: { s in
      StrongExperienceReplay(
        capacity: s[Parameters.memory], alpha: s[Parameters.alpha], beta: s[Parameters.beta],
        replayBatch: s[ReplayHyperparameters.replayBatch])
    })
}
