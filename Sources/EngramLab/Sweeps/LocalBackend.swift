import EngramContinual
import Foundation

/// What a sweep launch did.
public struct SweepLaunch: Sendable {
  /// The sweep's id in the store.
  public let sweepID: Int64
  /// Its folder.
  public let folder: SweepFolder
  /// Runs in the sweep.
  public let total: Int
  /// Runs skipped because the store already holds them complete.
  public let skipped: Int
  /// Runs that finished (local backend).
  public let completed: Int
  /// Runs that failed, with the end of their log (local backend).
  public let failed: [(index: Int, log: String)]
  /// The Slurm job id (Slurm backend).
  public let jobID: String?
  /// Runs not finished because a signal stopped the sweep (never started, or interrupted).
  public var unfinished: [Int] = []
  /// The signal that stopped the sweep, if one did.
  public var stoppedBy: Int32? = nil
}

/// A sweep refused before launch because its first run cannot start.
public struct SweepCannotStart: Error, CustomStringConvertible {
  /// The sweep's name.
  public let sweep: String
  /// Why the first run cannot start.
  public let reason: String

  /// The message, naming the sweep and saying that nothing was launched.
  public var description: String {
    "sweep '\(sweep)': its first run cannot start (\(reason)); nothing was launched"
  }
}

/// Creates a sweep in the store, writes its folder, and says which runs still need doing.
enum SweepSetup {
  static func prepare(
    _ definition: SweepDefinition, store: ResultsStore, backend: String, folder: URL?,
    threadsPerRun: Int?, writeConfigs: Bool
  ) throws -> (id: Int64, folder: SweepFolder, runs: [RunConfig], pending: [Int], skipped: Int) {
    // A sweep whose runs cannot start (a base with more tasks than classes, a missing
    // dataset) is refused before its row, its folder or any worker exists.
    if let first = definition.runs.first {
      do {
        try LabRun.check(first)
      } catch {
        throw SweepCannotStart(sweep: definition.name, reason: "\(error)")
      }
    }
    // A folder the user named is made first, so one that cannot be leaves no sweep behind.
    if let folder { try OutputFile.makeFolder(folder, flag: "--sweep-dir") }
    let id = try store.createSweep(
      name: definition.name, definition: definition.json, backend: backend, directory: nil,
      total: definition.runs.count)
    let location = SweepFolder(
      folder ?? SweepFolder.defaultLocation(store: store.path, sweep: id))
    try store.setSweepDirectory(id, directory: location.url.path)
    var runs = definition.runs
    if let threadsPerRun {
      for i in runs.indices where runs[i].threads == RunConfig().threads {
        runs[i].threads = threadsPerRun
      }
    }
    let keys = runs.map(\.runKey)
    try location.create(
      manifest: .init(
        sweepID: id, store: URL(fileURLWithPath: store.path).standardizedFileURL.path,
        name: definition.name, total: runs.count, executable: currentExecutable().path),
      keys: keys, runs: writeConfigs ? runs : [])
    let done = try store.completedKeys()
    let pending = runs.indices.filter { !done.contains(keys[$0]) }
    return (id, location, runs, pending, runs.count - pending.count)
  }
}

/// Runs a sweep as worker processes on this machine: at most `workers` `engram run`
/// processes at once, each recording its run in the store itself (the store is safe for
/// concurrent writers). A failed run does not stop the others.
public struct LocalBackend: Sendable {
  /// Processes at once.
  public let workers: Int
  /// The engram executable.
  public let executable: URL

  /// A backend with `workers` processes.
  public init(workers: Int, executable: URL = currentExecutable()) {
    self.workers = max(1, workers)
    self.executable = executable
  }

  /// Runs every run of `definition` not already complete in the store.
  /// - Parameter progress: called with (finished, to do, failed so far) as runs end.
  /// - Throws: store and file-system errors (a failing run is reported, not thrown).
  /// When `stop` is requested, no further run starts, the signal is forwarded to the running
  /// workers (each saves and records itself as interrupted), and the launch lists the runs that
  /// did not finish.
  public func run(
    _ definition: SweepDefinition, store: ResultsStore, folder: URL? = nil,
    stop: StopRequest? = nil, progress: (Int, Int, Int) -> Void = { _, _, _ in }
  ) throws -> SweepLaunch {
    // Unless the sweep sets threads, the machine's cores are shared among the workers.
    let cores = ProcessInfo.processInfo.activeProcessorCount
    // Each run's configuration file is written when the run starts, so a 100 000-run sweep
    // starts its first run without first writing 100 000 files.
    let (id, location, runs, pending, skipped) = try SweepSetup.prepare(
      definition, store: store, backend: "local", folder: folder,
      threadsPerRun: max(1, cores / workers), writeConfigs: false)
    var queue = pending[...]
    var running: [(index: Int, process: Process)] = []
    var completed = 0
    var failed: [(Int, String)] = []
    var unfinished: [Int] = []
    var forwarded = false
    progress(0, pending.count, 0)
    while !queue.isEmpty || !running.isEmpty {
      if let signal = stop?.requested, !forwarded {
        forwarded = true
        unfinished += queue
        queue.removeAll()
        for item in running { kill(item.process.processIdentifier, signal) }
      }
      while running.count < workers, let index = queue.popFirst() {
        try writeAtomically(runs[index].json, to: location.config(index))
        running.append((index, try launch(index, location: location, store: store, sweep: id)))
      }
      usleep(20_000)
      var still: [(index: Int, process: Process)] = []
      for item in running {
        if item.process.isRunning {
          still.append(item)
          continue
        }
        item.process.waitUntilExit()
        if item.process.terminationStatus == 0 {
          completed += 1
        } else if forwarded {
          unfinished.append(item.index)
        } else {
          failed.append((item.index, location.logTail(item.index)))
        }
        progress(completed + failed.count, pending.count, failed.count)
      }
      running = still
    }
    return SweepLaunch(
      sweepID: id, folder: location, total: definition.runs.count, skipped: skipped,
      completed: completed, failed: failed.map { (index: $0.0, log: $0.1) }, jobID: nil,
      unfinished: unfinished.sorted(), stoppedBy: stop?.requested)
  }

  private func launch(_ index: Int, location: SweepFolder, store: ResultsStore, sweep: Int64)
    throws -> Process
  {
    let process = Process()
    process.executableURL = executable
    process.arguments = [
      "run", "--config", location.config(index).path, "--store", store.path, "--sweep-id",
      "\(sweep)", "--sweep-index", "\(index)",
    ]
    guard FileManager.default.createFile(atPath: location.log(index).path, contents: nil) else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: location.log(index).path])
    }
    let log = try FileHandle(forWritingTo: location.log(index))
    process.standardOutput = log
    process.standardError = log
    try process.run()
    try log.close()
    return process
  }
}
