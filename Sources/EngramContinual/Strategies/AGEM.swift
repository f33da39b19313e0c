import EngramNN
import EngramRandom

/// Averaged GEM (Chaudhry et al. 2019): one constraint on the mean loss of a sample of the
/// pooled memory.
///
/// g_ref = ∇ of the mean loss of `referenceBatch` random memory examples; if ⟨g, g_ref⟩ < 0
/// the step uses g − (⟨g, g_ref⟩/⟨g_ref, g_ref⟩)·g_ref, over the whole flattened gradient,
/// before momentum. Memory: `memoryPerTask` random examples of each task, chosen at its end.
/// Defaults 250 per task, S = 256 (reference/methods.md §3.2, O7).
public struct AGEM: StatefulStrategy {
  /// Examples kept per task.
  public let memoryPerTask: Int
  /// S, the reference batch.
  public let referenceBatch: Int
  var memory: ReplayMemory?
  var gradient: MemoryGradient?
  var drawn: [Int] = []
  var reference: [Float] = []

  /// An A-GEM strategy.
  public init(memoryPerTask: Int = 250, referenceBatch: Int = 256) {
    self.memoryPerTask = memoryPerTask
    self.referenceBatch = referenceBatch
  }

  public var descriptor: MethodDescriptor { Self.descriptor }
  public var memoryBytes: Int { memory?.byteCount ?? 0 }

  /// The pooled memory.
  public var state: ReplayMemory.State? { memory?.state }

  public mutating func restore(_ state: ReplayMemory.State?, model: Model) throws {
    if let state { try memory?.restore(state) }
  }

  public mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws {
    try checkCapacity(memoryPerTask, stream: stream)
    memory = ReplayMemory(capacity: memoryPerTask * stream.tasks.count, stream: stream)
    model.prepare(batchCapacity: referenceBatch)
    gradient = MemoryGradient(capacity: referenceBatch, model: model, stream: stream)
  }

  /// The reference sample is drawn from the trainer's replay stream, so it is checkpointed
  /// with the trainer's random state.
  public mutating func gradientsDidCompute(
    model: Model, batch: BatchView, rng: inout RandomStream
  ) throws {
    guard let memory, memory.count > 0, let work = gradient else { return }
    memory.sample(referenceBatch, using: &rng, into: &drawn)
    work.compute(drawn, memory: memory, model: model, current: batch.currentTask, into: &reference)
    let g = model.gradients
    if let projected = AGEM.project(Array(g), reference: reference) {
      projected.withUnsafeBufferPointer {
        g.baseAddress?.update(from: $0.baseAddress!, count: g.count)
      }
    }
  }

  public mutating func taskDidEnd(_ task: TaskContext, model: Model, rng: inout RandomStream) throws
  {
    guard let memory else { return }
    var candidates = task.examples
    rng.shuffle(&candidates)
    for example in candidates.prefix(memoryPerTask) {
      guard let slot = memory.allocate() else { break }
      memory.store(example, from: task.stream, in: slot)
    }
  }

  /// g̃ = g − (⟨g, r⟩/⟨r, r⟩)·r when ⟨g, r⟩ < 0, else nil.
  public static func project(_ g: [Float], reference r: [Float]) -> [Float]? {
    let dot = zip(g, r).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    let norm = r.reduce(0.0) { $0 + Double($1) * Double($1) }
    guard dot < 0, norm > 0 else { return nil }
    let scale = Float(dot / norm)
    return zip(g, r).map { $0 - scale * $1 }
  }
}

extension AGEM {
  /// The hyperparameters `agem` reads.
  public enum Parameters {
    /// Examples per task (the paper's 250).
    public static let memoryPerTask = ReplayHyperparameters.memoryPerTask(default: 250)
    /// S.
    public static let referenceBatch = Hyperparameter<Int>(
      "agem_batch", default: 256, in: 1...1_000_000, "A-GEM reference batch S")
  }

  /// `--strategy agem`.
  public static let descriptor = MethodDescriptor(
    name: "agem", summary: "Averaged GEM: one constraint from a memory sample (Chaudhry et al. 2019)",
    parameters: [Parameters.memoryPerTask.spec, Parameters.referenceBatch.spec],
    roles: .projectsGradient, needsStoredData: true,
    build: { s in
      AGEM(memoryPerTask: s[Parameters.memoryPerTask], referenceBatch: s[Parameters.referenceBatch])
    })
}
