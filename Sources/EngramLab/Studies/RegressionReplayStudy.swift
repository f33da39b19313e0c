import EngramLinalg
import EngramNN
import EngramRandom
import EngramTheory
import Foundation

/// How one model is trained on one regression task: epochs, batch size, learning rate and an
/// exponential decay that multiplies the rate by `decay` over the task (Keras' ExponentialDecay
/// with decay_steps = the task's steps; 1 = constant).
public struct RegressionSchedule: Sendable, Equatable, Codable {
  /// Passes over the task's samples.
  public var epochs: Int
  /// Samples per step (new part; the replayed part adds min(batch, m)).
  public var batch: Int
  /// Rate on the first task.
  public var firstRate: Double
  /// Rate on the second task.
  public var secondRate: Double
  /// Factor the rate reaches by the end of the first task.
  public var firstDecay: Double
  /// Factor the rate reaches by the end of the second task.
  public var secondDecay: Double

  /// A schedule.
  public init(
    epochs: Int, batch: Int, firstRate: Double, secondRate: Double, firstDecay: Double = 1,
    secondDecay: Double = 1
  ) {
    self.epochs = epochs
    self.batch = batch
    self.firstRate = firstRate
    self.secondRate = secondRate
    self.firstDecay = firstDecay
    self.secondDecay = secondDecay
  }

  func rate(task: Int, step: Int, of total: Int) -> Double {
    let (base, decay) = task == 0 ? (firstRate, firstDecay) : (secondRate, secondDecay)
    return base * pow(decay, Double(step) / Double(max(1, total)))
  }

  /// Calls `body(rows, replayed, rate)` for every step of a task of `n` samples: the new rows
  /// (a shuffled pass per epoch, in batches), min(batch, memory) replayed rows drawn without
  /// replacement (all when the memory is that small) and the step's learning rate.
  func forEachStep(
    samples n: Int, memory: Int, task: Int, rng: inout RandomStream,
    _ body: (ArraySlice<Int>, ArraySlice<Int>, Double) throws -> Void
  ) rethrows {
    let b = min(batch, n)
    let total = (n + b - 1) / b * epochs
    var order = Array(0..<n)
    var memoryOrder = Array(0..<memory)
    let replayBatch = min(batch, memory)
    var step = 0
    for _ in 0..<epochs {
      rng.shuffle(&order)
      var start = 0
      while start < n {
        let rows = order[start..<min(start + b, n)]
        start += rows.count
        let picked =
          replayBatch == memory
          ? memoryOrder[...] : rng.sampleWithoutReplacement(replayBatch, from: &memoryOrder)
        try body(rows, picked, rate(task: task, step: step, of: total))
        step += 1
      }
    }
  }
}

/// The paper's regression experiments (reference/replay-theory.md §4.1, Figures 1, 8 and 9):
/// two tasks of a construction, trained by SGD as a linear model from 0 and by Adam as a
/// one-hidden-layer ReLU MLP (Glorot-uniform), with m random first-task samples replayed in
/// every second-task batch (re-weighted to the new part's weight), next to the exact
/// minimum-norm value for the very same tasks and memory.
///
/// Forgetting is the mean squared error on the first task's training samples after the second
/// task (the paper's metric). The exact value is the theory engine's training-sample forgetting
/// divided by n₁.
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
  /// - Throws: construction errors (`TheoryError`), `TrainingError.nonFiniteLoss` when a
  ///   learning rate makes training diverge.
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
      // The replayed rows and labels of each m, shared by both trained models.
      let replayed = memories.map { m in
        m > 0 ? (x1.selectingRows(order.prefix(m)), order.prefix(m).map { y1[$0] }) : nil
      }
      // Linear model: w₁ once, then task 2 per memory from w₁, same data order for each.
      var w = [Double](repeating: 0, count: x1.columns)
      var order1 = streams.stream(.dataOrder)
      try LinearSGD.train(
        &w, x: x1, y: y1, memory: nil, schedule: linear, task: 0, rng: &order1)
      for memory in replayed {
        var v = w
        var order2 = streams.stream("second-task-order")
        try LinearSGD.train(
          &v, x: x2, y: y2, memory: memory, schedule: linear, task: 1, rng: &order2)
        linearValues.append(LinearSGD.meanSquaredError(v, x: x1, y: y1))
      }
      if let mlp {
        let trainer = MLPRegression(dimension: x1.columns, width: mlpWidth, streams: streams)
        var order1 = streams.stream("mlp-data-order")
        try trainer.train(
          trainer.model, x: x1, y: y1, memory: nil, schedule: mlp, task: 0, rng: &order1)
        for memory in replayed {
          let copy = trainer.model.clone()
          var order2 = streams.stream("mlp-second-task-order")
          try trainer.train(
            copy, x: x2, y: y2, memory: memory, schedule: mlp, task: 1, rng: &order2)
          mlpValues.append(trainer.meanSquaredError(copy, x: x1, y: y1))
        }
      }
    }
    return mlp == nil ? [exact, linearValues] : [exact, linearValues, mlpValues]
  }
}

