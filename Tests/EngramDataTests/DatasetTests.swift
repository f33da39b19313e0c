import EngramData
import EngramRandom
import EngramTestSupport
import Foundation
import Testing

@Suite("Datasets, CSV and synthetic data")
struct DatasetTests {
  func tiny() throws -> Dataset {
    try Dataset(
      name: "tiny", features: .bytes([0, 255, 51, 102, 10, 20, 30, 40]), labels: [0, 1, 1, 2],
      featureCount: 2, classCount: 3)
  }

  @Test("batches convert bytes to floats in [0, 1] and carry labels")
  func batches() throws {
    let data = try tiny()
    var x = [Float](repeating: -1, count: 4)
    var y = [Int32](repeating: -1, count: 2)
    x.withUnsafeMutableBufferPointer { xp in
      y.withUnsafeMutableBufferPointer { yp in
        data.copyBatch([1, 0], into: xp.baseAddress!, labels: yp.baseAddress!)
      }
    }
    #expect(x == [0.2, 0.4, 0, 1])
    #expect(y == [1, 0])
  }

  @Test("class filters, index selection and splits keep examples and labels together")
  func subsets() throws {
    let data = try tiny()
    let ones = try data.filtering(classes: [1])
    #expect(ones.count == 2 && ones.labels == [1, 1] && ones.example(0) == [0.2, 0.4])
    #expect(throws: DataError.self) { try data.filtering(classes: [7]) }
    var stream = RandomStream(seed: 1)
    let (train, validation) = try data.split(validationFraction: 0.25, using: &stream)
    #expect(train.count == 3 && validation.count == 1)
    #expect(
      Set(train.labels + validation.labels) == Set(data.labels)
        || train.labels.count + validation.labels.count == 4)
    #expect(throws: DataError.self) { try data.split(validationFraction: 0, using: &stream) }
  }

  @Test("labels outside the class range and sizes that disagree are refused")
  func validation() {
    #expect(throws: DataError.self) {
      try Dataset(name: "x", features: .bytes([1, 2]), labels: [5], featureCount: 2, classCount: 3)
    }
    #expect(throws: DataError.self) {
      try Dataset(
        name: "x", features: .bytes([1, 2, 3]), labels: [0], featureCount: 2, classCount: 3)
    }
  }

  @Test("CSV with a header and named classes")
  func csvNamed() throws {
    let dir = try temporaryDirectory()
    let url = dir.appendingPathComponent("flowers.csv")
    try "species,petal,sepal\nrose,1.5,2\ntulip,0.5,1\nrose,1.25,3\n".write(
      to: url, atomically: true, encoding: .utf8)
    let result = try CSVDataset.read(url)
    #expect(result.classNames == ["rose", "tulip"])
    #expect(result.dataset.labels == [0, 1, 0])
    #expect(result.dataset.example(2) == [1.25, 3])
    let byName = try CSVDataset.read(url, labelColumn: .named("species"))
    #expect(byName.dataset.featureCount == 2)
  }

  @Test("CSV without a header, label last, integer classes")
  func csvIntegers() throws {
    let dir = try temporaryDirectory()
    let url = dir.appendingPathComponent("data.csv")
    try "0.1,0.2,2\n0.3,0.4,0\n".write(to: url, atomically: true, encoding: .utf8)
    let result = try CSVDataset.read(url, labelColumn: .last)
    #expect(result.dataset.labels == [2, 0] && result.dataset.classCount == 3)
    #expect(result.dataset.example(0) == [0.1, 0.2])
  }

  @Test(
    "bad CSV rows are named by line and column",
    arguments: [
      (
        "1,2,3\n4,5\n",
        "bad.csv: line 2: has 2 fields but the first line has 3; every line needs the same columns"
      ),
      (
        "label,a\n0,1\n1,x\n",
        "bad.csv: line 3, column 2: 'x' is not a finite number; feature columns must be numeric"
      ),
      ("", "bad.csv: line 1: the file is empty; give a label column and feature columns"),
      (
        "0\n1\n",
        "bad.csv: line 1: has 1 column; a CSV dataset needs a label column and at least one feature column"
      ),
    ])
  func csvErrors(text: String, message: String) throws {
    let dir = try temporaryDirectory()
    let url = dir.appendingPathComponent("bad.csv")
    try text.write(to: url, atomically: true, encoding: .utf8)
    do {
      _ = try CSVDataset.read(url)
      Issue.record("accepted a bad CSV")
    } catch let error as DataError {
      #expect(error.description == message)
    }
  }

  @Test("synthetic images are deterministic per seed and shaped like MNIST")
  func synthetic() throws {
    var a = RandomStream(seed: 3)
    var b = RandomStream(seed: 3)
    let first = try SyntheticData.images(examplesPerClass: 5, using: &a)
    #expect(first == (try SyntheticData.images(examplesPerClass: 5, using: &b)))
    #expect(first.count == 50 && first.classCounts == [Int](repeating: 5, count: 10))
    #expect(first.image == ImageShape(height: 28, width: 28))
    var c = RandomStream(seed: 4)
    let clusters = try SyntheticData.gaussianClusters(
      classes: 3, dimension: 5, examplesPerClass: 4, using: &c)
    #expect(clusters.count == 12 && clusters.featureCount == 5)
  }
}

@Suite("Shapes across files")
struct ShapeAgreementTests {
  @Test("test images of another size than the training images are refused, naming both files")
  func trainTestMismatch() throws {
    for side in [56, 200, 14] {
      let dir = try Fixtures.idxFolder(trainSide: 28, testSide: side)
      do {
        _ = try IDXDataset.load(directory: dir)
        Issue.record("accepted \(side)×\(side) test images next to 28×28 training images")
      } catch let error as DataError {
        #expect(
          error.description.contains("t10k-images-idx3-ubyte holds \(side)×\(side) images")
            || error.description.contains("train-images-idx3-ubyte holds 28×28 images"),
          "\(error)")
      }
    }
    #expect(try IDXDataset.load(directory: try Fixtures.idxFolder(trainSide: 28, testSide: 28)).test.count == 4)
  }

  @Test("datasets of one stream must share a shape")
  func streamMismatch() throws {
    let small = try IDXDataset.load(directory: try Fixtures.idxFolder(trainSide: 8, testSide: 8))
    let large = try IDXDataset.load(directory: try Fixtures.idxFolder(trainSide: 9, testSide: 9))
    #expect(throws: DataError.self) { try small.checkShapes(against: large) }
    #expect(throws: DataError.self) {
      try TrainTestData(train: small.train, test: large.test).checkShapes()
    }
    try small.checkShapes(against: small)
  }
}
