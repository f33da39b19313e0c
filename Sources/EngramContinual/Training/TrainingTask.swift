import EngramData
import EngramNN

/// What one task of a stream trains and evaluates on.
public struct TrainingTask: Sendable {
  /// A short name ("task 2: classes 4, 5").
  public let name: String
  /// Position in the stream (0-based).
  public let index: Int
  /// Training examples (labels already in the model's output space).
  public let train: Dataset
  /// Test examples for this task.
  public let test: Dataset
  /// Transforms applied to every batch of this task (a permutation, a rotation, …).
  public let transforms: [any Transform]
  /// The classes (output units) this task uses.
  public let classes: [Int]

  /// A task.
  public init(
    name: String, index: Int, train: Dataset, test: Dataset, transforms: [any Transform] = [],
    classes: [Int]
  ) {
    self.name = name
    self.index = index
    self.train = train
    self.test = test
    self.transforms = transforms
    self.classes = classes
  }
}

extension InputShape {
  /// The network input shape for a dataset's examples.
  public init(_ dataset: Dataset) {
    if let image = dataset.image {
      self.init(height: image.height, width: image.width, channels: image.channels)
    } else {
      self.init(features: dataset.featureCount)
    }
  }
}
