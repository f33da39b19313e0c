import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A file that a fuzz target rewrites with every input, for readers that take a path.
///
/// It lives in `/dev/shm` when there is one (memory, so an execution costs no disk I/O) and is
/// named after the process, so parallel fuzzers (`-jobs`, `-fork`) do not share it.
public struct ScratchFile: Sendable {
  /// Where the input is written.
  public let url: URL

  /// A scratch file for the target called `name`.
  public init(name: String) {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : "/tmp"
    url = URL(fileURLWithPath: "\(folder)/engram-fuzz-\(getpid())-\(name)")
  }

  /// Replaces the file's contents with `bytes`.
  ///
  /// A scratch file that cannot be written is a broken machine, not a finding, so it stops the
  /// fuzzer with a message instead of letting every later input test an empty file.
  public func write(_ bytes: UnsafeRawBufferPointer) {
    let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0, "cannot create \(url.path): \(String(cString: strerror(errno)))")
    defer { close(fd) }
    var done = 0
    while done < bytes.count, let base = bytes.baseAddress {
      let n = Glibc.write(fd, base + done, bytes.count - done)
      precondition(n > 0, "cannot write \(url.path): \(String(cString: strerror(errno)))")
      done += n
    }
  }

  /// Replaces the file's contents with `bytes`.
  public func write(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { write($0) }
  }
}
