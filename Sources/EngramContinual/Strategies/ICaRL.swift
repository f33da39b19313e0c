import EngramNN
import EngramRandom
import Foundation

/// iCaRL (Rebuffi et al. 2017): herded exemplars, distillation through a sigmoid loss, and a
/// nearest-mean-of-exemplars classifier.
///
/// Training: each task trains on its data plus all exemplars, with binary cross-entropy over the
/// classes seen so far (mean over units and rows) — targets one-hot for the current task's
/// classes and σ(z_old) of the previous model for older ones. At each task's end every class
/// keeps m = ⌊K/|C_seen|⌋ exemplars: old lists are cut to their prefix, new classes are herded
/// on L2-normalised penultimate features. Prediction: the class whose normalised exemplar mean
/// is nearest to the normalised feature. Default K = 2000 (the paper).
/// See reference/methods.md §5.1 (oracle O10).
public struct ICaRL: StatefulStrategy {
  /// K, the exemplar budget.
  public let capacity: Int
  var exemplars: [Int: [ExampleReference]] = [:]  // unit → herded exemplars
  var teacher: Model?
  var oldUnits: [Int] = []
  var width = 0

  /// An iCaRL strategy.
  public init(capacity: Int = 2000) {
    self.capacity = capacity
  }

  public var descriptor: MethodDescriptor { Self.descriptor }

  /// The exemplars per class, the previous model and its units.
  public struct State: Codable, Sendable {
    var exemplars: [Int: [ExampleReference]]
    var teacher: PackedFloats?
    var oldUnits: [Int]
  }

  public var state: State {
    State(
      exemplars: exemplars, teacher: teacher.map { PackedFloats($0.parameters) },
      oldUnits: oldUnits)
  }

  public mutating func restore(_ state: State, model: Model) throws {
    exemplars = state.exemplars
    teacher = try state.teacher.map { try model.teacher(from: $0, field: "icarl.teacher") }
    oldUnits = state.oldUnits
  }
  public var memoryBytes: Int {
    exemplars.values.reduce(0) { $0 + $1.count } * width + 4 * (teacher?.parameterCount ?? 0)
  }

  public mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws {
    try checkCapacity(capacity, stream: stream)
    width = stream.tasks[0].train.bytesPerExample
  }

  public func trainingExamples(for task: Int, stream: TaskStream) -> [ExampleReference]? {
    stream.trainingViews[task] + exemplars.keys.sorted().flatMap { exemplars[$0] ?? [] }
  }

  public mutating func taskWillBegin(_ task: TaskContext, model: Model) throws {
    guard task.index > 0 else { return }
    teacher = model.clone()
    oldUnits = task.stream.tasks[0..<task.index].flatMap(\.units)
  }

  public mutating func shapeLoss(_ loss: inout BaseLoss, batch: BatchView) {
    loss.enabled = false
  }

  /// Sigmoid BCE with distillation targets for old units, on every row of the batch.
  public mutating func addLoss(_ terms: inout LossTerms, batch: BatchView, model: Model) {
    let c = model.outputWidth
    let n = batch.rowCount
    let active = batch.stream.trainingUnits(example: batch.currentTask, current: batch.currentTask)
    let old = Set(oldUnits)
    let teacherLogits = teacher.map { $0.forward(batch.inputs, mode: .inference) }
    let scale = 1 / Float(n * active.count)
    var total = 0.0
    for r in 0..<n {
      let z = batch.logits.pointer + r * c
      let g = terms.logitGradient.pointer + r * c
      let label = Int(batch.labels[r])
      for unit in active {
        let target: Float
        if let t = teacherLogits, old.contains(unit) {
          target = 1 / (1 + exp(-t.pointer[r * c + unit]))
        } else {
          target = unit == label ? 1 : 0
        }
        let p = 1 / (1 + exp(-z[unit]))
        // Stable BCE with logits: max(z, 0) − z·t + log(1 + e^{−|z|}).
        total += Double(max(z[unit], 0) - z[unit] * target + log1p(exp(-abs(z[unit]))))
        g[unit] += (p - target) * scale
      }
    }
    terms.record("bce", Float(total) * scale)
  }

  public mutating func taskDidEnd(_ task: TaskContext, model: Model, rng: inout RandomStream) throws
  {
    let byUnit = Dictionary(grouping: task.stream.trainingViews[task.index]) {
      Int(task.stream.tasks[$0.task].train.labels[$0.index])
    }
    let units = Set(exemplars.keys).union(byUnit.keys)
    let m = capacity / max(1, units.count)
    for unit in exemplars.keys { exemplars[unit] = Array((exemplars[unit] ?? []).prefix(m)) }
    for unit in byUnit.keys.sorted() where exemplars[unit] == nil {
      let candidates = byUnit[unit] ?? []
      exemplars[unit] = Array(
        SelectionScorer.prioritize(
          candidates, policy: .herding, model: model, reader: task.reader, stage: task.index,
          limit: m, rng: &rng
        )
        .prefix(m))
    }
  }

  public mutating func predictor(
    stage: Int, model: Model, stream: TaskStream, rng: inout RandomStream
  ) throws -> (any Predictor)? {
    guard !exemplars.isEmpty else { return nil }
    let reader = StreamBatchReader(stream: stream)
    var means: [Int: [Float]] = [:]
    for (unit, list) in exemplars where !list.isEmpty {
      let features = SelectionScorer.penultimateFeatures(list, model: model, reader: reader)
      means[unit] = normalized(SelectionScorer.normalizedMean(features))
    }
    return NearestMeanPredictor(model: model, means: means)
  }

  /// Exemplars per unit (for tests and reports).
  public var exemplarCounts: [Int: Int] { exemplars.mapValues(\.count) }
}

/// iCaRL's classifier: the nearest class mean of normalised penultimate features.
public struct NearestMeanPredictor: Predictor {
  /// The feature extractor.
  public let model: Model
  /// Normalised class means by unit.
  public let means: [Int: [Float]]

  public func predict(_ inputs: Tensor, mask: OutputMask, into: UnsafeMutablePointer<Int32>) {
    model.prepare(batchCapacity: inputs.rows)
    _ = model.forward(inputs, mode: .inference)
    guard let phi = model.penultimate else { return }
    for r in 0..<inputs.rows {
      let feature = normalized(
        Array(UnsafeBufferPointer(start: phi.pointer + r * phi.columns, count: phi.columns)))
      var best = (unit: 0, distance: Float.infinity)
      for (unit, mean) in means where mask.isActive(unit, row: r) {
        var d: Float = 0
        for j in feature.indices { d += (feature[j] - mean[j]) * (feature[j] - mean[j]) }
        if d < best.distance || (d == best.distance && unit < best.unit) { best = (unit, d) }
      }
      into[r] = Int32(best.unit)
    }
  }
}

extension ICaRL {
  /// The hyperparameters `icarl` reads.
  public enum Parameters {
    /// Exemplar memory (the paper's K = 2000).
    public static let memory = ReplayHyperparameters.memory(default: 2000)
  }

  /// `--strategy icarl`.
  public static let descriptor = MethodDescriptor(
    name: "icarl", summary: "iCaRL: herding exemplars, distillation, nearest-mean classifier (Rebuffi et al. 2017)",
    parameters: [Parameters.memory.spec],
    roles: [.shapesLoss, .predicts, .choosesData], needsStoredData: true,
    build: { s in ICaRL(capacity: s[Parameters.memory]) })
}
