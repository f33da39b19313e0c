import EngramIO
import Foundation

/// Reads an SQLite write-ahead log without SQLite: opening a connection would replay the log
/// into the database, which must not happen to a file that turns out not to be a store.
///
/// Format (sqlite.org/fileformat.html §4): a 32-byte header (magic 0x377F0682/3, version,
/// page size, checkpoint sequence, two salts, two checksums), then frames of a 24-byte header
/// (page number, database size for a commit frame or 0, the two salts, two checksums) and one
/// page. Frames count only when their salts match the header's and a commit frame follows.
enum SQLiteWAL {
  /// The first `prefix` bytes of the newest committed copy of page 1 in the log at `path`, or
  /// nil when the log is missing, empty, not a log, or holds no committed page 1.
  static func newestFirstPage(of path: String, prefix: Int) -> Data? {
    guard let size = try? InputFile.check(path), size >= 32,
      let handle = FileHandle(forReadingAtPath: path)
    else { return nil }
    defer { try? handle.close() }
    func word(_ data: Data, _ offset: Int) -> UInt32 {
      data[(data.startIndex + offset)..<(data.startIndex + offset + 4)].reduce(0) {
        $0 << 8 | UInt32($1)
      }
    }
    guard let header = try? handle.read(upToCount: 32), header.count == 32,
      [0x377F_0682, 0x377F_0683].contains(word(header, 0))
    else { return nil }
    let pageSize = Int(word(header, 8) == 1 ? 65536 : word(header, 8))
    guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else { return nil }
    let salts = (word(header, 16), word(header, 20))
    var offset = 32
    var candidate: Data? = nil
    var committed: Data? = nil
    while offset + 24 + pageSize <= size {
      guard (try? handle.seek(toOffset: UInt64(offset))) != nil,
        let frame = try? handle.read(upToCount: 24), frame.count == 24,
        (word(frame, 8), word(frame, 12)) == salts
      else { break }
      if word(frame, 0) == 1 {
        candidate = try? handle.read(upToCount: prefix)
      }
      if word(frame, 4) != 0 { committed = candidate ?? committed }
      offset += 24 + pageSize
    }
    return committed
  }
}
