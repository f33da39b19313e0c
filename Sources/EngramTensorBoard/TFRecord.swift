import Foundation

/// Errors reading an events file.
public struct TFRecordError: Error, Equatable, CustomStringConvertible {
  /// The file.
  public let file: String
  /// The byte offset of the bad record.
  public let offset: Int
  /// What is wrong.
  public let problem: String

  /// The message, naming the file and the offset.
  public var description: String { "\(file): record at byte \(offset): \(problem)" }
}

/// TFRecord framing: each record is its length (UInt64, little-endian), the masked CRC-32C of
/// those 8 bytes, the data, and the masked CRC-32C of the data.
enum TFRecord {
  /// One framed record.
  static func frame(_ data: Data) -> Data {
    var out = Data(capacity: data.count + 16)
    let length = withUnsafeBytes(of: UInt64(data.count).littleEndian) { Data($0) }
    out.append(length)
    appendWord(CRC32C.masked(length), to: &out)
    out.append(data)
    appendWord(CRC32C.masked(data), to: &out)
    return out
  }

  /// The records of `bytes`, each checked against its two checksums.
  /// - Throws: `TFRecordError` naming `file` and the offset of a cut or damaged record.
  static func records(in bytes: Data, file: String) throws -> [Data] {
    var records: [Data] = []
    var offset = 0
    let base = bytes.startIndex
    func word(_ at: Int) -> UInt32 {
      (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[base + at + $1]) << (8 * $1) }
    }
    while offset < bytes.count {
      guard bytes.count - offset >= 12 else {
        throw TFRecordError(file: file, offset: offset, problem: "cut inside the length")
      }
      let lengthBytes = bytes[(base + offset)..<(base + offset + 8)]
      guard word(offset + 8) == CRC32C.masked(lengthBytes) else {
        throw TFRecordError(file: file, offset: offset, problem: "the length's checksum is wrong")
      }
      let length = lengthBytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.1) << (8 * $1.0) }
      let start = offset + 12
      guard length <= UInt64(bytes.count - start), bytes.count - start - Int(length) >= 4 else {
        throw TFRecordError(file: file, offset: offset, problem: "cut inside the data")
      }
      let data = bytes[(base + start)..<(base + start + Int(length))]
      guard word(start + Int(length)) == CRC32C.masked(data) else {
        throw TFRecordError(file: file, offset: offset, problem: "the data's checksum is wrong")
      }
      records.append(Data(data))
      offset = start + Int(length) + 4
    }
    return records
  }

  private static func appendWord(_ value: UInt32, to data: inout Data) {
    withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
  }
}
