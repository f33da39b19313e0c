import EngramData
import EngramNN

/// Copies batches of a dataset into a preallocated input tensor and label buffer, applying a
/// task's transforms; nothing is allocated per batch.
public final class BatchReader {
  /// Inputs of the last batch (a view of `capacity` rows).
  public let inputs: Tensor
  /// Labels of the last batch.
  public private(set) var labels: [Int32]
  /// The largest batch.
  public let capacity: Int
  private var pipelines: [Int: TransformPipeline] = [:]

  /// A reader for batches of up to `capacity` examples of `width` features.
  public init(capacity: Int, width: Int) {
    self.capacity = capacity
    inputs = Tensor(rows: capacity, columns: width)
    labels = [Int32](repeating: 0, count: capacity)
  }

  /// Fills the first `indices.count` rows from `dataset` and transforms them; returns the
  /// view of those rows.
  public func read<C: Collection>(
    _ indices: C, from dataset: Dataset, transforms: TransformPipeline?
  ) -> Tensor
  where C.Element == Int {
    precondition(indices.count <= capacity, "batch of \(indices.count) exceeds \(capacity)")
    labels.withUnsafeMutableBufferPointer {
      dataset.copyBatch(indices, into: inputs.pointer, labels: $0.baseAddress!)
    }
    transforms?.apply(to: inputs.pointer, count: indices.count)
    return inputs.prefix(rows: indices.count)
  }
}
