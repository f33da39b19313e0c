import EngramContinual
import EngramLab
import Foundation

/// Writes a run's TensorBoard folder while it trains (`engram run --tensorboard DIR`).
///
/// The first write error (a full disk, a folder of another run) stops the writing and is kept
/// in `failure`; the run itself goes on, since its results are in the store.
public final class TensorBoardListener: RunListener, @unchecked Sendable {
  /// The folder that holds one sub-folder per run.
  public let root: URL
  /// The run's folder, once it started.
  public private(set) var folder: URL?
  /// Why writing stopped, if it did.
  public private(set) var failure: Error?
  private var run: TensorBoardRun?
  private var curvesSeen = false

  /// A listener writing under `root`, which is checked now: a root that cannot hold folders
  /// is refused before the run starts.
  /// - Throws: `OutputFileError` naming the path.
  public init(root: URL) throws {
    try TensorBoardRun.checkRoot(root)
    self.root = root
  }

  public func runStarted(id: Int64?, uid: String, label: String) {
    attempt {
      let run = try TensorBoardRun(root: root, id: id, uid: uid, label: label)
      self.run = run
      folder = run.folder
    }
  }

  public func observe(_ event: ExperimentEvent) {
    guard let run else { return }
    attempt {
      switch event {
      case .step(let report): try run.step(report)
      case .taskFinished(let index, let accuracies?): try run.taskFinished(index, accuracies: accuracies)
      default: break
      }
    }
  }

  public func runEnded(_ record: RunRecord) {
    guard let run else { return }
    attempt { try run.finish(record) }
    self.run = nil
  }

  private func attempt(_ body: () throws -> Void) {
    guard failure == nil else { return }
    do {
      try body()
    } catch {
      failure = error
      run = nil
    }
  }
}
