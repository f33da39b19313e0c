import EngramRandom

/// The geometry of image examples, stored channels-last (height × width × channels) per row.
public struct ImageShape: Sendable, Equatable, Codable {
  /// Rows of pixels.
  public let height: Int
  /// Columns of pixels.
  public let width: Int
  /// Channels per pixel.
  public let channels: Int

  /// An image shape.
  public init(height: Int, width: Int, channels: Int = 1) {
    self.height = height
    self.width = width
    self.channels = channels
  }

  /// Features per image.
  public var featureCount: Int { height * width * channels }
}

/// Labelled examples in one contiguous buffer, one example per row.
///
/// Images stay as `UInt8` (a quarter of the memory of `Float`) and are converted to `Float`
/// in [0, 1] only when a batch is copied out (`copyBatch`). Features read from CSV stay
/// `Float`. Labels are class indices 0..<classCount.
public struct Dataset: Sendable, Equatable {
  /// Row-major example features.
  public enum Features: Sendable, Equatable {
    /// Bytes scaled by 1/255 on the way out (images).
    case bytes([UInt8])
    /// Floats used as they are.
    case floats([Float])
  }

  /// A short name for messages and reports ("fashion-mnist/train").
  public let name: String
  /// The features, `count × featureCount`.
  public let features: Features
  /// The class of each example.
  public let labels: [Int32]
  /// Features per example.
  public let featureCount: Int
  /// The image geometry, when the examples are images.
  public let image: ImageShape?
  /// The number of classes (labels lie in 0..<classCount).
  public let classCount: Int

  /// Creates a dataset, checking that sizes and labels agree.
  /// - Throws: `DataError.invalidParameter` when the feature buffer is not count × featureCount,
  ///   the image shape does not match featureCount, or a label is outside 0..<classCount.
  public init(
    name: String, features: Features, labels: [Int32], featureCount: Int, image: ImageShape? = nil,
    classCount: Int
  ) throws {
    let stored: Int
    switch features {
    case .bytes(let b): stored = b.count
    case .floats(let f): stored = f.count
    }
    guard featureCount > 0, stored == labels.count * featureCount else {
      throw DataError.invalidParameter(
        name: "\(name) features", value: "\(stored) values",
        allowed: "must be \(labels.count) examples × \(featureCount) features")
    }
    if let image, image.featureCount != featureCount {
      throw DataError.invalidParameter(
        name: "\(name) image shape", value: "\(image.height)×\(image.width)×\(image.channels)",
        allowed: "must have \(featureCount) features")
    }
    if let bad = labels.first(where: { $0 < 0 || Int($0) >= classCount }) {
      throw DataError.invalidParameter(
        name: "\(name) label", value: "\(bad)", allowed: "labels must lie in 0..<\(classCount)")
    }
    self.init(
      unchecked: name, features: features, labels: labels, featureCount: featureCount,
      image: image, classCount: classCount)
  }

  /// Number of examples.
  public var count: Int { labels.count }

  /// Bytes used by the features (what a replay memory of these examples would cost).
  public var bytesPerExample: Int {
    if case .bytes = features { return featureCount }
    return featureCount * MemoryLayout<Float>.size
  }

  /// Copies the examples at `indices` as Float rows into `x` (indices.count × featureCount)
  /// and their labels into `y`. Bytes become x/255.
  public func copyBatch<C: Collection>(
    _ indices: C, into x: UnsafeMutablePointer<Float>, labels y: UnsafeMutablePointer<Int32>
  ) where C.Element == Int {
    let width = featureCount
    var row = 0
    switch features {
    case .bytes(let bytes):
      bytes.withUnsafeBufferPointer { source in
        Dataset.byteScale.withUnsafeBufferPointer { scale in
          for i in indices {
            let from = source.baseAddress! + i * width
            let to = x + row * width
            for j in 0..<width { to[j] = scale[Int(from[j])] }
            y[row] = labels[i]
            row += 1
          }
        }
      }
    case .floats(let floats):
      floats.withUnsafeBufferPointer { source in
        for i in indices {
          (x + row * width).update(from: source.baseAddress! + i * width, count: width)
          y[row] = labels[i]
          row += 1
        }
      }
    }
  }

  /// b/255 for every byte value, correctly rounded (a table lookup beats a divide per pixel).
  public static let byteScale: [Float] = (0..<256).map { Float($0) / 255 }

  /// The features of example `i` as Floats (for tests and small tools).
  public func example(_ i: Int) -> [Float] {
    var row = [Float](repeating: 0, count: featureCount)
    var label: Int32 = 0
    row.withUnsafeMutableBufferPointer { copyBatch([i], into: $0.baseAddress!, labels: &label) }
    return row
  }
}
