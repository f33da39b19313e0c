import EngramData
import EngramTestSupport
import Foundation
import Testing

@Suite("engram train")
struct TrainCommandTests {
  @Test(
    "--json on a Fashion-MNIST slice: documented keys, accuracy well above chance, identical on rerun"
  )
  func trainJSON() throws {
    try #require(Fixtures.hasFashionMNIST, "dataset-fashion-mnist is not installed")
    let folder = try Fixtures.fashionMNISTSlice(train: 2000, test: 500)
    let arguments = [
      "train", "--dataset", folder.path, "--epochs", "2", "--model", "mlp:64", "--threads", "1",
      "--json",
    ]
    let first = try CLI.run(arguments)
    #expect(first.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
    #expect(
      Set(object?.keys.map { $0 } ?? []) == ["test_accuracy", "train_loss", "seconds", "config"])
    #expect((object?["test_accuracy"] as? Double ?? 0) > 0.65)
    let config = object?["config"] as? [String: Any]
    #expect(config?["model"] as? String == "mlp:64" && config?["epochs"] as? Int == 2)
    let second = try CLI.run(arguments)
    let again = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any]
    // Same seed and thread count: bit-identical weights, hence identical numbers.
    #expect(again?["test_accuracy"] as? Double == object?["test_accuracy"] as? Double)
    #expect(again?["train_loss"] as? Double == object?["train_loss"] as? Double)
  }

  @Test("a CSV dataset trains, and --save writes a checkpoint")
  func trainCSV() throws {
    let folder = try Fixtures.temporaryDirectory()
    var rows = ["label,a,b"]
    for i in 0..<200 {
      let c = i % 2
      rows.append(
        "\(c),\(Double(c) * 3 + Double(i % 7) * 0.1),\(Double(1 - c) * 3 - Double(i % 5) * 0.1)")
    }
    let csv = folder.appendingPathComponent("two.csv")
    try rows.joined(separator: "\n").write(to: csv, atomically: true, encoding: .utf8)
    let saved = folder.appendingPathComponent("model.ckpt")
    let result = try CLI.run([
      "train", "--dataset", csv.path, "--model", "mlp:8", "--epochs", "5", "--batch", "16",
      "--save", saved.path, "--json",
    ])
    #expect(result.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect((object?["test_accuracy"] as? Double ?? 0) > 0.95)
    #expect(FileManager.default.fileExists(atPath: saved.path))
  }

  @Test("bad input: one error line naming the file and the problem, exit status 1")
  func badInput() throws {
    let folder = try Fixtures.temporaryDirectory()
    // A training image file whose header claims 4 billion images.
    try Data([0, 0, 8, 3, 0xEE, 0x6B, 0x28, 0x00, 0, 0, 0, 28, 0, 0, 0, 28]).write(
      to: folder.appendingPathComponent("train-images-idx3-ubyte"))
    for (name, dims) in [
      ("train-labels-idx1-ubyte", [1]), ("t10k-images-idx3-ubyte", [1, 28, 28]),
      ("t10k-labels-idx1-ubyte", [1]),
    ] {
      try IDXReader.write(
        IDXArray(dimensions: dims, bytes: [UInt8](repeating: 0, count: dims.reduce(1, *))),
        to: folder.appendingPathComponent(name), compress: false)
    }
    let huge = try CLI.run(["train", "--data-dir", folder.path])
    #expect(
      huge.status == 1
        && huge.stderr.hasPrefix(
          "error: train-images-idx3-ubyte: header claims dimension 0 = 4000000000")
    )
    let csv = folder.appendingPathComponent("ragged.csv")
    try "0,1,2\n1,2\n".write(to: csv, atomically: true, encoding: .utf8)
    let ragged = try CLI.run(["train", "--dataset", csv.path])
    #expect(
      ragged.stderr
        == "error: ragged.csv: line 2: has 2 fields but the first line has 3; every line needs the same columns\n"
    )
    let arch = try CLI.run(["train", "--model", "resnet50"])
    #expect(
      arch.status == 1
        && arch.stderr
          == "error: unknown architecture 'resnet50'; use one of mlp:W1,W2,… (e.g. mlp:400,400), linear, cnn, cnn:C1,C2,H\n"
    )
    let missing = try CLI.run(["train", "--dataset", "/nonexistent/folder"])
    #expect(missing.status == 1 && missing.stderr.contains("no such dataset, folder or file"))
    let cnn = try CLI.run(["train", "--dataset", csv.path, "--model", "cnn"])
    #expect(cnn.status == 1)
  }

  @Test("mismatched image and label counts are named")
  func countMismatch() throws {
    let folder = try Fixtures.temporaryDirectory()
    try IDXReader.write(
      IDXArray(dimensions: [3, 2, 2], bytes: [UInt8](repeating: 1, count: 12)),
      to: folder.appendingPathComponent("train-images-idx3-ubyte"), compress: false)
    try IDXReader.write(
      IDXArray(dimensions: [2], bytes: [0, 1]),
      to: folder.appendingPathComponent("train-labels-idx1-ubyte"), compress: false)
    try IDXReader.write(
      IDXArray(dimensions: [1, 2, 2], bytes: [1, 1, 1, 1]),
      to: folder.appendingPathComponent("t10k-images-idx3-ubyte"), compress: false)
    try IDXReader.write(
      IDXArray(dimensions: [1], bytes: [0]),
      to: folder.appendingPathComponent("t10k-labels-idx1-ubyte"), compress: false)
    let result = try CLI.run(["train", "--dataset", folder.path])
    #expect(result.status == 1)
    #expect(
      result.stderr
        == "error: train-images-idx3-ubyte holds 3 images but train-labels-idx1-ubyte holds 2 labels; use an image file and the label file that belongs to it\n"
    )
  }
}
