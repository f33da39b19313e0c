import EngramNN
import EngramRandom

/// Shared work of GEM and A-GEM: the gradient of the mean loss on memory rows, computed at the
/// current parameters without disturbing the step's gradient.
final class MemoryGradient {
  let batch: MemoryBatch
  let reader: StreamBatchReader
  let logitGradient: Tensor
  var saved: [Float]

  init(capacity: Int, model: Model, stream: TaskStream) {
    batch = MemoryBatch(capacity: capacity, width: model.inputWidth)
    reader = StreamBatchReader(stream: stream)
    logitGradient = Tensor(rows: capacity, columns: model.outputWidth)
    saved = [Float](repeating: 0, count: model.parameterCount)
  }

  /// ∇ of the mean masked cross-entropy of `slots` (into `into`); leaves `model.gradients` as
  /// it found them.
  func compute(
    _ slots: [Int], memory: ReplayMemory, model: Model, current: Int, into: inout [Float]
  ) {
    let p = model.parameterCount
    saved.withUnsafeMutableBufferPointer {
      $0.baseAddress?.update(from: model.gradients.baseAddress!, count: p)
    }
    let x = batch.read(slots, from: memory, reader: reader)
    let mask = batch.masks(
      rows: x.rows, stream: reader.stream, current: current, width: model.outputWidth)
    let logits = model.forward(x, mode: .training)
    let gradient = logitGradient.prefix(rows: x.rows)
    batch.labels.withUnsafeBufferPointer {
      _ = SoftmaxCrossEntropy.loss(
        logits: logits, labels: $0.baseAddress!, mask: mask, gradient: gradient)
    }
    model.zeroGradients()
    model.backward(gradient)
    if into.count != p { into = [Float](repeating: 0, count: p) }
    into.withUnsafeMutableBufferPointer {
      $0.baseAddress?.update(from: model.gradients.baseAddress!, count: p)
    }
    saved.withUnsafeBufferPointer {
      model.gradients.baseAddress?.update(from: $0.baseAddress!, count: p)
    }
  }
}
