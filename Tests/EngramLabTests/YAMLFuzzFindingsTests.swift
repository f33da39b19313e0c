import EngramLab
import Foundation
import Testing

/// Inputs the run-config and sweep fuzz targets (Fuzz/) crashed on, exactly as found, and the
/// readable forms of the same classes. Each used to trap; each must now be refused.
@Suite("YAML inputs the fuzzers crashed on")
struct YAMLFuzzFindingsTests {
  /// The fuzzer's input, decoded as the fuzz target decodes it (invalid UTF-8 replaced).
  func text(base64: String) throws -> String {
    let data = try #require(Data(base64Encoded: base64))
    return String(decoding: data, as: UTF8.self)
  }

  func sweep(_ text: String) throws -> SweepDefinition {
    try SweepDefinition.parse(text, file: "s.yaml", folder: URL(fileURLWithPath: "/tmp"))
  }

  @Test("run config: a value with colons traps in Yams' sexagesimal reader (crash-792d9783)")
  func runConfigArtifact() throws {
    let yaml = try text(
      base64:
        "ZXBvY2hzOiAxeXkwMDAwMDSKNDRlNDA0ijQ0ZTQ0IHM6LTAwMDAwOmUwMDAwNIo0NGU0MDSKNDRlNDQgczotMDAwMDA6MTVwcmUgLq9wZXJtdXRlNCBzOi0wMDAwMDoxMTExMWUwMDAwOjE1cHJlIC6vcGVybXV0ZTQgczotMDAwMDA6MDoxNXAxNXByZSAur3Blcm11dGU0IHM6LTAwMDAwOjExMTExZTAwMDA6MTVwcmUgLq9wZXJtdXRlNCBzOi0wMDAwMDowOjE1cHJlMDAwMDSKNDRlNDA0ijQ0ZTQ0IHM6LTAwMDAwOjE1cHJlIC6vcGVybXV0ZTQgczotMDAwMDA6MTExMTFlMDAwMDoxNXByZSAur3Blcm11dGU0IHM6LTAwMDAwOjA6MTVwcmUgLq9wZXJtdXRlNCBzOi0wMDAwMDoxMTExMWVwMDFwIC6vcGVybXV0ZTQgczotMDAwMDA6MTExMTFlcDAxcCBlIC4uMjQ1cHJlICwuMsJ1y8uay8vfcmllZQo="
    )
    var config = RunConfig()
    #expect(throws: ConfigError.self) { try config.apply(yaml: yaml, file: "c.yaml") }
  }

  @Test("sweep: seeds with colons, the same trap (crash-a7cabc4e)")
  func sweepArtifact() throws {
    let yaml = try text(
      base64:
        "Z3JpZDoKICBtZW1vcnk6IFsxOCwgJjEwMF0Kc2VlZHM6IDo6Ojo6OCDDxTo6Lzo0OjovOjQ6Ojo68vLy8vIt8vLy8vLy8vLy8vLy8vI0Ojo6OvLy8vLyLfLy8lN1YnN0cmlu8vLy8vLy8vLy8vLy8vLy8vLy8vLyOjq6Ojo6Ojo6Ojo6Ojo6Oisx8vLy8iA6Ojo6Ojggw8U6Oi86NDo6OjorMcU6Oi86Ojo6OCDDxTo6Lzo0OCDDxTo6Lzo0Ojo6Oisx8vLy8iA6Ojo6Ojggw8U6Oi86NDo6OjorMcU6Oi86Ojo6OCDDxTo6Lzo0Ojo6OisxxTo6Lzo0Ojo6OvLy8vLyLfLy8vLy8vLy8vLy8vLyNDo6Ojry8vLy8i3y8vJTdWJzdHJpbvLy8vLy8vLy8vLy8vLy8jo6OjorMcU6Oi86NDo6Ojry8vLy8i3y8vLy8vLy8vLy8vLy8jQ6Ojo68vLy8vIt8vLyU3Vic3RyOi86NDo6OjorMcU6Oi86Ojo6OCDDxTo6Lzo0Ojo6OisxxTo6Lzo0Ojo6OvLy8vLyLfLy8vLy8vLy8vLy8vLyNDo6Ojry8vLy8i3y8vJTdWJzdGlu8vLy8vLy8vLy8vLy8vLy8vLy8vI0Ojo6OvLyOjo6Ojo6OjoxCg=="
    )
    #expect(throws: ConfigError.self) { try sweep(yaml) }
  }

  @Test(
    "numbers are YAML 1.2 integers and decimals: no base 60, no parts silently dropped",
    arguments: [
      (
        "epochs: 0:0:0:0:0:0:0:0:0:0:0",
        "epochs (c.yaml, line 1) = '0:0:0:0:0:0:0:0:0:0:0' is not valid"
      ),
      ("batch: 3:abc", "batch (c.yaml, line 1) = '3:abc' is not valid"),
      ("batch: 1:30", "batch (c.yaml, line 1) = '1:30' is not valid"),
      ("lr: 1:30.5", "lr (c.yaml, line 1) = '1:30.5' is not valid"),
      ("angles: [0, 1:30]", "angles (c.yaml, line 1) = a list is not valid"),
      ("batch: 0x-1", "batch (c.yaml, line 1) = '0x-1' is not valid"),
      (
        "batch: 99999999999999999999",
        "batch (c.yaml, line 1) = '99999999999999999999' is not valid"
      ),
    ])
  func refused(yaml: String, expected: String) {
    var config = RunConfig()
    do {
      try config.apply(yaml: yaml, file: "c.yaml")
      Issue.record("accepted \(yaml)")
    } catch {
      #expect("\(error)".hasPrefix(expected), "\(error)")
    }
  }

  @Test("decimal, signed, hexadecimal and octal integers and plain decimals still read")
  func accepted() throws {
    var config = RunConfig()
    try config.apply(
      yaml: "batch: 0x20\nepochs: 0o3\ntasks: +5\nlr: 5e-2\nangles: [0, 4.5e1, 90]\n",
      file: "c.yaml")
    #expect(config.batch == 32 && config.epochs == 3 && config.tasks == 5)
    #expect(config.lr == 0.05 && config.angles == [0, 45, 90])
  }

  @Test("sweep: seeds with colons are refused")
  func seedsWithColons() {
    #expect(throws: ConfigError.self) {
      try sweep("grid:\n  lr: [0.1]\nseeds: 1:0:0:0:0:0:0:0:0:0:0\n")
    }
  }

  @Test("sweep: a grid whose run count overflows Int is refused, not a trap")
  func gridOverflow() {
    // Twelve keys of 60 values: 60^12 > Int.max (hand-made, then run on the sweep fuzz target).
    let keys = [
      "batch", "epochs", "eval_subset", "memory_bytes", "iterations", "memory", "replay_batch",
      "agem_batch", "gdumb_epochs", "memory_per_task", "fisher_samples", "tasks",
    ]
    // Distinct values: a repeated one is refused before the count.
    let values = (1...60).map(String.init).joined(separator: ",")
    let yaml = "grid:\n" + keys.map { "  \($0): [\(values)]\n" }.joined()
    do {
      _ = try sweep(yaml)
      Issue.record("accepted a grid of 60^12 runs")
    } catch {
      #expect(
        "\(error)"
          == "sweep s.yaml = more runs than can be counted is not valid: expected at most 100000 runs; split the study or shrink the grid"
      )
    }
  }
}
