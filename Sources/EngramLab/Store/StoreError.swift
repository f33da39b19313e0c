import Foundation

/// Errors of the results store and of what reads or writes it.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file is not an SQLite database, or is damaged.
  case corrupt(path: String, reason: String)
  /// One stored run record (a store row or a result file) that does not decode.
  case damagedRecord(path: String, what: String, reason: String, fix: String)
  /// An SQLite database that belongs to something else.
  case foreign(path: String)
  /// Another process held the store longer than the wait allows.
  case locked(path: String, seconds: Double)
  /// A store made by a newer Engram.
  case tooNew(path: String, version: Int, supported: Int)
  /// No store at the path (for commands that only read one).
  case missing(path: String)
  /// No run, sweep or file with that id.
  case unknown(kind: String, id: String, hint: String)
  /// Anything else SQLite reported.
  case database(path: String, message: String)

  /// What went wrong and what to do about it.
  public var description: String {
    switch self {
    case .corrupt(let path, let reason):
      return
        "\(path): not a readable results store (\(reason)); it was left untouched — move it away or choose another with --store"
    case .damagedRecord(let path, let what, let reason, let fix):
      return "\(path): \(what) is damaged (\(reason)); it was left untouched — \(fix)"
    case .missing(let path):
      return
        "\(path): no results store here; runs are stored by engram run (default .engram/results.sqlite) — give the store's path with --store"
    case .foreign(let path):
      return
        "\(path): an SQLite database that is not an Engram results store; it was left untouched — choose another file with --store"
    case .locked(let path, let seconds):
      return
        "\(path): locked by another process for more than \(String(format: "%g", seconds)) s; nothing was written — wait for it to finish, or use another --store"
    case .tooNew(let path, let version, let supported):
      return
        "\(path): written by a newer Engram (store version \(version), this one reads up to \(supported)); update Engram"
    case .unknown(let kind, let id, let hint):
      return "no \(kind) \(id) in the store; \(hint)"
    case .database(let path, let message):
      return "\(path): \(message)"
    }
  }
}
