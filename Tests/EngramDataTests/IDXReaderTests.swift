import CZlib
import EngramData
import Foundation
import Testing

func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "engram-data-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

func write(_ bytes: [UInt8], _ name: String, in dir: URL) throws -> URL {
  let url = dir.appendingPathComponent(name)
  try Data(bytes).write(to: url)
  return url
}

/// A valid IDX image file of `count` images of 2×3 pixels, pixel value = image index.
func idxImages(count: Int) -> [UInt8] {
  [0, 0, 8, 3, 0, 0, 0, UInt8(count), 0, 0, 0, 2, 0, 0, 0, 3]
    + (0..<count).flatMap { [UInt8](repeating: UInt8($0), count: 6) }
}

@Suite("IDX reader")
struct IDXReaderTests {
  @Test("raw and gzip files round-trip")
  func roundTrip() throws {
    let dir = try temporaryDirectory()
    let array = IDXArray(dimensions: [3, 2, 2], bytes: Array(0..<12))
    for compress in [false, true] {
      let url = dir.appendingPathComponent(compress ? "a.gz" : "a")
      try IDXReader.write(array, to: url, compress: compress)
      #expect(try IDXReader.read(url) == array)
    }
  }

  @Test("wrong magic, unsupported type and absurd ranks are refused, naming the file")
  func badHeaders() throws {
    let dir = try temporaryDirectory()
    let png = try write([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0], "picture.png", in: dir)
    #expect(throws: DataError.notIDX(file: "picture.png", magic: "89 50 4E 47")) {
      try IDXReader.read(png)
    }
    let floats = try write([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0], "floats-idx1", in: dir)
    #expect(throws: DataError.unsupportedType(file: "floats-idx1", code: 0x0D)) {
      try IDXReader.read(floats)
    }
    let rank = try write([0, 0, 8, 9, 0, 0, 0, 1], "rank9", in: dir)
    #expect(throws: DataError.absurdSize(file: "rank9", field: "rank", claimed: 9, limit: 4)) {
      try IDXReader.read(rank)
    }
  }

  @Test("a header claiming billions of elements is refused before allocating")
  func absurdClaim() throws {
    let dir = try temporaryDirectory()
    // 4 000 000 000 images of 28×28 in a 16-byte file.
    let url = try write(
      [0, 0, 8, 3, 0xEE, 0x6B, 0x28, 0x00, 0, 0, 0, 28, 0, 0, 0, 28], "huge-idx3", in: dir)
    #expect(throws: DataError.self) { try IDXReader.read(url) }
    do {
      _ = try IDXReader.read(url)
    } catch let error as DataError {
      guard case .absurdSize(let file, _, _, _) = error else {
        Issue.record("expected absurdSize, got \(error)")
        return
      }
      #expect(file == "huge-idx3")
    }
    // A plausible claim that still exceeds the file: truncated, not allocated.
    let short = try write([0, 0, 8, 1, 0, 0, 0x27, 0x10, 1, 2, 3], "short-idx1", in: dir)
    #expect(
      throws: DataError.truncated(file: "short-idx1", expectedBytes: 10_008, availableBytes: 11)
    ) { try IDXReader.read(short) }
  }

  @Test("trailing bytes after the described data are an error")
  func trailing() throws {
    let dir = try temporaryDirectory()
    let url = try write(idxImages(count: 2) + [9, 9, 9], "extra-idx3", in: dir)
    #expect(throws: DataError.trailingBytes(file: "extra-idx3", count: 3)) {
      try IDXReader.read(url)
    }
  }

  @Test("truncated and corrupted gzip files are refused")
  func damagedGzip() throws {
    let dir = try temporaryDirectory()
    let good = dir.appendingPathComponent("good.gz")
    var stream: [UInt8] = []
    for i in 0..<4000 { stream.append(UInt8((i * 7919) % 251)) }
    try IDXReader.write(IDXArray(dimensions: [4000], bytes: stream), to: good, compress: true)
    let bytes = [UInt8](try Data(contentsOf: good))
    let cut = try write(Array(bytes.prefix(bytes.count / 2)), "cut.gz", in: dir)
    #expect(throws: DataError.self) { try IDXReader.read(cut) }
    var flipped = bytes
    flipped[bytes.count / 2] ^= 0xFF
    flipped[bytes.count / 2 + 1] ^= 0x55
    let corrupt = try write(flipped, "corrupt.gz", in: dir)
    do {
      _ = try IDXReader.read(corrupt)
      Issue.record("a corrupted gzip file was accepted")
    } catch let error as DataError {
      #expect("\(error)".hasPrefix("corrupt.gz: "))
    }
    var badCRC = bytes
    badCRC[bytes.count - 8] ^= 0xFF  // CRC32 lives just before ISIZE
    let crc = try write(badCRC, "crc.gz", in: dir)
    #expect(throws: DataError.self) { try IDXReader.read(crc) }
    // Every byte of data present but the 8-byte trailer cut or missing: `gzip -t` refuses it.
    for (name, keep) in [("no-trailer.gz", bytes.count - 8), ("cut-trailer.gz", bytes.count - 3)] {
      let url = try write(Array(bytes.prefix(keep)), name, in: dir)
      do {
        _ = try IDXReader.read(url)
        Issue.record("\(name): a gzip file without its full trailer was accepted")
      } catch let error as DataError {
        #expect("\(error)".hasPrefix("\(name): "))
        #expect("\(error)".contains("trailer"))
      }
    }
  }

  @Test("a missing file is named")
  func missing() {
    #expect(throws: DataError.unreadable(file: "/nonexistent/x-idx3", reason: "no such file")) {
      try IDXReader.read(URL(fileURLWithPath: "/nonexistent/x-idx3"))
    }
  }
}

