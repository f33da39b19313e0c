import EngramData
import EngramNN

/// Measures a stream task's test accuracy with a predictor, in large batches.
public final class Evaluator {
  /// The stream evaluated.
  public let stream: TaskStream
  /// Examples per forward pass.
  public let batchSize: Int
  private let reader: StreamBatchReader
  private let inputs: Tensor
  private var labels: [Int32]
  private var predictions: [Int32]

  /// An evaluator that forwards up to `batchSize` examples at a time through `model`.
  public init(stream: TaskStream, model: Model, batchSize: Int = 1000) {
    self.stream = stream
    self.batchSize = batchSize
    model.prepare(batchCapacity: batchSize)
    reader = StreamBatchReader(stream: stream)
    inputs = Tensor(rows: batchSize, columns: model.inputWidth)
    labels = [Int32](repeating: 0, count: batchSize)
    predictions = [Int32](repeating: 0, count: batchSize)
  }

  /// Accuracy on task `task`'s test set (or the examples at `indices`) after training up to
  /// `stage`, predicting among the scenario's evaluation units.
  public func accuracy(task: Int, stage: Int, predictor: any Predictor, indices: [Int]? = nil)
    -> Double
  {
    let all = indices ?? stream.testIndices(task: task)
    guard !all.isEmpty else { return 0 }
    let mask = stream.evaluationMask(task: task, stage: stage)
    var correct = 0
    var start = 0
    while start < all.count {
      let chunk = all[start..<min(start + batchSize, all.count)].map {
        ExampleReference(task: task, index: $0)
      }
      labels.withUnsafeMutableBufferPointer {
        reader.read(chunk, into: inputs, start: 0, labels: $0.baseAddress!, test: true)
      }
      predictions.withUnsafeMutableBufferPointer {
        predictor.predict(inputs.prefix(rows: chunk.count), mask: mask, into: $0.baseAddress!)
      }
      for i in 0..<chunk.count where predictions[i] == labels[i] { correct += 1 }
      start += chunk.count
    }
    return Double(correct) / Double(all.count)
  }
}
