import EngramContinual
import EngramLinalg
import EngramRandom
import EngramTheory
import Foundation

/// The paper's regression experiments (reference/replay-theory.md §4.1, Figures 1, 8 and 9):
/// two tasks of a construction, trained by SGD as a linear model from 0 and by Adam as a
/// one-hidden-layer ReLU MLP (Glorot-uniform), with m random first-task samples replayed in
/// every second-task batch (re-weighted to the new part's weight), next to the exact
/// minimum-norm value for the very same tasks and memory.
///
/// Forgetting is the mean squared error on the first task's training samples after the second
/// task (the paper's metric). The exact value is the theory engine's training-sample forgetting
/// divided by n₁. Both trained models are `RegressionNetwork`s: Float32 layers and the
/// library's SGD and Adam, so the linear model's values match the exact ones to about 1e-6
/// relative (Float32 round-off), not to Double precision.
public struct RegressionReplayStudy: Sendable {
  /// The task pair for each x (one construction per angle in angle studies).
  public var constructions: [Construction]
  /// x of each construction (its angle), or nil when x is the memory size.
  public var xs: [Double]?
  /// Memory sizes (with a single construction) or the one memory of every angle.
  public var memories: [Int]
  /// Independent runs (fresh samples, initialisation, memory and order) per point.
  public var runs: Int
  /// The first run's seed.
  public var seed: UInt64
  /// SGD on the linear model.
  public var linear: RegressionSchedule
  /// Adam on the MLP; nil leaves the MLP out.
  public var mlp: RegressionSchedule?
  /// The MLP's hidden width.
  public var mlpWidth: Int

  /// A study of forgetting against m on one construction.
  public init(
    construction: Construction, memories: [Int], runs: Int, seed: UInt64,
    linear: RegressionSchedule, mlp: RegressionSchedule?, mlpWidth: Int
  ) {
    self.constructions = [construction]
    self.xs = nil
    self.memories = memories
    self.runs = runs
    self.seed = seed
    self.linear = linear
    self.mlp = mlp
    self.mlpWidth = mlpWidth
  }

  /// A study of forgetting against the angle: one construction per angle, one memory size.
  public init(
    angles: [(Double, Construction)], memory: Int, runs: Int, seed: UInt64,
    linear: RegressionSchedule, mlp: RegressionSchedule?, mlpWidth: Int
  ) {
    self.constructions = angles.map(\.1)
    self.xs = angles.map(\.0)
    self.memories = [memory]
    self.runs = runs
    self.seed = seed
    self.linear = linear
    self.mlp = mlp
    self.mlpWidth = mlpWidth
  }

  /// The paper's Figure 1a setting (Theorem C.1, d = 3, ε = 0.2, n = 10, m ∈ {0, 1, 2}), with
  /// `epochs` per task instead of the paper's 7000.
  public static func figure1a(runs: Int = 150, epochs: Int = 2000, seed: UInt64 = 0)
    -> RegressionReplayStudy
  {
    RegressionReplayStudy(
      construction: .threeD(epsilon: 0.2, samples: 10), memories: [0, 1, 2], runs: runs,
      seed: seed,
      linear: RegressionSchedule(epochs: epochs, batch: 4, firstRate: 0.1, secondRate: 0.1),
      mlp: RegressionSchedule(
        epochs: epochs, batch: 4, firstRate: 8e-4, secondRate: 1e-3, firstDecay: 0.7,
        secondDecay: 0.6), mlpWidth: 128 * 3)
  }

  /// The paper's Figure 1b setting (d = 50, ε = 0.4, n = 100, m = 0, 5, …, 50) with the
  /// Figure 8 MLP (width 4d = 200) and `epochs` per task instead of 5000.
  public static func figure1b(runs: Int = 30, epochs: Int = 1000, seed: UInt64 = 0)
    -> RegressionReplayStudy
  {
    RegressionReplayStudy(
      construction: .subspace(dimension: 50, epsilon: 0.4, samples: 100),
      memories: Array(stride(from: 0, through: 50, by: 5)), runs: runs, seed: seed,
      linear: RegressionSchedule(epochs: epochs, batch: 32, firstRate: 1, secondRate: 0.1),
      mlp: RegressionSchedule(
        epochs: epochs, batch: 32, firstRate: 1e-4, secondRate: 1e-3, firstDecay: 0.6,
        secondDecay: 0.9), mlpWidth: 200)
  }

  /// The models' values of one run: [model][point] with model 0 = exact, 1 = linear, 2 = MLP.
  typealias RunValues = [[Double]]

