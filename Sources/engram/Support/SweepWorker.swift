import CProcess
import Foundation

/// What a sweep's worker process does differently from a run started by hand.
enum SweepWorker {
  /// Asks the kernel to send this process SIGTERM when the sweep that started it dies, so a
  /// killed sweep never leaves workers running under PID 1 (the SIGTERM then stops the run
  /// cleanly, as any SIGTERM does).
  static func stopWithParent() {
    guard engram_set_parent_death_signal(SIGTERM) == 0 else { return }
    // The parent may have died before the request was made.
    if getppid() == 1 { kill(getpid(), SIGTERM) }
  }
}
