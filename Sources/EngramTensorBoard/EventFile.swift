import Foundation
import SwiftProtobuf

#if canImport(Glibc)
  import Glibc
#endif

/// Writes one TensorBoard events file: `events.out.tfevents.SECONDS.HOST` in a folder, whose
/// first record names the format ("brain.Event:2"), then one `Event` per call.
///
/// Records are appended to the open file and flushed every `flushInterval` seconds and on
/// `flush()`/`close()`, so TensorBoard, which polls the file, shows a run while it trains.
public final class EventFileWriter {
  /// The file written.
  public let url: URL
  private let handle: FileHandle
  private var pending = Data()
  private var lastFlush = Date()
  private let flushInterval: TimeInterval

  /// Creates the file in `folder` (which must exist).
  /// - Throws: `EventFileError` naming the path when it cannot be created.
  public init(folder: URL, flushInterval: TimeInterval = 2) throws {
    let seconds = Int(Date().timeIntervalSince1970)
    var host = [CChar](repeating: 0, count: 256)
    gethostname(&host, host.count)
    let name = "events.out.tfevents.\(seconds).\(String(cString: host))"
    url = folder.appendingPathComponent(name)
    guard FileManager.default.createFile(atPath: url.path, contents: nil),
      let handle = FileHandle(forWritingAtPath: url.path)
    else {
      throw EventFileError(path: url.path, reason: "cannot be created (\(String(cString: strerror(errno))))")
    }
    self.handle = handle
    self.flushInterval = flushInterval
    var version = Tensorboard_Event()
    version.wallTime = Date().timeIntervalSince1970
    version.fileVersion = "brain.Event:2"
    try append(version)
    try flush()
  }

  /// A scalar `value` under `tag` at `step`.
  public func scalar(_ tag: String, _ value: Double, step: Int64, wallTime: Double? = nil) throws {
    var entry = Tensorboard_Summary.Value()
    entry.tag = tag
    entry.simpleValue = Float(value)
    try append(summary: [entry], step: step, wallTime: wallTime)
  }

  /// Markdown `text` under `tag` at `step`, shown by TensorBoard's Text tab (tables render).
  public func text(_ tag: String, _ text: String, step: Int64, wallTime: Double? = nil) throws {
    var entry = Tensorboard_Summary.Value()
    entry.tag = tag
    entry.metadata.pluginData.pluginName = "text"
    entry.tensor.dtype = .dtString
    entry.tensor.stringVal = [Data(text.utf8)]
    try append(summary: [entry], step: step, wallTime: wallTime)
  }

  /// Writes buffered records to the file.
  /// - Throws: `EventFileError` when the disk refuses them.
  public func flush() throws {
    guard !pending.isEmpty else { return }
    do {
      try handle.write(contentsOf: pending)
    } catch {
      throw EventFileError(path: url.path, reason: "cannot be written (\(error))")
    }
    pending.removeAll(keepingCapacity: true)
    lastFlush = Date()
  }

  /// Flushes and closes the file.
  public func close() throws {
    try flush()
    try? handle.close()
  }

  private func append(summary values: [Tensorboard_Summary.Value], step: Int64, wallTime: Double?)
    throws
  {
    var event = Tensorboard_Event()
    event.wallTime = wallTime ?? Date().timeIntervalSince1970
    event.step = step
    event.summary.value = values
    try append(event)
  }

  private func append(_ event: Tensorboard_Event) throws {
    pending.append(TFRecord.frame(try event.serializedData()))
    if Date().timeIntervalSince(lastFlush) >= flushInterval { try flush() }
  }
}

/// An events file that cannot be written.
public struct EventFileError: Error, Equatable, CustomStringConvertible {
  /// The path.
  public let path: String
  /// Why.
  public let reason: String

  /// The message.
  public var description: String { "\(path): \(reason)" }
}

/// Reads events files back (tests, and checking a folder before adding to it).
public enum EventFileReader {
  /// A value read back: its tag, step, and a scalar or a text.
  public struct Entry: Equatable, Sendable {
    /// The tag.
    public let tag: String
    /// The step.
    public let step: Int64
    /// The scalar, for scalar summaries.
    public let scalar: Double?
    /// The text, for text summaries.
    public let text: String?
  }

  /// The summary values of the events file at `url`, in order, after checking every record's
  /// checksums and that the first record names the format.
  /// - Throws: `TFRecordError` for a damaged file; protobuf errors for a record that does not
  ///   decode.
  public static func entries(_ url: URL) throws -> [Entry] {
    let bytes = try Data(contentsOf: url)
    let records = try TFRecord.records(in: bytes, file: url.lastPathComponent)
    guard let first = records.first,
      (try Tensorboard_Event(serializedBytes: first)).fileVersion.hasPrefix("brain.Event:")
    else {
      throw TFRecordError(file: url.lastPathComponent, offset: 0, problem: "no file version record")
    }
    var entries: [Entry] = []
    for record in records.dropFirst() {
      let event = try Tensorboard_Event(serializedBytes: record)
      for value in event.summary.value {
        switch value.value {
        case .simpleValue(let v):
          entries.append(Entry(tag: value.tag, step: event.step, scalar: Double(v), text: nil))
        case .tensor(let t):
          entries.append(
            Entry(
              tag: value.tag, step: event.step, scalar: nil,
              text: t.stringVal.first.map { String(decoding: $0, as: UTF8.self) }))
        default:
          continue
        }
      }
    }
    return entries
  }
}
