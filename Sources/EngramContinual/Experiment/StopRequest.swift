import Foundation

/// A request to stop a run cleanly (a signal arrived): set from any thread, read by the training
/// loop after every step, which then saves a checkpoint (when checkpointing) and stops.
public final class StopRequest: @unchecked Sendable {
  private let lock = NSLock()
  private var signal: Int32?

  /// No stop requested yet.
  public init() {}

  /// Asks the run to stop because of `signal` (the first request wins).
  public func request(_ signal: Int32) {
    lock.lock()
    defer { lock.unlock() }
    if self.signal == nil { self.signal = signal }
  }

  /// The signal that asked for a stop, if one did.
  public var requested: Int32? {
    lock.lock()
    defer { lock.unlock() }
    return signal
  }
}

/// The run stopped because a signal asked it to, after saving what it had.
public struct ExperimentStopped: Error, Equatable, Sendable, CustomStringConvertible {
  /// The signal (SIGINT 2, SIGTERM 15).
  public let signal: Int32

  /// A stop by `signal`.
  public init(signal: Int32) { self.signal = signal }

  /// The exit status a shell expects after this signal: 128 + its number.
  public var exitStatus: Int32 { 128 + signal }

  public var description: String {
    "interrupted by \(signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)")"
  }
}
