import EngramNN
import Testing

/// Checkpoint files whose checksum is right but whose header lies. The fuzzer reaches the
/// header by fixing the CRC (Fuzz/Sources/FuzzCheckpoint); these are the inputs it found, or
/// the class they belong to, written out.
@Suite("Checkpoint headers")
struct CheckpointHeaderTests {
  /// A version-1 checkpoint file around `header` (JSON) and `sections`, with a correct CRC.
  func file(header: String, sections: [UInt8] = []) -> [UInt8] {
    var bytes = Array("ENGRAMCK".utf8) + littleEndian(1)
    bytes += littleEndian(UInt32(header.utf8.count)) + Array(header.utf8) + sections
    return bytes + littleEndian(crc32(bytes))
  }

  func littleEndian(_ value: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
  }

  /// CRC-32 (IEEE), written out so that the test does not share the reader's zlib call.
  func crc32(_ bytes: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      c ^= UInt32(byte)
      for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }
    return c ^ 0xFFFF_FFFF
  }

  @Test("the helper writes what the reader accepts")
  func valid() throws {
    let checkpoint = try CheckpointFile.decode(
      file(
        header: #"{"metadata":{"a":"b"},"sections":[{"bytes":4,"name":"w"}]}"#,
        sections: [1, 2, 3, 4]),
      file: "x.ckpt")
    #expect(checkpoint.metadata == ["a": "b"] && checkpoint.sections["w"] == [1, 2, 3, 4])
  }

  @Test("a section claiming Int.max bytes is refused, not an arithmetic overflow")
  func hugeSection() {
    // Before: `offset + entry.bytes` trapped (found by the checkpoint fuzz target).
    #expect(
      throws: ModelError.checkpointCorrupt(file: "x.ckpt", reason: "section w runs past the end")
    ) {
      try CheckpointFile.decode(
        file(
          header: #"{"metadata":{},"sections":[{"name":"w","bytes":9223372036854775807}]}"#,
          sections: [1, 2, 3]),
        file: "x.ckpt")
    }
  }

  @Test("a section listed twice, or a metadata key given twice, is refused")
  func duplicates() {
    #expect(
      throws: ModelError.checkpointCorrupt(
        file: "x.ckpt", reason: "header lists section w twice")
    ) {
      try CheckpointFile.decode(
        file(
          header: #"{"metadata":{},"sections":[{"name":"w","bytes":2},{"name":"w","bytes":2}]}"#,
          sections: [1, 2, 3, 4]),
        file: "x.ckpt")
    }
    #expect(
      throws: ModelError.checkpointCorrupt(
        file: "x.ckpt", reason: "header gives metadata.step twice")
    ) {
      try CheckpointFile.decode(
        file(header: #"{"metadata":{"step":"1","step":"9"},"sections":[]}"#), file: "x.ckpt")
    }
  }
}
