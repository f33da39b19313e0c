import EngramIO
import Foundation

/// Why an output file may not be written.
public struct OutputFileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The output path.
  public let path: String
  /// Why, and what to do.
  public let reason: String

  public var description: String { "\(path): \(reason)" }

  /// An error for `path`, saying why and what to do.
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }
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
  /// - Throws: `OutputFileError`.
  public static func check(
    _ url: URL, marker: String, force: Bool, store: String?, flag: String
  ) throws {
    let path = url.standardizedFileURL.resolvingSymlinksInPath().path
    if let store {
      let protected = URL(fileURLWithPath: store).standardizedFileURL.resolvingSymlinksInPath()
        .path
      if [protected, protected + "-wal", protected + "-shm"].contains(path) {
        throw OutputFileError(
          path: url.path, reason: "is the results store itself; choose another \(flag)")
      }
    }
    switch InputFile.kind(of: url.path) {
    case .missing:
      // Refused now, not after the work that produces the output: a path under a file.
      if case .some(let file) = fileAncestor(of: url.deletingLastPathComponent()) {
        throw OutputFileError(
          path: url.path,
          reason: "cannot be created: \(file) is a file, not a folder; choose another \(flag)")
      }
      return
    case .directory:
      throw OutputFileError(path: url.path, reason: "is a folder; give a file name for \(flag)")
    case .other(let kind):
      throw OutputFileError(path: url.path, reason: "is \(kind); give a regular file for \(flag)")
    case .regular:
      if force { return }
      if let head = try? InputFile.head(url.path, bytes: 4096),
        String(decoding: head, as: UTF8.self).contains(marker)
      {
        return
      }
      throw OutputFileError(
        path: url.path,
        reason:
          "exists and was not written by Engram for this; choose another \(flag), or add --force to replace it"
      )
    }
  }
}

extension OutputFile {
  /// Creates the folder `url` (and its parents) for output named by `flag`.
  /// - Throws: `OutputFileError` naming the path and why: a parent that is a file, no
  ///   permission, no space.
  public static func makeFolder(_ url: URL, flag: String) throws {
    if let file = fileAncestor(of: url) {
      throw OutputFileError(
        path: url.path,
        reason: "cannot be created: \(file) is a file, not a folder; choose another \(flag)")
    }
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
      throw OutputFileError(
        path: url.path, reason: "cannot be created (\(systemReason(error))); choose another \(flag)")
    }
  }
}

/// The nearest existing ancestor of `url` (or `url` itself) when it is not a folder: then
/// nothing can be created under it.
func fileAncestor(of url: URL) -> String? {
  var ancestor = url.standardizedFileURL
  while case .missing = InputFile.kind(of: ancestor.path), ancestor.path != "/" {
    ancestor = ancestor.deletingLastPathComponent()
  }
  switch InputFile.kind(of: ancestor.path) {
  case .directory, .missing: return nil
  case .regular, .other: return ancestor.path
  }
}

/// Writes text through a temporary file and a rename, so readers see the old or the new file.
/// - Throws: `OutputFileError` naming the path and the system's reason (no space, read-only,
///   missing folder).
public func writeAtomically(_ text: String, to url: URL) throws {
  let temporary = url.deletingLastPathComponent().appendingPathComponent(
    ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
  do {
    try Data(text.utf8).write(to: temporary)
  } catch {
    try? FileManager.default.removeItem(at: temporary)
    throw OutputFileError(
      path: url.path, reason: "cannot be written (\(systemReason(error))); check the folder and free space")
  }
  if rename(temporary.path, url.path) != 0 {
    let reason = String(cString: strerror(errno))
    try? FileManager.default.removeItem(at: temporary)
    throw OutputFileError(path: url.path, reason: "cannot be written (\(reason))")
  }
}
