import EngramLinalg
import EngramNN
import EngramRandom

/// Gradient episodic memory (Lopez-Paz & Ranzato 2017): never let the step increase the loss
/// on an earlier task's memory.
///
/// With gₖ the gradient on task k's memory at the current θ (rows of G), if any ⟨g, gₖ⟩ < 0
/// the step uses g̃ = Gᵀv* + g, v* solving the dual QP min ½vᵀ(GGᵀ + εI)v + (Gg)ᵀv, v ≥ γ —
/// the reference code's margin form (`project2cone2`). Solved in Double by projected
/// coordinate descent. Memories: the last `memoryPerTask` examples of each task (the code's
/// per-task ring buffer). Defaults 256 per task, γ = 0.5, ε = 1e-3 (reference/methods.md §3.1, O7).
public struct GEM: StatefulStrategy {
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

  public var descriptor: MethodDescriptor { Self.descriptor }
  public var memoryBytes: Int { memories.reduce(0) { $0 + $1.byteCount } }

  /// Each task's memory and its ring-buffer write position.
  public struct State: Codable, Sendable {
    var memories: [ReplayMemory.State]
    var writeHeads: [Int]
  }

  public var state: State { State(memories: memories.map(\.state), writeHeads: writeHeads) }

  public mutating func restore(_ state: State, model: Model) throws {
    guard state.memories.count == memories.count, state.writeHeads.count == memories.count else {
      throw ModelError.checkpointMismatch(
        file: "checkpoint", field: "gem.memories", expected: "\(memories.count) task memories",
        found: "\(state.memories.count)")
    }
    for (memory, saved) in zip(memories, state.memories) { try memory.restore(saved) }
    writeHeads = state.writeHeads
  }

  public mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws {
    try checkCapacity(memoryPerTask, stream: stream)
    memories = stream.tasks.map { _ in ReplayMemory(capacity: memoryPerTask, stream: stream) }
    writeHeads = [Int](repeating: 0, count: stream.tasks.count)
    model.prepare(batchCapacity: memoryPerTask)
    gradient = MemoryGradient(capacity: memoryPerTask, model: model, stream: stream)
  }

  public mutating func gradientsDidCompute(
    model: Model, batch: BatchView, rng: inout RandomStream
  ) throws {
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
    // G (t × p) in Double: Gg and GGᵀ are one gemv and one gemm.
    let t = rows.count
    let constraints = Matrix<Double>(rows: t, columns: g.count) { Double(rows[$0][$1]) }
    guard let dots = try? constraints.multiplied(by: g.map(Double.init)),
      dots.contains(where: { $0 < 0 })
    else { return nil }
    let gram = constraints.rowGram
    var q = (0..<t).map { gram.row($0) }
    for i in 0..<t { q[i][i] += regularization }
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
    guard let result = try? constraints.multiplied(by: v, transposingSelf: true) else {
      return nil
    }
    return zip(g, result).map { Float(Double($0) + $1) }
  }
}


extension GEM {
  /// The hyperparameters `gem` reads.
  public enum Parameters {
    /// Examples per task (the reference code's 256).
    public static let memoryPerTask = ReplayHyperparameters.memoryPerTask(default: 256)
    /// γ.
    public static let margin = Hyperparameter<Double>(
      "gem_margin", default: 0.5, in: 0...100, "GEM margin γ (v ≥ γ)")
  }

  /// `--strategy gem`.
  public static let descriptor = MethodDescriptor(
    name: "gem", summary: "Gradient episodic memory (Lopez-Paz & Ranzato 2017)",
    parameters: [Parameters.memoryPerTask.spec, Parameters.margin.spec],
    roles: .projectsGradient, needsStoredData: true,
    build: { s in GEM(memoryPerTask: s[Parameters.memoryPerTask], margin: s[Parameters.margin]) })
}
