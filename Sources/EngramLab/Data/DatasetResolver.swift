import EngramData
import EngramRandom
import Foundation

/// Resolves a dataset name: `fashion-mnist` (Debian's package), `synthetic` (generated 28×28
/// images of 10 classes, for machines without the dataset), a folder of four IDX files, or a
/// CSV file (label in the first column; 20 % held out as the test set, chosen by the seed).
public enum DatasetResolver {
  /// The train/test data for `name`.
  /// - Throws: `ConfigError.invalidValue` for a name that is none of these; data errors.
  public static func load(_ name: String, seed: UInt64) throws -> TrainTestData {
    if name == "fashion-mnist" { return try IDXDataset.fashionMNIST() }
    if name == "synthetic" { return try synthetic() }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: name, isDirectory: &isDirectory) else {
      throw ConfigError.invalidValue(
        key: "dataset", value: name,
        expected:
          "fashion-mnist, a folder of IDX files, or a .csv file (no such dataset, folder or file)")
    }
    if isDirectory.boolValue { return try IDXDataset.load(directory: URL(fileURLWithPath: name)) }
    guard name.lowercased().hasSuffix(".csv") else {
      throw ConfigError.invalidValue(
        key: "dataset", value: name, expected: "a .csv file, or the folder holding IDX files")
    }
    let all = try CSVDataset.read(URL(fileURLWithPath: name)).dataset
    // 20 % rounded must leave at least one example on each side.
    guard all.count >= 3 else {
      throw DataError.tooFewExamples(
        file: name, count: all.count, needed: 3,
        why: "holding out 20 % as the test set (one example at least on each side)")
    }
    var stream = RandomStreams(seed: seed).stream("test-split")
    let (train, test) = try all.split(validationFraction: 0.2, using: &stream)
    return TrainTestData(train: train, test: test)
  }

  /// Whether Fashion-MNIST is installed.
  public static var hasFashionMNIST: Bool {
    FileManager.default.fileExists(atPath: IDXDataset.fashionMNISTDirectory)
  }

  /// 10 classes of generated 28 × 28 images, 6 000 training and 1 000 test examples, always
  /// the same (seed 0): blob patterns shifted and scaled (`SyntheticData.images`).
  public static func synthetic() throws -> TrainTestData {
    var stream = RandomStreams(seed: 0).stream("synthetic-images")
    let all = try SyntheticData.images(
      classes: 10, examplesPerClass: 700, name: "synthetic", using: &stream)
    let (train, test) = try all.split(validationFraction: 1.0 / 7, using: &stream)
    return TrainTestData(train: train, test: test)
  }
}
