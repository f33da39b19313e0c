import EngramNN
import EngramRandom

/// Shared work of GEM and A-GEM: the gradient of the mean loss on memory rows, computed at the
/// current parameters without disturbing the step's gradient.
final class MemoryGradient {
  let batch: MemoryBatch
  let reader: StreamBatchReader
  let logitGradient: Tensor
  var saved: [Float]

  init(capacity: Int, model: Model, stream: TaskStream) {
    batch = MemoryBatch(capacity: capacity, width: model.inputWidth)
    reader = StreamBatchReader(stream: stream)
    logitGradient = Tensor(rows: capacity, columns: model.outputWidth)
    saved = [Float](repeating: 0, count: model.parameterCount)
  }

  /// ∇ of the mean masked cross-entropy of `slots` (into `into`); leaves `model.gradients` as
  /// it found them.
  func compute(
    _ slots: [Int], memory: ReplayMemory, model: Model, current: Int, into: inout [Float]
  ) {
    let p = model.parameterCount
    saved.withUnsafeMutableBufferPointer {
      $0.baseAddress?.update(from: model.gradients.baseAddress!, count: p)
    }
    let x = batch.read(slots, from: memory, reader: reader)
    let mask = batch.masks(
      rows: x.rows, stream: reader.stream, current: current, width: model.outputWidth)
    let logits = model.forward(x, mode: .training)
    let gradient = logitGradient.prefix(rows: x.rows)
    batch.labels.withUnsafeBufferPointer {
      _ = SoftmaxCrossEntropy.loss(
        logits: logits, labels: $0.baseAddress!, mask: mask, gradient: gradient)
    }
    model.zeroGradients()
    model.backward(gradient)
    if into.count != p { into = [Float](repeating: 0, count: p) }
    into.withUnsafeMutableBufferPointer {
      $0.baseAddress?.update(from: model.gradients.baseAddress!, count: p)
    }
    saved.withUnsafeBufferPointer {
      model.gradients.baseAddress?.update(from: $0.baseAddress!, count: p)
    }
  }
}

/// Gradient episodic memory (Lopez-Paz & Ranzato 2017): never let the step increase the loss
/// on an earlier task's memory.
///
/// With gₖ the gradient on task k's memory at the current θ (rows of G), if any ⟨g, gₖ⟩ < 0
/// the step uses g̃ = Gᵀv* + g, v* solving the dual QP min ½vᵀ(GGᵀ + εI)v + (Gg)ᵀv, v ≥ γ —
/// the reference code's margin form (`project2cone2`). Solved in Double by projected
/// coordinate descent. Memories: the last `memoryPerTask` examples of each task (the code's
/// per-task ring buffer). Defaults 256 per task, γ = 0.5, ε = 1e-3 (reference/methods.md §3.1, O7).
public struct GEM: Strategy {
  /// Examples kept per task.
  public let memoryPerTask: Int
  /// γ.
  public let margin: Double
  /// ε added to GGᵀ's diagonal.
  public let regularization: Double
  var memories: [ReplayMemory] = []
  var writeHeads: [Int] = []
  var gradient: MemoryGradient?
  var rows: [[Float]] = []

  /// A GEM strategy.
  public init(memoryPerTask: Int = 256, margin: Double = 0.5, regularization: Double = 1e-3) {
    self.memoryPerTask = memoryPerTask
    self.margin = margin
    self.regularization = regularization
  }

  public var name: String { "gem" }
  public var roles: StrategyRoles { .projectsGradient }
  public var memoryBytes: Int { memories.reduce(0) { $0 + $1.byteCount } }

  public func save(into checkpoint: inout Checkpoint, prefix: String) {
    for (k, memory) in memories.enumerated() {
      memory.save(into: &checkpoint, prefix: "\(prefix).\(k)")
    }
    checkpoint.setInts(writeHeads, for: "\(prefix).heads")
  }

  public mutating func restore(from checkpoint: Checkpoint, prefix: String, model: Model) throws {
    for (k, memory) in memories.enumerated() {
      try memory.restore(from: checkpoint, prefix: "\(prefix).\(k)")
    }
    writeHeads = try requiredInts(checkpoint, "\(prefix).heads")
  }

  public mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws {
    try checkCapacity(memoryPerTask, stream: stream)
    memories = stream.tasks.map { _ in ReplayMemory(capacity: memoryPerTask, stream: stream) }
    writeHeads = [Int](repeating: 0, count: stream.tasks.count)
    model.prepare(batchCapacity: memoryPerTask)
    gradient = MemoryGradient(capacity: memoryPerTask, model: model, stream: stream)
  }

