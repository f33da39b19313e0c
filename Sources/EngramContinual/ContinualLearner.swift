import EngramData
import EngramNN
import EngramRandom
import Foundation

/// A continual learner to embed in an app: feed it labelled batches as they arrive, ask it for
/// predictions, save it and load it back.
///
/// ```swift
/// let learner = try ContinualLearner(
///   architecture: .mlp(hidden: [64]), features: 16, classes: 4,
///   strategies: [ExperienceReplay(capacity: 200)])
/// try learner.observe(rows, labels: labels)                 // a batch of the current task
/// try learner.observe(newRows, labels: newLabels, newTask: true)  // a boundary, if known
/// let predicted = learner.predict(query)
/// try learner.save(to: url)                                 // atomic, checksummed
/// let again = try ContinualLearner.load(from: url, strategies: [ExperienceReplay(capacity: 200)])
/// ```
/// Inputs are plain Float rows (already scaled as the app wants). The network has one head
/// over all `classes`. Boundaries are optional (task-free learning works); when given, the
/// strategies consolidate there. Supported strategies are those whose descriptor does not
/// need a stream's stored task data (`supportedMethods`: replay, DER, DER++, ER-ACE, SI,
/// LwF, …); the others (EWC, MAS, GEM, A-GEM, iCaRL, GDumb, joint, cumulative) are refused.
public final class ContinualLearner {
  /// The network.
  public let model: Model
  /// Features per example.
  public let features: Int
  /// Number of classes.
  public let classes: Int
  /// Examples per training step (larger batches are split).
  public let batchSize: Int
  /// The task index (boundaries seen so far).
  public private(set) var task = 0
  let trainer: Trainer
  let optimizerSpec: OptimizerSpec
  let seed: UInt64
  private var started = false

  /// The registered methods a learner can run: those that work from the batches alone.
  public static var supportedMethods: [MethodDescriptor] {
    MethodRegistry.all.filter { !$0.needsStoredData && $0.build != nil }
  }

  /// The longest sequence of boundaries a learner can mark.
  public static let maximumTasks = 4096

  /// A new learner.
  /// - Throws: `TrainingError.invalidSetting` for a strategy that needs stored task data or
  ///   bad sizes; `ModelError` for an architecture that does not fit.
  public init(
    architecture: Architecture, features: Int, classes: Int, strategies: [any Strategy] = [],
    optimizer: OptimizerSpec = .sgd(learningRate: 0.01, momentum: 0.9, weightDecay: 0),
    batchSize: Int = 32, seed: UInt64 = 0
  ) throws {
    for strategy in strategies where strategy.descriptor.needsStoredData {
      let supported = Self.supportedMethods.map(\.name).joined(separator: ", ")
      throw TrainingError.invalidSetting(
        name: "strategy", value: strategy.name,
        allowed:
          "the learner supports \(supported); \(strategy.name) needs a stream's stored task data (use ContinualExperiment)"
      )
    }
    guard features >= 1, classes >= 2, batchSize >= 1 else {
      throw TrainingError.invalidSetting(
        name: "learner", value: "\(features) features, \(classes) classes",
        allowed: "need ≥ 1 feature and ≥ 2 classes")
    }
    self.features = features
    self.classes = classes
    self.batchSize = batchSize
    self.optimizerSpec = optimizer
    self.seed = seed
    let streams = RandomStreams(seed: seed)
    model = try architecture.build(input: InputShape(features: features), outputs: classes)
    model.initialize(streams: streams)
    trainer = try Trainer(
      model: model, optimizer: optimizer.make(), config: TrainerConfig(batchSize: batchSize),
      stream: Self.stream(features: features, classes: classes),
      strategies: strategies, streams: streams)
  }

  /// The learner's stream: tasks without stored data, sharing one head over every class.
  static func stream(features: Int, classes: Int) -> TaskStream {
    let empty = Dataset.empty(name: "observed", featureCount: features, classCount: classes)
    let tasks = (0..<maximumTasks).map {
      ContinualTask(
        name: "task \($0)", index: $0, train: empty, test: empty, units: Array(0..<classes))
    }
    return TaskStream(name: "observed", scenario: .domain, tasks: tasks, outputCount: classes)
  }

