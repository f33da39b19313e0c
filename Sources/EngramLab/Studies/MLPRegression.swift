import EngramLinalg
import EngramNN
import EngramRandom
import EngramTheory

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