/// Plain SGD on ½-free squared error for a linear model without bias (the theory's model).
enum LinearSGD {
  /// Trains w on (x, y) — plus a replayed (rows, labels) part weighted like the new part —
  /// for the schedule's epochs: loss = mean over new rows + mean over replayed rows of (xᵀw − y)².
  static func train(
    _ w: inout [Double], x: Matrix<Double>, y: [Double], memory: (Matrix<Double>, [Double])?,
    schedule: RegressionSchedule, task: Int, rng: inout RandomStream
  ) throws {
    let d = x.columns
    var gradient = [Double](repeating: 0, count: d)
    try schedule.forEachStep(samples: x.rows, memory: memory?.0.rows ?? 0, task: task, rng: &rng) {
      rows, picked, rate in
      for j in 0..<d { gradient[j] = 0 }
      accumulate(&gradient, w: w, x: x, y: y, rows: rows, scale: 2 / Double(rows.count))
      if let memory, !picked.isEmpty {
        accumulate(
          &gradient, w: w, x: memory.0, y: memory.1, rows: picked,
          scale: 2 / Double(picked.count))
      }
      for j in 0..<d { w[j] -= rate * gradient[j] }
      guard w.allSatisfy(\.isFinite) else {
        throw TheoryError.parameterOutOfRange(
          name: "linear learning rate",
          value: "\(task == 0 ? schedule.firstRate : schedule.secondRate)",
          allowed: "small enough that SGD does not diverge (the weights became non-finite)")
      }
    }
  }

  /// g += scale · Σ_rows x_i (x_iᵀw − y_i).
  static func accumulate<C: Collection>(
    _ g: inout [Double], w: [Double], x: Matrix<Double>, y: [Double], rows: C, scale: Double
  ) where C.Element == Int {
    let d = x.columns
    x.withUnsafeBufferPointer { p in
      for i in rows {
        var r = -y[i]
        for j in 0..<d { r += p[i * d + j] * w[j] }
        let s = scale * r
        for j in 0..<d { g[j] += s * p[i * d + j] }
      }
    }
  }

  /// Mean over rows of (xᵀw − y)².
  static func meanSquaredError(_ w: [Double], x: Matrix<Double>, y: [Double]) -> Double {
    let d = x.columns
    return x.withUnsafeBufferPointer { p in
      var total = 0.0
      for i in 0..<x.rows {
        var r = -y[i]
        for j in 0..<d { r += p[i * d + j] * w[j] }
        total += r * r
      }
      return total / Double(x.rows)
    }
  }
}

/// A one-hidden-layer ReLU network (Glorot-uniform) fitted with Adam on squared error.
struct MLPRegression {
  let model: Model
  let dimension: Int

