import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Why an input file cannot be read; `reason` says what the path is and what to give instead.
public struct InputFileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The path as given.
  public let path: String
  /// What is wrong with it.
  public let reason: String

  public var description: String { "\(path): \(reason)" }
}

/// Reads input files (data, configs, specs, checkpoints) without trusting the path: a folder, a
/// named pipe, a device or an oversized file is refused with a message before anything opens
/// it, so nothing blocks in `open()` or traps inside Foundation.
public enum InputFile {
  /// What a path refers to.
  public enum Kind: Equatable, Sendable {
    case regular(size: Int)
    case directory
    case other(String)
    case missing
  }

  /// What `path` is, from `stat` (which does not open it).
  public static func kind(of path: String) -> Kind {
    var info = stat()
    guard stat(path, &info) == 0 else { return .missing }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .regular(size: Int(info.st_size))
    case S_IFDIR: return .directory
    case S_IFIFO: return .other("a named pipe")
    case S_IFSOCK: return .other("a socket")
    case S_IFCHR, S_IFBLK: return .other("a device")
    default: return .other("not a regular file")
    }
  }

  /// The size of the regular file at `path`, at most `limit` bytes.
  /// - Throws: `InputFileError` for a missing path, a folder, a pipe, socket or device, or a file
  ///   larger than `limit` (naming `what` the limit is for).
  @discardableResult
  public static func check(_ path: String, limit: Int = .max, what: String = "this input") throws
    -> Int
  {
    switch kind(of: path) {
    case .missing:
      throw InputFileError(path: path, reason: "no such file")
    case .directory:
      throw InputFileError(path: path, reason: "is a folder, not a file; give the file inside it")
    case .other(let kind):
      throw InputFileError(path: path, reason: "is \(kind), not a regular file; give a file")
    case .regular(let size):
      guard size <= limit else {
        throw InputFileError(
          path: path,
          reason:
            "is \(size) bytes, more than the \(limit) bytes allowed for \(what); is it the right file?"
        )
      }
      return size
    }
  }

  /// The contents of the regular file at `path`, at most `limit` bytes.
  /// - Throws: as `check`, and `InputFileError` when reading fails.
  public static func read(_ path: String, limit: Int = .max, what: String = "this input") throws
    -> Data
  {
    try check(path, limit: limit, what: what)
    do {
      let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
      defer { try? handle.close() }
      return try handle.readToEnd() ?? Data()
    } catch {
      throw InputFileError(path: path, reason: "cannot be read (\(systemReason(error)))")
    }
  }

  /// The first `count` bytes of the regular file at `path` (fewer when it is shorter).
  /// - Throws: as `check`, and `InputFileError` when reading fails.
  public static func head(_ path: String, bytes count: Int) throws -> Data {
    try check(path)
    do {
      let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
      defer { try? handle.close() }
      return try handle.read(upToCount: count) ?? Data()
    } catch {
      throw InputFileError(path: path, reason: "cannot be read (\(systemReason(error)))")
    }
  }

  /// The UTF-8 text of the regular file at `path`, at most `limit` bytes.
  /// - Throws: as `read`, and `InputFileError` for text that is not UTF-8.
  public static func text(_ path: String, limit: Int = .max, what: String = "this input") throws
    -> String
  {
    let data = try read(path, limit: limit, what: what)
    guard let text = String(data: data, encoding: .utf8) else {
      throw InputFileError(path: path, reason: "is not UTF-8 text; is it the right file?")
    }
    return text
  }
}

/// Input echoed in a message, cut to a readable length: a 50 MB value must not become a 50 MB
/// error line.
public func abbreviated(_ text: String, limit: Int = 120) -> String {
  guard text.count > limit else { return text }
  return "\(text.prefix(limit))… (\(text.count) characters)"
}
