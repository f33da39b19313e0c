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
