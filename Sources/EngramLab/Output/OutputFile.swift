import EngramIO
import Foundation

/// Why an output file may not be written.
public struct OutputRefused: Error, Equatable, Sendable, CustomStringConvertible {
  /// The output path.
  public let path: String
  /// Why, and what to do.
  public let reason: String

  public var description: String { "\(path): \(reason)" }
}

/// The rule for every file Engram writes where a user pointed it: never the results store
/// being used, and never a file Engram did not write for the same purpose unless forced.
public enum OutputFile {
  /// Throws unless `url` may be written.
  /// - Parameters:
  ///   - marker: text Engram's own file of this kind carries near its start (the report's
  ///     generator tag, an export's header); a file holding it is Engram's and is replaced.
  ///   - force: replace any other file too (`--force`).
  ///   - store: the store being read or written, which is never replaced, even with `force`.
  ///   - flag: the option that named the path, for the message.
  /// - Throws: `OutputRefused`.
  public static func check(
    _ url: URL, marker: String, force: Bool, store: String?, flag: String
  ) throws {
    let path = url.standardizedFileURL.resolvingSymlinksInPath().path
    if let store {
      let protected = URL(fileURLWithPath: store).standardizedFileURL.resolvingSymlinksInPath()
        .path
      if [protected, protected + "-wal", protected + "-shm"].contains(path) {
        throw OutputRefused(
          path: url.path, reason: "is the results store itself; choose another \(flag)")
      }
    }
    switch InputFile.kind(of: url.path) {
    case .missing: return
    case .directory:
      throw OutputRefused(path: url.path, reason: "is a folder; give a file name for \(flag)")
    case .other(let kind):
      throw OutputRefused(path: url.path, reason: "is \(kind); give a regular file for \(flag)")
    case .regular:
      if force { return }
      if let head = try? InputFile.head(url.path, bytes: 4096),
        String(decoding: head, as: UTF8.self).contains(marker)
      {
        return
      }
      throw OutputRefused(
        path: url.path,
        reason:
          "exists and was not written by Engram for this; choose another \(flag), or add --force to replace it"
      )
    }
  }
}
