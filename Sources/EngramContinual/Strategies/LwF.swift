import EngramNN
import EngramRandom

/// Learning without forgetting (Li & Hoiem 2017): distil the previous model's outputs on the
/// new data into the current model.
///
/// Before each task after the first, a frozen copy f_old is kept. Loss += λ_o·KD(f_old(x),
/// f(x)) on the new rows, over the old tasks' output units (all units in domain-incremental),
/// with KD the soft-target cross-entropy at temperature T (the paper), or KL, optionally
/// × T². Defaults λ_o = 1, T = 2 (paper; Avalanche). In task-incremental streams each old
/// task's head is distilled with its own softmax and the terms are summed (Li & Hoiem's
/// multi-head form, as Avalanche does); `.allOld` keeps one softmax over every old unit.
/// See reference/methods.md §4.5 (O8).
public struct LwF: StatefulStrategy {
  /// How old output units are grouped into softmaxes in task-incremental streams.
  public enum Heads: String, Sendable, CaseIterable, Codable {
    /// One distillation term per old task's head, summed (the paper; Avalanche).
    case perHead = "per-head"
    /// One softmax over all old tasks' units together.
    case allOld = "all-old"
  }
  /// λ_o.
  public let lambda: Float
  /// T.
  public let temperature: Float
  /// Cross-entropy or KL.
  public let form: Distillation.Form
  /// Multiply by T² (Hinton).
  public let scaleBySquaredTemperature: Bool
  /// Softmax grouping of old units in task-incremental streams.
  public let heads: Heads
  var teacher: Model?
  /// The old output units, one group per softmax.
  var oldGroups: [[Int]] = []

  /// An LwF strategy.
  public init(
    lambda: Float = 1, temperature: Float = 2, form: Distillation.Form = .crossEntropy,
    scaleBySquaredTemperature: Bool = false, heads: Heads = .perHead
  ) {
    self.heads = heads
    self.lambda = lambda
    self.temperature = temperature
    self.form = form
    self.scaleBySquaredTemperature = scaleBySquaredTemperature
  }

  public var descriptor: MethodDescriptor { Self.descriptor }
  public var memoryBytes: Int { 4 * (teacher?.parameterCount ?? 0) }

  /// The previous model and the old units, one group per softmax.
  public struct State: Codable, Sendable {
    var teacher: PackedFloats?
    var oldGroups: [[Int]]
  }

  public var state: State {
    State(teacher: teacher.map { PackedFloats($0.parameters) }, oldGroups: oldGroups)
  }

  public mutating func restore(_ state: State, model: Model) throws {
    teacher = try state.teacher.map { try model.teacher(from: $0, field: "lwf.teacher") }
    oldGroups = state.oldGroups
  }

  public mutating func taskWillBegin(_ task: TaskContext, model: Model) throws {
    guard task.index > 0 else { return }
    teacher = model.clone()
    let old = task.stream.tasks[0..<task.index]
    switch (task.stream.scenario, heads) {
    case (.domain, _): oldGroups = [Array(0..<task.stream.outputCount)]
    case (.task, .perHead): oldGroups = old.map(\.units)
    default: oldGroups = [old.flatMap(\.units)]
    }
  }

  public mutating func addLoss(_ terms: inout LossTerms, batch: BatchView, model: Model) {
    guard let teacher, !oldGroups.isEmpty else { return }
    let rows = batch.newRows
    let x = batch.inputs.rows(rows.start, count: rows.count)
    let targets = teacher.forward(x, mode: .inference)
    var value: Float = 0
    for group in oldGroups where !group.isEmpty {
      value += Distillation.loss(
        student: batch.logits.rows(rows.start, count: rows.count), teacher: targets,
        temperature: temperature, form: form,
        scaleBySquaredTemperature: scaleBySquaredTemperature,
        mask: .only(group, of: model.outputWidth),
        gradient: terms.logitGradient.rows(rows.start, count: rows.count), weight: lambda,
        accumulate: true)
    }
    terms.record("distillation", lambda * value)
  }
}

extension LwF {
  /// The hyperparameters `lwf` reads.
  public enum Parameters {
    /// λ_o.
    public static let lambda = Hyperparameter<Float>(
      "lwf_lambda", default: 1, in: 0...1e6, "LwF distillation weight λ_o")
    /// T.
    public static let temperature = Hyperparameter<Float>(
      "lwf_temperature", default: 2, in: 0.01...100, "LwF temperature T")
    /// Divergence.
    public static let form = Hyperparameter<Distillation.Form>(
      "kd_form", default: .crossEntropy, "LwF distillation: cross-entropy or kl")
    /// Hinton's T².
    public static let squaredTemperature = Hyperparameter<Bool>(
      "kd_squared_temperature", default: false, "Multiply the distillation by T² (Hinton)")
    /// Grouping of old units.
    public static let heads = Hyperparameter<Heads>(
      "lwf_heads", default: .perHead,
      "Task-IL: distil each old head separately (per-head) or all old units together (all-old)")
  }

  /// `--strategy lwf`.
  public static let descriptor = MethodDescriptor(
    name: "lwf", summary: "Learning without forgetting: distil the previous model (Li & Hoiem 2017)",
    parameters: [
      Parameters.lambda.spec, Parameters.temperature.spec, Parameters.form.spec,
      Parameters.squaredTemperature.spec, Parameters.heads.spec,
    ],
    build: { s in
      LwF(
        lambda: s[Parameters.lambda], temperature: s[Parameters.temperature],
        form: s[Parameters.form], scaleBySquaredTemperature: s[Parameters.squaredTemperature],
        heads: s[Parameters.heads])
    })
}
