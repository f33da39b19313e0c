import EngramContinual
import EngramNN
import EngramRandom
import EngramTheory

/// A network fitted to real-valued targets by minibatch steps on squared error: the trained
/// models of the regression study (reference/replay-theory.md §4.1).
///
/// The trainer of EngramContinual runs classification streams (masked cross-entropy, tasks of
/// labelled examples); the study's tasks are regression samples with a replayed part that is
/// re-weighted, so this type holds the study's step — and only the step: the layers' forward
/// and backward, `MeanSquaredError`, and an `Optimizer` made from an `OptimizerSpec`, the same
/// code every other run uses.
struct RegressionNetwork {
  /// The network.
  let model: Model
  /// The parameters the optimiser moves (the rest keep their initial values).
  let trainable: Range<Int>
  /// What the model is called in messages ("linear", "MLP").
  let name: String

  /// The theory's model, x ↦ xᵀw without bias, from w = 0.
  ///
  /// Built as one Linear(d, 1) layer whose parameters are W (d values) then b; only W is
  /// trainable, so b stays at the 0 every new model starts from.
  /// - Throws: `ModelError` for a dimension below 1.
  static func linear(dimension: Int) throws -> RegressionNetwork {
    let model = try Architecture.mlp(hidden: []).build(
      input: InputShape(features: dimension), outputs: 1)
    return RegressionNetwork(model: model, trainable: 0..<dimension, name: "linear")
  }

  /// A one-hidden-layer ReLU network with one output, Glorot-uniform from stream
  /// `.initialization` of `streams`; every parameter trainable.
  /// - Throws: `ModelError` for a dimension or width below 1.
  static func mlp(dimension: Int, width: Int, streams: RandomStreams) throws -> RegressionNetwork {
    let model = try Architecture.mlp(hidden: [width]).build(
      input: InputShape(features: dimension), outputs: 1)
    model.initialize(.xavierUniform, streams: streams)
    return RegressionNetwork(model: model, trainable: 0..<model.parameterCount, name: "MLP")
  }

  /// An independent copy with the same parameters.
  func copy() -> RegressionNetwork {
    RegressionNetwork(model: model.clone(), trainable: trainable, name: name)
  }

  /// Trains on `task` for the schedule's epochs — plus, in every step, min(batch, m) rows of
  /// `memory` — with the loss mean over the new rows of (f(x) − y)² + mean over the replayed
  /// rows of (f(x) − y)², so the replayed part weighs as much as the new part (the paper's
  /// re-weighting).
  ///
  /// - Parameters:
  ///   - optimizer: a fresh optimiser is made from it for this task; its learning rate is set
  ///     at every step from `schedule` (`RegressionSchedule.rate`).
  ///   - taskIndex: 0 or 1, which of the schedule's rates applies.
  ///   - rng: the stream that orders the data and picks the replayed rows.
  /// - Throws: `TheoryError.parameterOutOfRange` naming the learning rate when the loss becomes
  ///   non-finite (checked before the step, so the parameters stay finite).
  func train(
    on task: RegressionSamples, replaying memory: RegressionSamples?,
    schedule: RegressionSchedule, taskIndex: Int, optimizer spec: OptimizerSpec,
    rng: inout RandomStream
  ) throws {
    let capacity = min(schedule.batch, task.count) + min(schedule.batch, memory?.count ?? 0)
    model.prepare(batchCapacity: capacity)
    let inputs = Tensor(rows: capacity, columns: model.inputWidth)
    let targets = Tensor(rows: capacity, columns: 1)
    let outputGradient = Tensor(rows: capacity, columns: 1)
    let optimizer = spec.make()
    let parameters = UnsafeMutableBufferPointer(rebasing: model.parameters[trainable])
    let gradients = UnsafeMutableBufferPointer(rebasing: model.gradients[trainable])
    try schedule.forEachStep(
      samples: task.count, memory: memory?.count ?? 0, task: taskIndex, rng: &rng
    ) { rows, picked, rate in
      task.copy(rows, into: inputs, targets, at: 0)
      let parts = [(start: 0, count: rows.count), (start: rows.count, count: picked.count)]
      if let memory { memory.copy(picked, into: inputs, targets, at: rows.count) }
      let output = model.forward(inputs.prefix(rows: rows.count + picked.count))
      var loss: Float = 0
      for part in parts where part.count > 0 {
        loss += MeanSquaredError.loss(
          outputs: output.rows(part.start, count: part.count),
          targets: targets.rows(part.start, count: part.count),
          gradient: outputGradient.rows(part.start, count: part.count))
      }
      guard loss.isFinite else {
        throw TheoryError.parameterOutOfRange(
          name: "\(name) learning rate", value: "\(schedule.initialRate(task: taskIndex))",
          allowed: "small enough that training does not diverge (the loss became non-finite)")
      }
      model.zeroGradients()
      model.backward(outputGradient.prefix(rows: output.rows))
      optimizer.learningRate = Float(rate)
      optimizer.step(parameters: parameters, gradients: gradients)
    }
  }

  /// Mean over the samples of (f(x) − y)², with y as given and the sum in Double.
  func meanSquaredError(on samples: RegressionSamples) -> Double {
    model.prepare(batchCapacity: samples.count)
    let output = model.forward(samples.inputs, mode: .inference)
    var total = 0.0
    for i in 0..<samples.count {
      let r = Double(output.pointer[i]) - samples.values[i]
      total += r * r
    }
    return total / Double(samples.count)
  }
}