  init(dimension: Int, width: Int, streams: RandomStreams) {
    self.dimension = dimension
    // The architecture is valid by construction (positive widths).
    model = try! Architecture.mlp(hidden: [width]).build(
      input: InputShape(features: dimension), outputs: 1)
    model.initialize(.xavierUniform, streams: streams)
  }

  /// Trains `net` like `LinearSGD.train`, with Adam at the schedule's rates.
  func train(
    _ net: Model, x: Matrix<Double>, y: [Double], memory: (Matrix<Double>, [Double])?,
    schedule: RegressionSchedule, task: Int, rng: inout RandomStream
  ) throws {
    let d = dimension
    let memoryCount = memory?.0.rows ?? 0
    let capacity = min(schedule.batch, x.rows) + min(schedule.batch, memoryCount)
    net.prepare(batchCapacity: capacity)
    let inputs = Tensor(rows: capacity, columns: d)
    let gradient = Tensor(rows: capacity, columns: 1)
    var targets = [Float](repeating: 0, count: capacity)
    let xs = x.elements.map(Float.init)
    let ms = memory.map { $0.0.elements.map(Float.init) } ?? []
    let adam = Adam(learningRate: Float(task == 0 ? schedule.firstRate : schedule.secondRate))
    try schedule.forEachStep(samples: x.rows, memory: memoryCount, task: task, rng: &rng) {
      rows, picked, rate in
      var r = 0
      for i in rows {
        xs.withUnsafeBufferPointer {
          (inputs.pointer + r * d).update(from: $0.baseAddress! + i * d, count: d)
        }
        targets[r] = Float(y[i])
        r += 1
      }
      let newRows = r
      for i in picked {
        ms.withUnsafeBufferPointer {
          (inputs.pointer + r * d).update(from: $0.baseAddress! + i * d, count: d)
        }
        targets[r] = Float(memory?.1[i] ?? 0)
        r += 1
      }
      let output = net.forward(inputs.prefix(rows: r))
      var loss: Float = 0
      for k in 0..<r {
        let weight: Float = k < newRows ? 1 / Float(newRows) : 1 / Float(r - newRows)
        let residual = output.pointer[k] - targets[k]
        loss += weight * residual * residual
        gradient.pointer[k] = 2 * weight * residual
      }
      guard loss.isFinite else {
        throw TheoryError.parameterOutOfRange(
          name: "MLP learning rate",
          value: "\(task == 0 ? schedule.firstRate : schedule.secondRate)",
          allowed: "small enough that Adam does not diverge (the loss became non-finite)")
      }
      net.zeroGradients()
      net.backward(gradient.prefix(rows: r))
      adam.learningRate = Float(rate)
      adam.step(parameters: net.parameters, gradients: net.gradients)
    }
  }

  /// Mean over rows of (f(x) − y)².
  func meanSquaredError(_ net: Model, x: Matrix<Double>, y: [Double]) -> Double {
    net.prepare(batchCapacity: x.rows)
    let inputs = Tensor(rows: x.rows, columns: x.columns, values: x.elements.map(Float.init))
    let output = net.forward(inputs, mode: .inference)
    var total = 0.0
    for i in 0..<x.rows {
      let r = Double(output.pointer[i]) - y[i]
      total += r * r
    }
    return total / Double(x.rows)
  }
}

extension Construction {
  /// A short description with the parameters ("three-d ε = 0.2, n = 10").
  public var label: String {
    switch self {
    case .threeD(let e, let n): return "d = 3, ε = \(e), n = \(n) (Theorem C.1)"
    case .subspace(let d, let e, let n): return "d = \(d), ε = \(e), n = \(n) (Theorem 3.5)"
    case .hyperplanes(let d, _, let n): return "two hyperplanes in R^\(d), n = \(n)"
    case .twoLines(let a): return "two lines at \(a)°"
    case .worstCase(let t, let d): return "worst case, T = \(t), d = \(d)"
    case .evronIdentity(let e): return "Evron identity, ε = \(e)"
    case .evronCyclic(let k): return "Evron cyclic, k = \(k)"
    }
  }
}