@Suite("IDX datasets")
struct IDXDatasetTests {
  func makeFolder(trainImages: Int, trainLabels: Int) throws -> URL {
    let dir = try temporaryDirectory()
    _ = try write(idxImages(count: trainImages), "train-images-idx3-ubyte", in: dir)
    _ = try write(
      [0, 0, 8, 1, 0, 0, 0, UInt8(trainLabels)] + (0..<trainLabels).map { UInt8($0 % 3) },
      "train-labels-idx1-ubyte", in: dir)
    try IDXReader.write(
      IDXArray(dimensions: [2, 2, 3], bytes: [UInt8](repeating: 7, count: 12)),
      to: dir.appendingPathComponent("t10k-images-idx3-ubyte.gz"), compress: true)
    try IDXReader.write(
      IDXArray(dimensions: [2], bytes: [1, 2]),
      to: dir.appendingPathComponent("t10k-labels-idx1-ubyte.gz"), compress: true)
    return dir
  }

  @Test("a folder of four IDX files (raw and .gz mixed) loads as train and test")
  func loadsFolder() throws {
    let data = try IDXDataset.load(
      directory: try makeFolder(trainImages: 4, trainLabels: 4), name: "toy")
    #expect(data.train.count == 4 && data.test.count == 2)
    #expect(data.train.image == ImageShape(height: 2, width: 3))
    #expect(data.train.classCount == 3 && data.train.labels == [0, 1, 2, 0])
    #expect(data.train.example(3) == [Float](repeating: 3 / 255, count: 6))
  }

  @Test("image and label counts must agree")
  func countMismatch() throws {
    let dir = try makeFolder(trainImages: 4, trainLabels: 3)
    #expect(
      throws: DataError.countMismatch(
        images: "train-images-idx3-ubyte", imageCount: 4, labels: "train-labels-idx1-ubyte",
        labelCount: 3)
    ) {
      try IDXDataset.load(directory: dir)
    }
  }

  @Test("a folder without the files says which are missing and what it found")
  func missingFiles() throws {
    let dir = try temporaryDirectory()
    _ = try write([1], "readme.txt", in: dir)
    #expect(
      throws: DataError.missingFiles(
        directory: dir.path, missing: "training images", found: ["readme.txt"])
    ) {
      try IDXDataset.load(directory: dir)
    }
  }

  @Test(
    "Fashion-MNIST from the Debian package: 60 000 + 10 000 images of 28×28, 10 balanced classes")
  func fashionMNIST() throws {
    try #require(
      FileManager.default.fileExists(atPath: IDXDataset.fashionMNISTDirectory),
      "dataset-fashion-mnist is not installed")
    let data = try IDXDataset.fashionMNIST()
    #expect(data.train.count == 60_000 && data.test.count == 10_000)
    #expect(data.train.image == ImageShape(height: 28, width: 28) && data.train.classCount == 10)
    #expect(data.train.classCounts == [Int](repeating: 6000, count: 10))
    #expect(data.test.classCounts == [Int](repeating: 1000, count: 10))
    // The first training image is an ankle boot (class 9), as in every copy of the dataset.
    #expect(data.train.labels[0] == 9)
  }

  @Test("a gzip file of several members (as cat a.gz b.gz makes) reads like one")
  func multiMemberGzip() throws {
    let dir = try temporaryDirectory()
    let raw = dir.appendingPathComponent("raw-idx1")
    let values = (0..<5000).map { UInt8(($0 * 31) % 256) }
    try IDXReader.write(IDXArray(dimensions: [5000], bytes: values), to: raw, compress: false)
    let bytes = [UInt8](try Data(contentsOf: raw))
    let joined = dir.appendingPathComponent("joined-idx1.gz")
    // Three members, each its own gzip stream, the way standard tools concatenate them.
    for (k, part) in [bytes[0..<7], bytes[7..<3000], bytes[3000...]].enumerated() {
      let handle = try #require(gzopen(joined.path, k == 0 ? "wb" : "ab"))
      var chunk = Array(part)
      #expect(gzwrite(handle, &chunk, UInt32(chunk.count)) == Int32(chunk.count))
      gzclose(handle)
    }
    #expect(try IDXReader.read(joined) == IDXArray(dimensions: [5000], bytes: values))
    // A lying header in a small gzip file is truncated, found by reading, not by allocating.
    var lie = bytes
    lie[4...7] = [0x7F, 0xFF, 0xFF, 0xFF]
    let liar = dir.appendingPathComponent("liar-idx1.gz")
    let handle = try #require(gzopen(liar.path, "wb"))
    #expect(gzwrite(handle, &lie, UInt32(lie.count)) == Int32(lie.count))
    gzclose(handle)
    #expect(
      throws: DataError.truncated(
        file: "liar-idx1.gz", expectedBytes: 8 + 0x7FFF_FFFF, availableBytes: 5008)
    ) { try IDXReader.read(liar) }
  }

}
