import CZlib
import EngramIO
import Foundation

/// The contents of a checkpoint: named binary sections and string metadata.
///
/// The file layout (version 1), all integers little-endian:
/// `ENGRAMCK` · version (u32) · header length (u32) · header JSON · section bytes · CRC-32 of
/// everything before it (u32). The header lists each section's name and byte length, so a
/// reader checks bounds before touching data, and the checksum catches any damaged byte.
public struct Checkpoint: Sendable, Equatable {
  /// Free-form facts about what was saved (architecture, step, config…).
  public var metadata: [String: String] = [:]
  /// Named binary payloads.
  public var sections: [String: [UInt8]] = [:]

  /// An empty checkpoint.
  public init() {}

  /// Stores Float values under a name.
  public mutating func setFloats(_ values: [Float], for name: String) {
    sections[name] = values.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) }
  }

  /// Stores Float values from a buffer under a name.
  public mutating func setFloats(_ values: UnsafeBufferPointer<Float>, for name: String) {
    sections[name] = Array(UnsafeRawBufferPointer(values))
  }

  /// Stores 64-bit words under a name.
  public mutating func setWords(_ values: [UInt64], for name: String) {
    sections[name] = values.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) }
  }

  /// Stores integers under a name (as 64-bit words).
  public mutating func setInts(_ values: [Int], for name: String) {
    setWords(values.map { UInt64(bitPattern: Int64($0)) }, for: name)
  }

  /// The integers stored under a name.
  public func ints(_ name: String) -> [Int]? {
    words(name)?.map { Int(Int64(bitPattern: $0)) }
  }

  /// The Float values stored under a name, if present and of a whole number of Floats.
  public func floats(_ name: String) -> [Float]? {
    guard let bytes = sections[name], bytes.count % 4 == 0 else { return nil }
    return bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
  }

  /// The 64-bit words stored under a name.
  public func words(_ name: String) -> [UInt64]? {
    guard let bytes = sections[name], bytes.count % 8 == 0 else { return nil }
    return bytes.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
  }
}

/// Reads and writes checkpoint files.
public enum CheckpointFile {
  /// The format version this Engram writes and reads.
  public static let version: UInt32 = 1
  static let magic = Array("ENGRAMCK".utf8)

  private struct Header: Codable {
    var metadata: [String: String]
    var sections: [Entry]
    struct Entry: Codable {
      var name: String
      var bytes: Int
    }
  }

  /// Encodes a checkpoint to bytes.
  public static func encode(_ checkpoint: Checkpoint) throws -> [UInt8] {
    let names = checkpoint.sections.keys.sorted()
    let header = Header(
      metadata: checkpoint.metadata,
      sections: names.map { Header.Entry(name: $0, bytes: checkpoint.sections[$0]?.count ?? 0) })
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let headerBytes = Array(try encoder.encode(header))
    var out = magic
    append(version, to: &out)
    append(UInt32(headerBytes.count), to: &out)
    out += headerBytes
    for name in names { out += checkpoint.sections[name] ?? [] }
    append(crc(out), to: &out)
    return out
  }

