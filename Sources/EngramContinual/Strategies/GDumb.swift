import EngramNN
import EngramRandom

/// GDumb (Prabhu, Torr & Dokania 2020): greedily keep a class-balanced memory, and at every
/// evaluation train a fresh network on the memory alone.
///
/// The stream itself never trains the model; each example is offered to the greedy
/// class-balanced sampler. Each evaluation trains a new network of the same architecture from
/// scratch: `epochs` passes over the memory, batch 16, SGD from 0.05 annealed (cosine) to
/// 0.0005, weight decay 1e-6, gradient norm clipped at 10 — the repository's MNIST recipe
/// with its warm restarts reduced to one cycle. Default M = 500, 128 epochs.
/// See reference/methods.md §5.2 (oracle O3).
public struct GDumb: StatefulStrategy {
  /// M.
  public let capacity: Int
  /// Passes over the memory per evaluation.
  public let epochs: Int
  var sampler: GreedyClassBalancedSampler
  var slots: [Int: ExampleReference] = [:]
  var width = 0
  var seed: UInt64 = 0

  /// A GDumb strategy.
  public init(capacity: Int = 500, epochs: Int = 128) {
    self.capacity = capacity
    self.epochs = epochs
    sampler = GreedyClassBalancedSampler(capacity: capacity)
  }

  public var descriptor: MethodDescriptor { Self.descriptor }
  public var memoryBytes: Int { slots.count * width }

  /// The greedy sampler, the stored examples by slot and the retraining seed.
  public struct State: Codable, Sendable {
    var sampler: [Int]
    var slots: [Int: ExampleReference]
    /// The seed's bits (property lists hold signed 64-bit integers).
    var seed: Int64
  }

  public var state: State {
    State(sampler: sampler.state, slots: slots, seed: Int64(bitPattern: seed))
  }

  public mutating func restore(_ state: State, model: Model) throws {
    sampler.restore(state.sampler)
    slots = state.slots
    seed = UInt64(bitPattern: state.seed)
  }

  public mutating func prepare(model: Model, stream: TaskStream, batchSize: Int) throws {
    try checkCapacity(capacity, stream: stream)
    width = stream.tasks[0].train.bytesPerExample
  }

  /// The stream does not train the model: only the sampler sees it.
  public func trainingExamples(for task: Int, stream: TaskStream) -> [ExampleReference]? { [] }

  public mutating func taskDidEnd(_ task: TaskContext, model: Model, rng: inout RandomStream) throws
  {
    // The task's own stream (its training view), not the (empty) examples the model trained on.
    var order = task.stream.trainingViews[task.index]
    rng.shuffle(&order)
    for example in order {
      let label = task.stream.tasks[example.task].train.labels[example.index]
      if let slot = sampler.place(label: label, using: &rng) { slots[slot] = example }
    }
    seed = rng.next()
  }

  public mutating func predictor(
    stage: Int, model: Model, stream: TaskStream, rng: inout RandomStream
  ) throws -> (any Predictor)? {
    let memory = slots.keys.sorted().compactMap { slots[$0] }
    guard !memory.isEmpty else { return nil }
    let fresh = try model.architecture.build(
      input: stream.input, outputs: model.outputWidth, activation: model.hiddenActivation)
    let streams = RandomStreams(seed: seed)
    fresh.initialize(streams: streams)
    fresh.shareMeter(with: model)
    var config = TrainerConfig(batchSize: 16, epochs: epochs)
    config.schedule = .cosine(final: 0.0005)
    config.gradientClipNorm = 10
    let trainer = try Trainer(
      model: fresh, optimizer: SGD(learningRate: 0.05, weightDecay: 1e-6), config: config,
      stream: stream, streams: streams)
    try trainer.train(task: stage, examples: memory)
    return ModelPredictor(model: fresh)
  }

  /// Stored examples per unit.
  public var counts: [Int32: Int] { sampler.counts }
}

extension GDumb {
  /// The hyperparameters `gdumb` reads.
  public enum Parameters {
    /// Memory size.
    public static let memory = ReplayHyperparameters.memory(default: 500)
    /// Passes over the memory per evaluation.
    public static let epochs = Hyperparameter<Int>(
      "gdumb_epochs", default: 128, in: 1...100_000,
      "GDumb passes over the memory per evaluation")
  }

  /// `--strategy gdumb`.
  public static let descriptor = MethodDescriptor(
    name: "gdumb", summary: "Greedy balanced memory, model retrained from it (Prabhu et al. 2020)",
    parameters: [Parameters.memory.spec, Parameters.epochs.spec],
    roles: [.predicts, .choosesData], needsStoredData: true,
    build: { s in GDumb(capacity: s[Parameters.memory], epochs: s[Parameters.epochs]) })
}
