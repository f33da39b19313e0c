import EngramData
import EngramNN

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
