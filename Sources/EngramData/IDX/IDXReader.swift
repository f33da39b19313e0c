import CZlib
import EngramIO
import Foundation

/// An n-dimensional array of unsigned bytes read from an IDX file (the MNIST format).
public struct IDXArray: Sendable, Equatable {
  /// The dimensions from the header, outermost first (e.g. [60000, 28, 28]).
  public let dimensions: [Int]
  /// The elements, row-major.
  public let bytes: [UInt8]

  /// An array with the given dimensions and elements.
  public init(dimensions: [Int], bytes: [UInt8]) {
    self.dimensions = dimensions
    self.bytes = bytes
  }
}

/// Reads IDX files, raw or gzip-compressed (decided by the content, not the name).
///
/// Everything the header claims is checked before any large allocation: the magic number
/// (00 00 08 rank), the rank (1–4), each dimension and their product against a limit, and the
/// payload against what the file can hold (its size when raw; the gzip trailer's ISIZE when
/// compressed). Decompression errors (bad CRC or deflate data, a stream cut short) and trailing
/// bytes are errors too, so a damaged download never becomes silently wrong data.
public enum IDXReader {
  /// The largest number of elements an IDX file may claim (2³¹ − 1 bytes: far above any
  /// image dataset Engram trains on, far below what a corrupt header tends to claim).
  public static let elementLimit = Int(Int32.max)

  /// Reads one IDX file.
  /// - Throws: `DataError` naming the file: `.unreadable`, `.notIDX`, `.unsupportedType`,
  ///   `.absurdSize`, `.truncated`, `.corruptGzip`, `.trailingBytes`.
  public static func read(_ url: URL) throws -> IDXArray {
    let name = url.lastPathComponent
    let fileSize: Int
    do {
      fileSize = try InputFile.check(url.path)
    } catch let error as InputFileError {
      throw DataError.unreadable(file: url.path, reason: error.reason)
    }
    // A gzip file's trailer gives only its last member's size, and files made of several
    // members are valid: the uncompressed size is learnt by reading, in chunks, so a header
    // that lies allocates no more than the data that actually arrives.
    let compressed = try isGzip(url)
    if compressed && fileSize < 18 {
      throw DataError.corruptGzip(
        file: name, reason: "only \(fileSize) bytes, shorter than a gzip header and trailer")
    }
    let available = compressed ? Int.max : fileSize

    guard let handle = gzopen(url.path, "rb") else {
      throw DataError.unreadable(file: url.path, reason: String(cString: strerror(errno)))
    }
    defer { gzclose(handle) }
    _ = gzbuffer(handle, 1 << 17)

    var magic = [UInt8](repeating: 0, count: 4)
    try readExactly(handle, into: &magic, file: name)
    guard magic[0] == 0, magic[1] == 0 else {
      throw DataError.notIDX(
        file: name, magic: magic.map { String(format: "%02X", $0) }.joined(separator: " "))
    }
    guard magic[2] == 0x08 else { throw DataError.unsupportedType(file: name, code: magic[2]) }
    let rank = Int(magic[3])
    guard (1...4).contains(rank) else {
      throw DataError.absurdSize(file: name, field: "rank", claimed: rank, limit: 4)
    }
    var header = [UInt8](repeating: 0, count: 4 * rank)
    try readExactly(handle, into: &header, file: name)
    var dimensions: [Int] = []
    var elements = 1
    for i in 0..<rank {
      let value =
        Int(header[4 * i]) << 24 | Int(header[4 * i + 1]) << 16 | Int(header[4 * i + 2]) << 8
        | Int(header[4 * i + 3])
      dimensions.append(value)
      let (product, overflow) = elements.multipliedReportingOverflow(by: value)
      guard !overflow, product <= elementLimit else {
        throw DataError.absurdSize(
          file: name, field: "dimension \(i)", claimed: value,
          limit: elementLimit / max(1, elements))
      }
      elements = product
    }
    let headerBytes = 4 + 4 * rank
    guard headerBytes + elements <= available else {
      throw DataError.truncated(
        file: name, expectedBytes: headerBytes + elements, availableBytes: available)
    }

    let bytes = try readChunked(handle, count: elements, file: name, headerBytes: headerBytes)
    var probe = [UInt8](repeating: 0, count: 1 << 16)
    var extra = 0
    while true {
      let n = gzread(handle, &probe, UInt32(probe.count))
      if n < 0 { throw gzipError(handle, file: name) }
      if n == 0 {
        // zlib reports a member cut before its 8-byte trailer (CRC-32 and size) only here, as
        // Z_BUF_ERROR "unexpected end of file" after the last bytes; `gzip -t` refuses it too.
        var code: Int32 = 0
        let message = gzerror(handle, &code)
        if code != Z_OK && code != Z_STREAM_END {
          throw DataError.corruptGzip(
            file: name,
            reason: (message.map { String(cString: $0) } ?? "unknown zlib error")
              + " (the gzip trailer is missing or cut)")
        }
        break
      }
      extra += Int(n)
    }
    if extra > 0 { throw DataError.trailingBytes(file: name, count: extra) }
    return IDXArray(dimensions: dimensions, bytes: bytes)
  }

