import Foundation

/// A train/test pair of datasets from a folder of four IDX files (MNIST, Fashion-MNIST,
/// KMNIST, EMNIST, …).
public struct TrainTestData: Sendable {
  /// The training examples.
  public let train: Dataset
  /// The test examples.
  public let test: Dataset

  /// A train/test pair.
  public init(train: Dataset, test: Dataset) {
    self.train = train
    self.test = test
  }

  /// Checks that the test examples have the training examples' shape, and that `other` (another
  /// dataset of the same stream) has it too — before anything copies rows sized by one of them.
  /// - Throws: `DataError.shapeMismatch` naming both datasets and their shapes.
  public func checkShapes(against other: TrainTestData? = nil) throws {
    try Dataset.checkSameShape(train, test)
    if let other { try Dataset.checkSameShape(train, other.train) }
  }
}

extension Dataset {
  /// The example shape as messages show it: "28×28×1 images" or "16 features".
  public var shapeDescription: String {
    image.map { "\($0.height)×\($0.width)×\($0.channels) images" } ?? "\(featureCount) features"
  }

  /// Throws unless `a` and `b` have examples of the same shape.
  /// - Throws: `DataError.shapeMismatch`.
  public static func checkSameShape(_ a: Dataset, _ b: Dataset) throws {
    guard a.featureCount == b.featureCount, a.image == b.image else {
      throw DataError.shapeMismatch(
        first: a.name, firstShape: a.shapeDescription, second: b.name,
        secondShape: b.shapeDescription)
    }
  }
}

/// Finds and reads MNIST-format datasets.
public enum IDXDataset {
  /// Where Debian's `dataset-fashion-mnist` package installs Fashion-MNIST.
  public static let fashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"

  /// Fashion-MNIST from its Debian location.
  /// - Throws: `DataError.missingFiles` (with the install hint) when it is not installed.
  public static func fashionMNIST() throws -> TrainTestData {
    guard FileManager.default.fileExists(atPath: fashionMNISTDirectory) else {
      throw DataError.unreadable(
        file: fashionMNISTDirectory,
        reason:
          "Fashion-MNIST is not installed; install the Debian package dataset-fashion-mnist (sudo apt-get install dataset-fashion-mnist) or pass --dataset DIR"
      )
    }
    return try load(directory: URL(fileURLWithPath: fashionMNISTDirectory), name: "fashion-mnist")
  }

  /// Reads the four IDX files of a folder: training and test images and labels, raw or .gz.
  ///
  /// Files are recognised by name: images contain "images" or "imgs" and "idx3", labels
  /// "labels" and "idx1"; the test files contain "t10k" or "test", the others are training
  /// files (so `train-images-idx3-ubyte.gz`, `emnist-digits-test-labels-idx1-ubyte` and
  /// `train-images.idx3-ubyte` all work). The class count is the largest label + 1.
  /// - Throws: `DataError.missingFiles` naming what is missing and what was found; IDX errors;
  ///   `DataError.countMismatch`; `DataError.invalidParameter` for images that are not 2-D.
  public static func load(directory: URL, name: String? = nil) throws -> TrainTestData {
    let files: [String]
    do {
      files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    } catch {
      throw DataError.unreadable(file: directory.path, reason: "not a readable folder")
    }
    func find(_ kind: String, test: Bool) throws -> URL {
      let matches = files.filter { file in
        let f = file.lowercased()
        let isTest = f.contains("t10k") || f.contains("test")
        let isKind =
          kind == "images"
          ? (f.contains("images") || f.contains("imgs")) && f.contains("idx3")
          : f.contains("labels") && f.contains("idx1")
        return isKind && isTest == test
      }
      let role = "\(test ? "test" : "training") \(kind)"
      guard let first = matches.first else {
        throw DataError.missingFiles(directory: directory.path, missing: role, found: files)
      }
      guard matches.count == 1 else {
        throw DataError.ambiguousFiles(directory: directory.path, role: role, candidates: matches)
      }
      return directory.appendingPathComponent(first)
    }
    let label = name ?? directory.lastPathComponent
    let trainImages = try find("images", test: false)
    let trainLabels = try find("labels", test: false)
    let testImages = try find("images", test: true)
    let testLabels = try find("labels", test: true)
    let train = try pair(images: trainImages, labels: trainLabels, name: "\(label)/train")
    let test = try pair(images: testImages, labels: testLabels, name: "\(label)/test")
    guard train.images.dimensions.dropFirst() == test.images.dimensions.dropFirst() else {
      let shape = { (a: IDXArray) in a.dimensions.dropFirst().map(String.init).joined(separator: "×") }
      throw DataError.shapeMismatch(
        first: trainImages.path, firstShape: "\(shape(train.images)) images",
        second: testImages.path, secondShape: "\(shape(test.images)) images")
    }
    let classes = max(train.maxLabel, test.maxLabel) + 1
    return TrainTestData(
      train: try train.dataset(classCount: classes), test: try test.dataset(classCount: classes))
  }

  private struct Pair {
    let name: String
    let images: IDXArray
    let labels: [Int32]
    var maxLabel: Int { Int(labels.max() ?? 0) }

    func dataset(classCount: Int) throws -> Dataset {
      let h = images.dimensions[1]
      let w = images.dimensions[2]
      return try Dataset(
        name: name, features: .bytes(images.bytes), labels: labels, featureCount: h * w,
        image: ImageShape(height: h, width: w), classCount: classCount)
    }
  }

  private static func pair(images: URL, labels: URL, name: String) throws -> Pair {
    let x = try IDXReader.read(images)
    let y = try IDXReader.read(labels)
    guard x.dimensions.count == 3 else {
      throw DataError.invalidParameter(
        name: "\(images.lastPathComponent) rank", value: "\(x.dimensions.count)",
        allowed: "an image file must have 3 dimensions (count × height × width)")
    }
    guard y.dimensions.count == 1 else {
      throw DataError.invalidParameter(
        name: "\(labels.lastPathComponent) rank", value: "\(y.dimensions.count)",
        allowed: "a label file must have 1 dimension")
    }
    guard x.dimensions[0] == y.dimensions[0] else {
      throw DataError.countMismatch(
        images: images.lastPathComponent, imageCount: x.dimensions[0],
        labels: labels.lastPathComponent, labelCount: y.dimensions[0])
    }
    return Pair(name: name, images: x, labels: y.bytes.map(Int32.init))
  }
}
