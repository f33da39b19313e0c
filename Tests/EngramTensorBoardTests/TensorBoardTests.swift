import EngramContinual
import EngramLab
import Foundation
import Testing

@testable import EngramTensorBoard

@Suite("TensorBoard event files")
struct TensorBoardTests {
  func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tensorboard-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test("CRC-32C matches the standard check value and the RFC 3720 vectors")
  func crc() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    #expect(CRC32C.checksum(Array(0..<32)) == 0x46DD_794E)
  }

  @Test("records round-trip; a flipped byte or a cut record is found, naming the offset")
  func framing() throws {
    let records = [Data("first".utf8), Data(), Data((0..<300).map { UInt8($0 % 256) })]
    let bytes = records.reduce(Data()) { $0 + TFRecord.frame($1) }
    #expect(try TFRecord.records(in: bytes, file: "f") == records)
    var flipped = bytes
    flipped[bytes.count - 10] ^= 0x40
    #expect(throws: TFRecordError.self) { try TFRecord.records(in: flipped, file: "f") }
    let cut = bytes.prefix(bytes.count - 2)
    #expect(throws: TFRecordError(file: "f", offset: 12 + 5 + 4 + 16, problem: "cut inside the data")) {
      try TFRecord.records(in: cut, file: "f")
    }
  }

  @Test("scalars and text written by the writer read back with their tags and steps")
  func writeAndRead() throws {
    let folder = try temporaryFolder()
    let writer = try EventFileWriter(folder: folder)
    try writer.scalar("loss/train", 0.25, step: 3)
    try writer.text("matrix", "| a | b |\n|---|---|\n| 1 | 2 |", step: 4)
    try writer.close()
    #expect(writer.url.lastPathComponent.hasPrefix("events.out.tfevents."))
    let entries = try EventFileReader.entries(writer.url)
    #expect(
      entries == [
        .init(tag: "loss/train", step: 3, scalar: 0.25, text: nil),
        .init(tag: "matrix", step: 4, scalar: nil, text: "| a | b |\n|---|---|\n| 1 | 2 |"),
      ])
  }

  @Test("a stored run becomes accuracy, loss and metric scalars and a matrix table")
  func exportRecord() throws {
    let root = try temporaryFolder()
    let matrix = AccuracyMatrix(rows: [[0.9, 0.1], [0.5, 0.8]])
    let result = ExperimentResult(
      accuracyMatrix: matrix, untrainedAccuracy: [], referenceAccuracy: nil,
      curves: ContinualEvaluation(points: [[.init(iteration: 5, accuracy: 0.7)], []], taskEnds: [10, 20]),
      taskLosses: [0.4, 0.3],
      cost: CostReport(
        seconds: 1, trainingSeconds: 1, evaluationSeconds: 0, trainingFLOPs: 0, peakMemoryBytes: 0,
        memoryBufferBytes: 0, parameterCount: 0))
    var record = RunRecord(
      kind: .network, status: .complete, runKey: "k", label: "replay", seed: 0,
      config: #"{"lr": 0.01, "strategy": "replay"}"#)
    record.result = result
    record.uid = "uid-1"
    let folder = try TensorBoardRun.export(record, id: 7, root: root)
    #expect(folder.lastPathComponent == "7-replay")
    let file = try #require(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).first {
        $0.hasPrefix("events.out.tfevents.")
      })
    let entries = try EventFileReader.entries(folder.appendingPathComponent(file))
    func scalars(_ tag: String) -> [(Int64, Double)] {
      entries.filter { $0.tag == tag }.compactMap { e in e.scalar.map { (e.step, $0) } }
    }
    #expect(scalars("accuracy/task_1").map(\.0) == [10, 20])
    #expect(scalars("accuracy/task_1").map(\.1).map { ($0 * 1e4).rounded() } == [9000, 5000])
    #expect(scalars("accuracy/task_2").map(\.0) == [20])
    #expect(scalars("accuracy/average").map { ($0.1 * 1e4).rounded() } == [9000, 6500])
    #expect(scalars("accuracy/task_1/continual").map(\.0) == [5])
    #expect(scalars("loss/task_mean").map(\.0) == [10, 20])
    #expect(scalars("metrics/average_accuracy").count == 1)
    let table = try #require(entries.first { $0.tag == "accuracy_matrix" }?.text)
    #expect(table.contains("| 2 | 0.5000 | 0.8000 |"))
    #expect(entries.first { $0.tag == "config" }?.text?.contains("| strategy | replay |") == true)
    // The same run again adds a file to its own folder; another run's folder is refused.
    _ = try TensorBoardRun.export(record, id: 7, root: root)
    record.uid = "uid-2"
    #expect(throws: OutputFileError.self) { try TensorBoardRun.export(record, id: 7, root: root) }
  }

  @Test("a long-stream run becomes per-task online, task-end and diagnostics series, no matrix")
  func exportLongStream() throws {
    let root = try temporaryFolder()
    var result = ExperimentResult(
      accuracyMatrix: AccuracyMatrix(rows: []), untrainedAccuracy: [], referenceAccuracy: nil,
      curves: nil, taskLosses: [0.4, 0.3, 0.2],
      cost: CostReport(
        seconds: 1, trainingSeconds: 1, evaluationSeconds: 0, trainingFLOPs: 0, peakMemoryBytes: 0,
        memoryBufferBytes: 0, parameterCount: 0))
    result.onlineAccuracy = [0.5, 0.6, 0.7]
    result.taskEndAccuracy = [0.55, 0.65, 0.75]
    result.diagnostics = (0..<3).map {
      TaskDiagnostics(
        task: $0, dormantFraction: [0.1, 0.3], deadFraction: [0, 0], effectiveRank: [4, 6],
        srank: [5, 7], featureNorm: [1, 1], weightMagnitude: [0.1], gradientNorm: [1],
        plasticity: $0 == 1 ? nil : 0.8)
    }
    var record = RunRecord(
      kind: .network, status: .complete, runKey: "k", label: "cbp", seed: 0,
      config: #"{"benchmark": "online-permuted"}"#)
    record.result = result
    record.uid = "uid-long"
    let folder = try TensorBoardRun.export(record, id: 3, root: root)
    let file = try #require(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).first {
        $0.hasPrefix("events.out.tfevents.")
      })
    let entries = try EventFileReader.entries(folder.appendingPathComponent(file))
    func scalars(_ tag: String) -> [(Int64, Double)] {
      entries.filter { $0.tag == tag }.compactMap { e in e.scalar.map { (e.step, $0) } }
    }
    #expect(scalars("online/accuracy").map(\.0) == [1, 2, 3])
    #expect(scalars("online/accuracy").map { ($0.1 * 100).rounded() } == [50, 60, 70])
    #expect(scalars("online/task_end_accuracy").count == 3)
    #expect(scalars("diagnostics/dormant_fraction").map { ($0.1 * 100).rounded() } == [20, 20, 20])
    #expect(scalars("diagnostics/effective_rank").map(\.1) == [5, 5, 5])
    #expect(scalars("diagnostics/plasticity").map(\.0) == [1, 3])
    #expect(!entries.contains { $0.tag == "accuracy_matrix" })
  }
}