  /// Learns from a batch of rows (each `features` long) and labels in 0..<classes; with
  /// `newTask`, first marks a task boundary. Returns the mean loss of the steps taken.
  /// - Throws: `TrainingError.invalidSetting` for rows of the wrong width or bad labels;
  ///   `.nonFiniteLoss` if training diverges (the model keeps its last finite parameters).
  @discardableResult
  public func observe(_ rows: [[Float]], labels: [Int], newTask: Bool = false) throws -> Float {
    guard rows.count == labels.count, !rows.isEmpty else {
      throw TrainingError.invalidSetting(
        name: "batch", value: "\(rows.count) rows, \(labels.count) labels",
        allowed: "one label per row, at least one row")
    }
    if let bad = rows.firstIndex(where: { $0.count != features }) {
      throw TrainingError.invalidSetting(
        name: "row \(bad)", value: "\(rows[bad].count) features",
        allowed: "every row needs \(features) features")
    }
    if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
      throw TrainingError.invalidSetting(
        name: "label \(bad)", value: "\(labels[bad])", allowed: "labels lie in 0..<\(classes)")
    }
    if newTask && started {
      guard task + 1 < Self.maximumTasks else {
        throw TrainingError.invalidSetting(
          name: "tasks", value: "\(task + 1)", allowed: "at most \(Self.maximumTasks) boundaries")
      }
      try trainer.endTask(task)
      task += 1
      try trainer.beginTask(task)
    } else if !started {
      try trainer.beginTask(task)
    }
    started = true
    var total: Float = 0
    var steps = 0
    var start = 0
    while start < rows.count {
      let end = min(start + batchSize, rows.count)
      let chunk = Tensor(
        rows: end - start, columns: features, values: rows[start..<end].flatMap { $0 })
      total += try trainer.step(raw: chunk, labels: labels[start..<end].map(Int32.init), task: task)
      steps += 1
      start = end
    }
    return total / Float(steps)
  }

  /// The most likely class of each row.
  public func predict(_ rows: [[Float]]) -> [Int] {
    guard !rows.isEmpty else { return [] }
    model.prepare(batchCapacity: rows.count)
    let x = Tensor(rows: rows.count, columns: features, values: rows.flatMap { $0 })
    var predictions = [Int32](repeating: 0, count: rows.count)
    predictions.withUnsafeMutableBufferPointer {
      SoftmaxCrossEntropy.predictions(
        logits: model.forward(x, mode: .inference), into: $0.baseAddress!)
    }
    return predictions.map(Int.init)
  }

  /// Saves the learner (network, optimiser, strategies' memories and state, random streams)
  /// atomically with a checksum.
  /// - Throws: `ModelError.checkpointUnwritable` when the file cannot be written.
  public func save(to url: URL) throws {
    var checkpoint = Checkpoint()
    checkpoint.metadata["learner.features"] = "\(features)"
    checkpoint.metadata["learner.classes"] = "\(classes)"
    checkpoint.metadata["learner.batch"] = "\(batchSize)"
    checkpoint.metadata["learner.task"] = "\(task)"
    checkpoint.metadata["learner.started"] = "\(started)"
    checkpoint.metadata["learner.seed"] = "\(seed)"
    try trainer.save(into: &checkpoint)
    try CheckpointFile.write(checkpoint, to: url)
  }

  /// Loads a saved learner; give the same kinds of strategies it was created with (their
  /// hyperparameters are not stored), and the same optimiser.
  /// - Throws: `ModelError` for a missing, corrupt or mismatched file.
  public static func load(
    from url: URL, strategies: [any Strategy] = [],
    optimizer: OptimizerSpec = .sgd(learningRate: 0.01, momentum: 0.9, weightDecay: 0)
  ) throws -> ContinualLearner {
    let checkpoint = try CheckpointFile.read(from: url)
    let file = url.lastPathComponent
    func number(_ key: String) throws -> Int {
      guard let text = checkpoint.metadata[key], let value = Int(text) else {
        throw ModelError.checkpointMismatch(
          file: file, field: key, expected: "a learner checkpoint", found: "nothing")
      }
      return value
    }
    guard let architectureName = checkpoint.metadata["model.architecture"] else {
      throw ModelError.checkpointMismatch(
        file: file, field: "architecture", expected: "a learner checkpoint", found: "nothing")
    }
    let learner = try ContinualLearner(
      architecture: try Architecture(parsing: architectureName),
      features: try number("learner.features"),
      classes: try number("learner.classes"), strategies: strategies, optimizer: optimizer,
      batchSize: try number("learner.batch"),
      seed: UInt64(try number("learner.seed")))
    try learner.trainer.restore(from: checkpoint, file: file)
    learner.task = try number("learner.task")
    learner.started = checkpoint.metadata["learner.started"] == "true"
    return learner
  }
}