  /// Writes an IDX file of unsigned bytes (gzip-compressed when `compress` is true).
  /// - Throws: `DataError.unreadable` when the file cannot be written.
  public static func write(_ array: IDXArray, to url: URL, compress: Bool) throws {
    var data = Data([0, 0, 0x08, UInt8(array.dimensions.count)])
    for d in array.dimensions {
      data.append(contentsOf: [
        UInt8(d >> 24 & 0xFF), UInt8(d >> 16 & 0xFF), UInt8(d >> 8 & 0xFF), UInt8(d & 0xFF),
      ])
    }
    data.append(contentsOf: array.bytes)
    guard let handle = gzopen(url.path, compress ? "wb" : "wbT") else {
      throw DataError.unreadable(file: url.path, reason: "cannot create the file")
    }
    let written = data.withUnsafeBytes { gzwrite(handle, $0.baseAddress, UInt32($0.count)) }
    let closed = gzclose(handle)
    guard written == data.count, closed == Z_OK else {
      throw DataError.unreadable(file: url.path, reason: "write failed")
    }
  }

  static func isGzip(_ url: URL) throws -> Bool {
    do {
      let file = try FileHandle(forReadingFrom: url)
      defer { try? file.close() }
      let head = try file.read(upToCount: 2) ?? Data()
      return head.count == 2 && head[head.startIndex] == 0x1F && head[head.startIndex + 1] == 0x8B
    } catch {
      throw DataError.unreadable(file: url.path, reason: "cannot be read (\(systemReason(error)))")
    }
  }

  /// `count` bytes read in chunks that start at 64 KiB and double up to 64 MiB, so memory
  /// grows with the data that arrives rather than with what a header claims: a 40-byte gzip
  /// file claiming two billion elements costs kilobytes before it is found truncated.
  private static func readChunked(_ handle: gzFile, count: Int, file: String, headerBytes: Int)
    throws -> [UInt8]
  {
    var bytes: [UInt8] = []
    var chunk = min(count, 1 << 16)
    while bytes.count < count {
      let start = bytes.count
      let want = min(count - start, chunk)
      bytes.append(contentsOf: repeatElement(0, count: want))
      do {
        try bytes.withUnsafeMutableBytes {
          try readExactly(
            handle, into: UnsafeMutableRawBufferPointer(rebasing: $0[start...]), file: file)
        }
      } catch DataError.truncated(_, _, let got) {
        throw DataError.truncated(
          file: file, expectedBytes: headerBytes + count,
          availableBytes: headerBytes + start + got)
      }
      chunk = min(chunk * 2, 1 << 26)
    }
    return bytes
  }

  /// Fills `buffer` from `handle`.
  /// - Throws: `DataError.corruptGzip`, or `.truncated` (with `availableBytes` the bytes read
  ///   into `buffer`) when the data ends first.
  private static func readExactly(
    _ handle: gzFile, into buffer: UnsafeMutableRawBufferPointer, file: String
  ) throws {
    guard let base = buffer.baseAddress else { return }
    var done = 0
    while done < buffer.count {
      let chunk = min(buffer.count - done, 1 << 30)
      let n = gzread(handle, base + done, UInt32(chunk))
      if n < 0 { throw gzipError(handle, file: file) }
      if n == 0 {
        var code: Int32 = 0
        let message = gzerror(handle, &code)
        if code != Z_OK && code != Z_STREAM_END, let message {
          throw DataError.corruptGzip(file: file, reason: String(cString: message))
        }
        throw DataError.truncated(file: file, expectedBytes: buffer.count, availableBytes: done)
      }
      done += Int(n)
    }
  }

  /// Fills `buffer` from `handle` (see the raw-buffer form).
  private static func readExactly(_ handle: gzFile, into buffer: inout [UInt8], file: String)
    throws
  {
    try buffer.withUnsafeMutableBytes { try readExactly(handle, into: $0, file: file) }
  }

  private static func gzipError(_ handle: gzFile, file: String) -> DataError {
    var code: Int32 = 0
    let message = gzerror(handle, &code).map { String(cString: $0) } ?? "unknown zlib error"
    return .corruptGzip(file: file, reason: message)
  }
}
