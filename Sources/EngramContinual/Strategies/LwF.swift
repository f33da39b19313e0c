import EngramNN
import EngramRandom

/// Learning without forgetting (Li & Hoiem 2017): distil the previous model's outputs on the
/// new data into the current model.
///
/// Before each task after the first, a frozen copy f_old is kept. Loss += λ_o·KD(f_old(x),
/// f(x)) on the new rows, over the old tasks' output units (all units in domain-incremental),
/// with KD the soft-target cross-entropy at temperature T (the paper), or KL, optionally
/// × T². Defaults λ_o = 1, T = 2 (paper; Avalanche). See reference/methods.md §4.5 (O8).
public struct LwF: Strategy {
  /// λ_o.
  public let lambda: Float
  /// T.
  public let temperature: Float
  /// Cross-entropy or KL.
  public let form: Distillation.Form
  /// Multiply by T² (Hinton).
  public let scaleBySquaredTemperature: Bool
  var teacher: Model?
  var oldUnits: [Int] = []

  /// An LwF strategy.
  public init(
    lambda: Float = 1, temperature: Float = 2, form: Distillation.Form = .crossEntropy,
    scaleBySquaredTemperature: Bool = false
  ) {
    self.lambda = lambda
    self.temperature = temperature
    self.form = form
    self.scaleBySquaredTemperature = scaleBySquaredTemperature
  }

  public var name: String { "lwf" }
  public var memoryBytes: Int { 4 * (teacher?.parameterCount ?? 0) }

  public func save(into checkpoint: inout Checkpoint, prefix: String) {
    if let teacher {
      checkpoint.setFloats(UnsafeBufferPointer(teacher.parameters), for: "\(prefix).teacher")
    }
    checkpoint.setInts(oldUnits, for: "\(prefix).units")
  }

  public mutating func restore(from checkpoint: Checkpoint, prefix: String, model: Model) throws {
    teacher = try restoredTeacher(checkpoint, "\(prefix).teacher", like: model)
    oldUnits = checkpoint.ints("\(prefix).units") ?? []
  }

  public mutating func taskWillBegin(_ task: TaskContext, model: Model) throws {
    guard task.index > 0 else { return }
    teacher = model.clone()
    oldUnits =
      task.stream.scenario == .domain
      ? Array(0..<task.stream.outputCount) : task.stream.tasks[0..<task.index].flatMap(\.units)
  }

  public mutating func addLoss(_ terms: inout LossTerms, batch: BatchView, model: Model) {
    guard let teacher, !oldUnits.isEmpty else { return }
    let rows = batch.newRows
    let x = batch.inputs.rows(rows.start, count: rows.count)
    let targets = teacher.forward(x, mode: .inference)
    let value = Distillation.loss(
      student: batch.logits.rows(rows.start, count: rows.count), teacher: targets,
      temperature: temperature, form: form,
      scaleBySquaredTemperature: scaleBySquaredTemperature,
      mask: .only(oldUnits, of: model.outputWidth),
      gradient: terms.logitGradient.rows(rows.start, count: rows.count), weight: lambda,
      accumulate: true)
    terms.record("distillation", lambda * value)
  }
}
