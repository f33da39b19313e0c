import ArgumentParser
import EngramData
import EngramRandom
import Foundation

/// Resolves `--dataset`: `fashion-mnist` (the Debian package), a folder of four IDX files, or a
/// CSV file (label in the first column; 20 % held out as the test set, chosen by the seed).
enum DatasetResolver {
  static func load(_ name: String, seed: UInt64) throws -> TrainTestData {
    if name == "fashion-mnist" { return try IDXDataset.fashionMNIST() }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: name, isDirectory: &isDirectory) else {
      throw CommandError(
        message:
          "--dataset \(name): no such dataset, folder or file; use fashion-mnist, a folder of IDX files, or a .csv file"
      )
    }
    if isDirectory.boolValue { return try IDXDataset.load(directory: URL(fileURLWithPath: name)) }
    guard name.lowercased().hasSuffix(".csv") else {
      throw CommandError(
        message:
          "--dataset \(name): a file must be CSV (.csv); for IDX files pass the folder holding them"
      )
    }
    let all = try CSVDataset.read(URL(fileURLWithPath: name)).dataset
    var stream = RandomStreams(seed: seed).stream("test-split")
    let (train, test) = try all.split(validationFraction: 0.2, using: &stream)
    return TrainTestData(train: train, test: test)
  }
}
