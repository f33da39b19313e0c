import EngramData
import EngramNN

/// Measures accuracy in inference mode, in large batches.
public final class Evaluator {
  /// The model evaluated.
  public let model: Model
  /// Examples per forward pass.
  public let batchSize: Int
  private let reader: BatchReader
  private var predictions: [Int32]

  /// An evaluator that forwards up to `batchSize` examples at a time.
  public init(model: Model, batchSize: Int = 1000) {
    self.model = model
    self.batchSize = batchSize
    model.prepare(batchCapacity: batchSize)
    reader = BatchReader(capacity: batchSize, width: model.inputWidth)
    predictions = [Int32](repeating: 0, count: batchSize)
  }

  /// Fraction of `dataset` (or of the examples at `indices`) predicted correctly, predicting
  /// among the units `mask` leaves active.
  public func accuracy(
    on dataset: Dataset, transforms: [any Transform] = [], mask: OutputMask? = nil,
    indices: [Int]? = nil
  ) -> Double {
    let pipeline =
      transforms.isEmpty ? nil : TransformPipeline(transforms, width: dataset.featureCount)
    let all = indices ?? Array(0..<dataset.count)
    guard !all.isEmpty else { return 0 }
    var correct = 0
    var start = 0
    while start < all.count {
      let chunk = all[start..<min(start + batchSize, all.count)]
      let x = reader.read(chunk, from: dataset, transforms: pipeline)
      let logits = model.forward(x, mode: .inference)
      predictions.withUnsafeMutableBufferPointer {
        SoftmaxCrossEntropy.predictions(logits: logits, mask: mask, into: $0.baseAddress!)
      }
      for i in 0..<chunk.count where predictions[i] == reader.labels[i] { correct += 1 }
      start += chunk.count
    }
    return Double(correct) / Double(all.count)
  }
}