  /// Runs every run on `workers` threads and summarises: one series per model, each point
  /// compared with m = 0 of the same runs (memory studies only).
  /// - Throws: construction errors (`TheoryError`); `TheoryError.parameterOutOfRange` naming
  ///   the model's learning rate when it makes training diverge.
  public func run(workers: Int, progress: @Sendable (Int) -> Void = { _ in }) throws
    -> StudyResult
  {
    guard runs >= 2 else {
      throw TheoryError.parameterOutOfRange(
        name: "runs", value: "\(runs)", allowed: "at least 2 (intervals need two)")
    }
    let study = self
    let values: [RunValues] = try ParallelWork.map(
      count: runs, workers: workers, progress: progress
    ) { try study.runOne($0) }
    let names = ["exact (min-norm)", "linear, SGD", "MLP \(mlpWidth), Adam"]
    let models = mlp == nil ? 2 : 3
    let pointCount = xs?.count ?? memories.count
    let series = (0..<models).map { model -> StudySeries in
      let points = (0..<pointCount).map { p -> StudyPoint in
        let samples = values.map { $0[model][p] }
        let x = xs?[p] ?? Double(memories[p])
        let label = xs == nil ? "m=\(memories[p])" : "\(SVGChart.tickLabel(x))°"
        if xs == nil {
          return StudyPoint(
            x: x, label: label, values: samples, baseline: values.map { $0[model][0] },
            alpha: 0.05)
        }
        return StudyPoint(x: x, label: label, values: samples)
      }
      return StudySeries(name: names[model], points: points)
    }
    let first = constructions[0]
    var notes = [
      "\(runs) runs per point; each run draws fresh task samples, initialisation, data order and memory; the exact value uses the same tasks and memory.",
      "Linear: SGD from 0, \(linear.epochs) epochs per task, batch \(linear.batch), rate \(linear.firstRate) → \(linear.secondRate)"
        + (linear.secondDecay != 1 ? " (decaying to ×\(linear.secondDecay))" : "") + ".",
    ]
    if let mlp {
      notes.append(
        "MLP: one hidden ReLU layer of \(mlpWidth), Glorot-uniform, Adam, \(mlp.epochs) epochs per task, batch \(mlp.batch), rates \(mlp.firstRate) (×\(mlp.firstDecay) by the end) → \(mlp.secondRate) (×\(mlp.secondDecay))."
      )
    }
    notes.append(
      "Forgetting: mean squared error on the first task's training samples after the second task.")
    return StudyResult(
      study: xs == nil ? "regression" : "angle",
      title: xs == nil
        ? "Continual regression: \(first.label)"
        : "Forgetting against the null-space angle: \(first.label)",
      xLabel: xs == nil ? "replayed samples m" : "angle between the null spaces (degrees)",
      yLabel: "forgetting (MSE on task 1)", series: series, notes: notes)
  }

  /// One run: exact, linear and MLP forgetting at every point.
  func runOne(_ run: Int) throws -> RunValues {
    let seed = self.seed &+ UInt64(run)
    let streams = RandomStreams(seed: seed)
    var exact: [Double] = []
    var linearValues: [Double] = []
    var mlpValues: [Double] = []
    for construction in constructions {
      var sampling = streams.stream("tasks")
      let instance = try construction.instance(using: &sampling)
      let tasks = instance.sequence.tasks
      let x1 = tasks[0]
      let x2 = tasks[1]
      let y1 = instance.sequence.labels(of: 0)
      let y2 = instance.sequence.labels(of: 1)
      var choice = streams.stream("replay-choice")
      let order = choice.sampleWithoutReplacement(x1.rows, from: x1.rows)
      let experiment = try ReplayExperiment(
        sequence: instance.sequence, order: [0, 1], replayTask: 1, pool: .rows(x1), poolTask: 0,
        measure: .trainingSamples, normalization: .m25)
      for m in memories {
        guard m <= x1.rows else {
          throw TheoryError.memoryTooLarge(requested: m, available: x1.rows, task: 0)
        }
        exact.append(
          try experiment.forgetting(replayingPoolRows: Array(order.prefix(m))) / Double(x1.rows))
      }
      let first = RegressionSamples(x: x1, y: y1)
      let second = RegressionSamples(x: x2, y: y2)
      // The replayed rows and labels of each m, shared by both trained models.
      let replayed = memories.map { m in
        m > 0
          ? RegressionSamples(
            x: x1.selectingRows(order.prefix(m)), y: order.prefix(m).map { y1[$0] })
          : nil
      }
      linearValues += try forgetting(
        of: try .linear(dimension: x1.columns), first: first, second: second, replayed: replayed,
        schedule: linear, optimizer: { .sgd(learningRate: $0, momentum: 0, weightDecay: 0) },
        orders: (streams.stream(.dataOrder), streams.stream("second-task-order")))
      if let mlp {
        mlpValues += try forgetting(
          of: try .mlp(dimension: x1.columns, width: mlpWidth, streams: streams), first: first,
          second: second, replayed: replayed, schedule: mlp,
          optimizer: { .adam(learningRate: $0, weightDecay: 0) },
          orders: (streams.stream("mlp-data-order"), streams.stream("mlp-second-task-order")))
      }
    }
    return mlp == nil ? [exact, linearValues] : [exact, linearValues, mlpValues]
  }

  /// One trained model's forgetting at every memory size: `network` learns the first task once,
  /// then each memory's copy learns the second task from there with the same data order, and
  /// the first task's mean squared error is measured.
  /// - Parameter optimizer: the optimiser for a task, given the task's initial rate (a fresh
  ///   one per task: no optimiser state carries over from the first task to the second).
  private func forgetting(
    of network: RegressionNetwork, first: RegressionSamples, second: RegressionSamples,
    replayed: [RegressionSamples?], schedule: RegressionSchedule,
    optimizer: (Float) -> OptimizerSpec, orders: (RandomStream, RandomStream)
  ) throws -> [Double] {
    var order = orders.0
    try network.train(
      on: first, replaying: nil, schedule: schedule, taskIndex: 0,
      optimizer: optimizer(Float(schedule.initialRate(task: 0))), rng: &order)
    return try replayed.map { memory in
      let copy = network.copy()
      var order = orders.1
      try copy.train(
        on: second, replaying: memory, schedule: schedule, taskIndex: 1,
        optimizer: optimizer(Float(schedule.initialRate(task: 1))), rng: &order)
      return copy.meanSquaredError(on: first)
    }
  }
}
