import EngramData
import Foundation

/// Small fixtures for tests: temporary folders and slices of real data.
public enum Fixtures {
  /// A new empty folder under the system's temporary directory.
  public static func temporaryDirectory(_ label: String = "engram") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// A new folder of four raw IDX files: 6 training images `trainSide` square and 4 test images
  /// `testSide` square, every pixel `pixel`, labels alternating 0 and 1.
  public static func idxFolder(trainSide: Int, testSide: Int, pixel: UInt8 = 9) throws -> URL {
    let folder = try temporaryDirectory("idx")
    for (prefix, side, n) in [("train", trainSide, 6), ("t10k", testSide, 4)] {
      try IDXReader.write(
        IDXArray(dimensions: [n, side, side], bytes: [UInt8](repeating: pixel, count: n * side * side)),
        to: folder.appendingPathComponent("\(prefix)-images-idx3-ubyte"), compress: false)
      try IDXReader.write(
        IDXArray(dimensions: [n], bytes: (0..<n).map { UInt8($0 % 2) }),
        to: folder.appendingPathComponent("\(prefix)-labels-idx1-ubyte"), compress: false)
    }
    return folder
  }

  /// Whether Debian's Fashion-MNIST package is installed.
  public static var hasFashionMNIST: Bool {
    FileManager.default.fileExists(atPath: IDXDataset.fashionMNISTDirectory)
  }

  /// The first `train` training and `test` test images of Fashion-MNIST, written as a folder of
  /// four gzip IDX files (so that commands read it like any dataset).
  public static func fashionMNISTSlice(train: Int, test: Int) throws -> URL {
    let data = try IDXDataset.fashionMNIST()
    let folder = try temporaryDirectory("fmnist-slice")
    try write(data.train, count: train, prefix: "train", to: folder)
    try write(data.test, count: test, prefix: "t10k", to: folder)
    return folder
  }

  private static func write(_ dataset: Dataset, count: Int, prefix: String, to folder: URL) throws {
    guard case .bytes(let bytes) = dataset.features, let image = dataset.image else { return }
    let n = min(count, dataset.count)
    try IDXReader.write(
      IDXArray(
        dimensions: [n, image.height, image.width],
        bytes: Array(bytes[0..<(n * dataset.featureCount)])),
      to: folder.appendingPathComponent("\(prefix)-images-idx3-ubyte.gz"), compress: true)
    try IDXReader.write(
      IDXArray(dimensions: [n], bytes: dataset.labels.prefix(n).map { UInt8($0) }),
      to: folder.appendingPathComponent("\(prefix)-labels-idx1-ubyte.gz"), compress: true)
  }
}