  public mutating func gradientsDidCompute(model: Model, batch: BatchView) throws {
    let past = (0..<batch.currentTask).filter { memories[$0].count > 0 }
    guard !past.isEmpty, let work = gradient else { return }
    let g = Array(model.gradients)
    if rows.count < past.count { rows += [[Float]](repeating: [], count: past.count - rows.count) }
    for (i, k) in past.enumerated() {
      work.compute(
        memories[k].occupied, memory: memories[k], model: model, current: batch.currentTask,
        into: &rows[i])
    }
    if let projected = GEM.project(
      g, onto: Array(rows.prefix(past.count)), margin: margin, regularization: regularization)
    {
      projected.withUnsafeBufferPointer {
        model.gradients.baseAddress?.update(from: $0.baseAddress!, count: g.count)
      }
    }
  }

  public mutating func stepDidFinish(batch: BatchView, model: Model, rng: inout RandomStream) {
    guard let references = batch.newExamples else { return }
    for example in references where example.task == batch.currentTask {
      let memory = memories[example.task]
      let slot = memory.allocate() ?? writeHeads[example.task]
      memory.store(example, from: batch.stream, in: slot)
      writeHeads[example.task] = (writeHeads[example.task] + 1) % memoryPerTask
    }
  }

  /// g̃ for gradient `g` and constraint rows `rows`, or nil when no constraint is violated.
  public static func project(
    _ g: [Float], onto rows: [[Float]], margin: Double, regularization: Double
  ) -> [Float]? {
    let dots = rows.map { row in zip(row, g).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } }
    guard dots.contains(where: { $0 < 0 }) else { return nil }
    let t = rows.count
    var q = [[Double]](repeating: [Double](repeating: 0, count: t), count: t)
    for i in 0..<t {
      for j in i..<t {
        let v = zip(rows[i], rows[j]).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        q[i][j] = v
        q[j][i] = v
      }
      q[i][i] += regularization
    }
    var v = [Double](repeating: margin, count: t)
    for _ in 0..<10_000 {
      var change = 0.0
      for i in 0..<t {
        let residual = (0..<t).reduce(dots[i]) { $0 + q[i][$1] * v[$1] }
        let updated = max(margin, v[i] - residual / q[i][i])
        change = max(change, abs(updated - v[i]))
        v[i] = updated
      }
      if change < 1e-12 { break }
    }
    var result = g.map(Double.init)
    for (k, row) in rows.enumerated() {
      for i in result.indices { result[i] += v[k] * Double(row[i]) }
    }
    return result.map(Float.init)
  }
}

/// Averaged GEM (Chaudhry et al. 2019): one constraint on the mean loss of a sample of the
/// pooled memory.
///
/// g_ref = ∇ of the mean loss of `referenceBatch` random memory examples; if ⟨g, g_ref⟩ < 0
/// the step uses g − (⟨g, g_ref⟩/⟨g_ref, g_ref⟩)·g_ref, over the whole flattened gradient,
/// before momentum. Memory: `memoryPerTask` random examples of each task, chosen at its end.
/// Defaults 250 per task, S = 256 (reference/methods.md §3.2, O7).
public struct AGEM: Strategy {
  /// Examples kept per task.
  public let memoryPerTask: Int
  /// S, the reference batch.
  public let referenceBatch: Int
  var memory: ReplayMemory?
  var gradient: MemoryGradient?
  var drawn: [Int] = []
  var reference: [Float] = []
  var rng = RandomStream(seed: 0)

  /// An A-GEM strategy.
  public init(memoryPerTask: Int = 250, referenceBatch: Int = 256) {
    self.memoryPerTask = memoryPerTask
    self.referenceBatch = referenceBatch
  }

  public var name: String { "agem" }
  public var roles: StrategyRoles { .projectsGradient }
  public var memoryBytes: Int { memory?.byteCount ?? 0 }

  public func save(into checkpoint: inout Checkpoint, prefix: String) {
    memory?.save(into: &checkpoint, prefix: "\(prefix).memory")
    checkpoint.setWords(rng.state, for: "\(prefix).rng")
  }

  public mutating func restore(from checkpoint: Checkpoint, prefix: String, model: Model) throws {
    try memory?.restore(from: checkpoint, prefix: "\(prefix).memory")
    if let state = checkpoint.words("\(prefix).rng"), let restored = RandomStream(state: state) {
      rng = restored
    }
  }

  public mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws {
    try checkCapacity(memoryPerTask, stream: stream)
    memory = ReplayMemory(capacity: memoryPerTask * stream.tasks.count, stream: stream)
    model.prepare(batchCapacity: referenceBatch)
    gradient = MemoryGradient(capacity: referenceBatch, model: model, stream: stream)
  }

  public mutating func gradientsDidCompute(model: Model, batch: BatchView) throws {
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
    self.rng = RandomStream(seed: rng.next())
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
