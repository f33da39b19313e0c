import EngramNN
import EngramRandom

/// Dark experience replay (Buzzega et al. 2020): replay the logits a stored example had when it
/// was stored, and (DER++) its label too.
///
/// DER: L = L_t + α·MSE(h(x′), z′) over a replayed batch, z′ the logits recorded when x′ was
/// inserted (from the training forward pass, before the update; never refreshed). DER++ adds
/// β·CE(f(x″), y″) on a second, independently drawn batch. The memory is a reservoir. The MSE
/// is the mean over logits by default (mammoth, whose α values are the defaults: M = 500 → DER
/// α = 1.0; DER++ α = 1.0, β = 0.5); `.sum` is the paper's squared norm, C times larger.
/// See reference/methods.md §5.3 (oracle O9).
public struct DarkExperienceReplay: StatefulStrategy {
  /// How the logit distance is reduced over logits.
  public enum Reduction: String, Sendable, CaseIterable, Codable {
    /// Mean over logits (mammoth).
    case mean
    /// Sum over logits (the paper's ‖·‖²).
    case sum
  }
  /// Examples the memory holds.
  public let capacity: Int
  /// α.
  public let alpha: Float
  /// β (0: plain DER).
  public let beta: Float
  /// Replayed rows per batch (nil: the batch size).
  public let replayBatch: Int?
  /// Reduction of the logit term.
  public let reduction: Reduction
  var memory: ReplayMemory?
  var sampler: ReservoirSampler
  var drawn: [Int] = []
  var rows = 0
  var stored: Tensor = Tensor(rows: 0, columns: 0)

  /// DER (β = 0) or DER++ (β > 0).
  public init(
    capacity: Int = 500, alpha: Float = 1.0, beta: Float = 0, replayBatch: Int? = nil,
    reduction: Reduction = .mean
  ) {
    self.capacity = capacity
    self.alpha = alpha
    self.beta = beta
    self.replayBatch = replayBatch
    self.reduction = reduction
    sampler = ReservoirSampler(capacity: capacity)
  }

  public var descriptor: MethodDescriptor { beta > 0 ? Self.plusPlus : Self.descriptor }
  public var replayRows: Int { beta > 0 ? 2 * rows : rows }
  public var memoryBytes: Int { memory?.byteCount ?? 0 }

  /// The memory (with logits) and the reservoir's count.
  public struct State: Codable, Sendable {
    var memory: ReplayMemory.State?
    var seen: Int
  }

  public var state: State { State(memory: memory?.state, seen: sampler.seen) }

  public mutating func restore(_ state: State, model: Model) throws {
    if let saved = state.memory { try memory?.restore(saved) }
    sampler.restore(seen: state.seen)
  }

  public mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws {
    try checkCapacity(capacity, stream: stream)
    memory = ReplayMemory(capacity: capacity, stream: stream, logitWidth: model.outputWidth)
    rows = replayBatch ?? batchSize
    stored = Tensor(rows: rows, columns: model.outputWidth)
  }

  public mutating func composeBatch(_ batch: inout BatchComposer, rng: inout RandomStream) {
    guard let memory, memory.count > 0 else { return }
    memory.sample(rows, using: &rng, into: &drawn)
    batch.appendReplay(from: memory, slots: drawn, purpose: .logits)
    if beta > 0 {
      memory.sample(rows, using: &rng, into: &drawn)
      batch.appendReplay(from: memory, slots: drawn, purpose: .labels)
    }
  }

  /// Only the new rows enter the base cross-entropy; the replayed terms are weighted here.
  public mutating func shapeLoss(_ loss: inout BaseLoss, batch: BatchView) {
    loss.includesReplayedLabels = false
  }

  public mutating func addLoss(_ terms: inout LossTerms, batch: BatchView, model: Model) {
    guard let memory else { return }
    let c = model.outputWidth
    if let segment = batch.segment(.logits) {
      let scale: Float = reduction == .mean ? 1 : Float(c)
      let mse = memory.storedLogitDistance(
        segment, batch: batch, scratch: stored, gradient: terms.logitGradient,
        weight: alpha * scale)
      terms.record("logit replay", alpha * scale * mse)
    }
    if let segment = batch.segment(.labels) {
      var mask = batch.mask
      mask.firstRow = segment.start
      let ce = SoftmaxCrossEntropy.loss(
        logits: batch.logits.rows(segment.start, count: segment.count),
        labels: batch.labels + segment.start, mask: mask,
        gradient: terms.logitGradient.rows(segment.start, count: segment.count), weight: beta,
        accumulate: true)
      terms.record("label replay", beta * ce)
    }
  }

  public mutating func stepDidFinish(batch: BatchView, model: Model, rng: inout RandomStream) {
    guard let memory else { return }
    offerNewRows(batch, to: memory, sampler: &sampler, rng: &rng, storeLogits: true)
  }
}

extension DarkExperienceReplay {
  /// The hyperparameters `der` and `derpp` read.
  public enum Parameters {
    /// Memory size.
    public static let memory = ReplayHyperparameters.memory(default: 500)
    /// α.
    public static let alpha = Hyperparameter<Float>(
      "der_alpha", default: 1.0, in: 0...1e6, "DER/DER++ logit weight α")
    /// β (DER++ only).
    public static let beta = Hyperparameter<Float>(
      "der_beta", default: 0.5, in: 0...1e6, "DER++ label weight β")
    /// Reduction of the logit distance.
    public static let reduction = Hyperparameter<Reduction>(
      "der_reduction", default: .mean, "DER logit distance: mean (mammoth) or sum (paper)")
  }

  // DER decides which replayed rows enter which loss (none enters the base cross-entropy), so
  // it claims `shapesLoss`: combined with another loss-shaping method it is refused.
  private static let roles: StrategyRoles = [.composesBatch, .shapesLoss]

  /// `--strategy der`.
  public static let descriptor = MethodDescriptor(
    name: "der", summary: "Dark experience replay: replay stored logits (Buzzega et al. 2020)",
    parameters: [
      Parameters.memory.spec, ReplayHyperparameters.replayBatch.spec, Parameters.alpha.spec,
      Parameters.reduction.spec,
    ],
    roles: roles, storesLogits: true,
    build: { s in
      DarkExperienceReplay(
        capacity: s[Parameters.memory], alpha: s[Parameters.alpha], beta: 0,
        replayBatch: s[ReplayHyperparameters.replayBatch], reduction: s[Parameters.reduction])
    })

  /// `--strategy derpp`: DER plus replayed labels.
  public static let plusPlus = MethodDescriptor(
    name: "derpp", summary: "DER++: replay stored logits and labels (Buzzega et al. 2020)",
    parameters: [
      Parameters.memory.spec, ReplayHyperparameters.replayBatch.spec, Parameters.alpha.spec,
      Parameters.beta.spec, Parameters.reduction.spec,
    ],
    roles: roles, storesLogits: true,
    build: { s in
      DarkExperienceReplay(
        capacity: s[Parameters.memory], alpha: s[Parameters.alpha], beta: s[Parameters.beta],
        replayBatch: s[ReplayHyperparameters.replayBatch], reduction: s[Parameters.reduction])
    })
}
