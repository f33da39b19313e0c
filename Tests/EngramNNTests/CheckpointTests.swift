import EngramNN
import EngramRandom
import Foundation
import Testing

func checkpointURL() throws -> URL {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
    "engram-ckpt-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  return dir.appendingPathComponent("model.ckpt")
}

@Suite("Checkpoints")
struct CheckpointTests {
  @Test("a model and its optimiser round-trip exactly, and nothing temporary is left behind")
  func roundTrip() throws {
    let model = try tinyModel()
    let sgd = SGD(learningRate: 0.1, momentum: 0.9)
    model.gradients.update(repeating: 0.5)
    sgd.step(parameters: model.parameters, gradients: model.gradients)
    var checkpoint = Checkpoint()
    checkpoint.metadata["step"] = "1"
    model.save(into: &checkpoint, optimizer: sgd)
    let url = try checkpointURL()
    try CheckpointFile.write(checkpoint, to: url)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path) == [
        "model.ckpt"
      ])
    let fresh = try tinyModel(seed: 99)
    let freshSGD = SGD(learningRate: 0.1, momentum: 0.9)
    let loaded = try CheckpointFile.read(from: url)
    try fresh.load(from: loaded, file: "model.ckpt", optimizer: freshSGD)
    #expect(fresh.parameterArray == model.parameterArray)
    #expect(freshSGD.state == sgd.state && loaded.metadata["step"] == "1")
  }

  @Test("a flipped byte, a truncated file and another format version are refused")
  func corruption() throws {
    var checkpoint = Checkpoint()
    try tinyModel().save(into: &checkpoint)
    let bytes = try CheckpointFile.encode(checkpoint)
    var flipped = bytes
    flipped[bytes.count / 2] ^= 1
    #expect(throws: ModelError.checkpointCorrupt(file: "x.ckpt", reason: "checksum mismatch")) {
      try CheckpointFile.decode(flipped, file: "x.ckpt")
    }
    #expect(throws: ModelError.self) {
      try CheckpointFile.decode(Array(bytes.prefix(bytes.count - 10)), file: "x.ckpt")
    }
    #expect(
      throws: ModelError.checkpointCorrupt(
        file: "x.ckpt", reason: "it does not start with the Engram checkpoint marker")
    ) {
      try CheckpointFile.decode(Array("not a checkpoint at all".utf8), file: "x.ckpt")
    }
  }

  @Test("a checkpoint of another architecture is refused, naming the field")
  func mismatch() throws {
    var checkpoint = Checkpoint()
    try tinyModel("mlp:6,5").save(into: &checkpoint)
    #expect(
      throws: ModelError.checkpointMismatch(
        file: "m.ckpt", field: "architecture", expected: "mlp:7,5", found: "mlp:6,5")
    ) {
      try tinyModel("mlp:7,5").load(from: checkpoint, file: "m.ckpt")
    }
    #expect(
      throws: ModelError.checkpointMismatch(
        file: "m.ckpt", field: "outputWidth", expected: "4", found: "3")
    ) {
      try tinyModel("mlp:6,5", classes: 4).load(from: checkpoint, file: "m.ckpt")
    }
  }
}

@Suite("Checkpoint writes")
struct CheckpointWriteTests {
  @Test("a checkpoint that cannot be written says so (not that it cannot be read)")
  func unwritable() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "engram-unwritable-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("plain")
    try Data("x".utf8).write(to: file)
    var checkpoint = Checkpoint()
    checkpoint.setInts([1, 2, 3], for: "numbers")
    do {
      try CheckpointFile.write(checkpoint, to: file.appendingPathComponent("run.ckpt"))
      Issue.record("wrote under a file")
    } catch let error as ModelError {
      #expect("\(error)".contains("cannot write the checkpoint"), "\(error)")
    }
  }
}