  /// Decodes a checkpoint, checking magic, version, bounds and checksum.
  /// - Throws: `ModelError.checkpointCorrupt` or `.checkpointVersion`, naming `file`.
  public static func decode(_ bytes: [UInt8], file: String) throws -> Checkpoint {
    guard bytes.count >= 20, Array(bytes[0..<8]) == magic else {
      throw ModelError.checkpointCorrupt(
        file: file, reason: "it does not start with the Engram checkpoint marker")
    }
    let stored = read32(bytes, at: bytes.count - 4)
    guard crc(Array(bytes[0..<(bytes.count - 4)])) == stored else {
      throw ModelError.checkpointCorrupt(file: file, reason: "checksum mismatch")
    }
    let found = read32(bytes, at: 8)
    guard found == version else {
      throw ModelError.checkpointVersion(file: file, found: found, supported: version)
    }
    let headerLength = Int(read32(bytes, at: 12))
    guard 16 + headerLength <= bytes.count - 4 else {
      throw ModelError.checkpointCorrupt(file: file, reason: "header longer than the file")
    }
    let header: Header
    let headerBytes = bytes[16..<(16 + headerLength)]
    do {
      header = try JSONDecoder().decode(Header.self, from: Data(headerBytes))
    } catch {
      throw ModelError.checkpointCorrupt(file: file, reason: "unreadable header")
    }
    // Engram writes each key and section once; a second one would silently replace the first.
    if let duplicate = JSONDuplicateKeys.first(in: headerBytes) {
      throw ModelError.checkpointCorrupt(
        file: file, reason: "header gives \(duplicate.path) twice")
    }
    var checkpoint = Checkpoint()
    checkpoint.metadata = header.metadata
    var offset = 16 + headerLength
    let end = bytes.count - 4
    for entry in header.sections {
      // Compared as a remainder: `offset + entry.bytes` overflows for a header claiming
      // Int.max bytes.
      guard entry.bytes >= 0, entry.bytes <= end - offset else {
        throw ModelError.checkpointCorrupt(
          file: file, reason: "section \(entry.name) runs past the end")
      }
      guard checkpoint.sections[entry.name] == nil else {
        throw ModelError.checkpointCorrupt(
          file: file, reason: "header lists section \(entry.name) twice")
      }
      checkpoint.sections[entry.name] = Array(bytes[offset..<(offset + entry.bytes)])
      offset += entry.bytes
    }
    guard offset == bytes.count - 4 else {
      throw ModelError.checkpointCorrupt(
        file: file, reason: "\(bytes.count - 4 - offset) unexplained bytes")
    }
    return checkpoint
  }

  /// Writes a checkpoint atomically: to a temporary file in the same folder, flushed to disk,
  /// then renamed over the target, so a crash leaves either the old file or the new one.
  /// - Throws: `ModelError.checkpointUnwritable` when the folder cannot be written.
  public static func write(_ checkpoint: Checkpoint, to url: URL) throws {
    let bytes = try encode(checkpoint)
    let directory = url.deletingLastPathComponent()
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
    let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else {
      throw ModelError.checkpointUnwritable(
        file: url.path,
        reason: "cannot create \(temporary.lastPathComponent): \(String(cString: strerror(errno)))")
    }
    var written = 0
    let ok: Bool = bytes.withUnsafeBytes { raw in
      while written < raw.count {
        let n = Foundation.write(fd, raw.baseAddress! + written, raw.count - written)
        if n <= 0 { return false }
        written += n
      }
      return fsync(fd) == 0
    }
    close(fd)
    guard ok, rename(temporary.path, url.path) == 0 else {
      unlink(temporary.path)
      throw ModelError.checkpointUnwritable(
        file: url.path, reason: "write failed: \(String(cString: strerror(errno)))")
    }
    let dirFD = open(directory.path, O_RDONLY)
    if dirFD >= 0 {
      fsync(dirFD)
      close(dirFD)
    }
  }

  /// Reads and checks a checkpoint file.
  /// - Throws: `ModelError.checkpointUnreadable`, `.checkpointCorrupt`, `.checkpointVersion`.
  public static func read(from url: URL) throws -> Checkpoint {
    let data: Data
    do {
      data = try InputFile.read(url.path, what: "a checkpoint")
    } catch let error as InputFileError {
      throw ModelError.checkpointUnreadable(file: url.path, reason: error.reason)
    }
    return try decode(Array(data), file: url.lastPathComponent)
  }

  private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
    for shift in stride(from: 0, to: 32, by: 8) {
      bytes.append(UInt8(value >> UInt32(shift) & 0xFF))
    }
  }

  private static func read32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << UInt32(8 * $1) }
  }

  private static func crc(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
  }
}
