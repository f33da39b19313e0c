import Dispatch
import EngramContinual
import Foundation

/// Turns SIGINT and SIGTERM into a `StopRequest`, so a run saves, records itself as
/// interrupted and exits 130 or 143 instead of dying mid-write. A second signal exits at once.
enum SignalWatch {
  /// Sources must outlive the call that installs them.
  nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

  /// Watches SIGINT and SIGTERM from now on; they set `stop`.
  static func install(_ stop: StopRequest) {
    for signalNumber in [SIGINT, SIGTERM] {
      // The default action would end the process before the run can save; the dispatch source
      // sees the signal instead.
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
      source.setEventHandler {
        if stop.requested != nil { _exit(128 + signalNumber) }
        stop.request(signalNumber)
        FileHandle.standardError.write(
          Data(
            "\n\(ExperimentStopped(signal: signalNumber)): stopping after this step (again to quit now)\n"
              .utf8))
      }
      source.resume()
      sources.append(source)
    }
  }
}
