import EngramContinual
import EngramIO
import Foundation

/// Runs a sweep as a Slurm job array: one array task per run still to do, each running
/// `engram sweep task DIR INDEX`, which checkpoints into `DIR/checkpoints/INDEX` (a requeued
/// or resubmitted task continues from there) and writes its record to `DIR/results/INDEX.json`.
/// `collect` merges those files into the store and lists what failed or is missing;
/// `resubmit` sends those again.
public struct SlurmBackend: Sendable {
  /// Partition to submit to (nil: the cluster's default).
  public var partition: String?
  /// CPUs per array task (also each run's BLAS threads unless the sweep sets `threads`).
  public var cpusPerTask: Int
  /// Extra `sbatch` arguments (e.g. `--time=1:00:00`).
  public var extraArguments: [String]
  /// The engram executable the tasks run (must be reachable from the compute nodes).
  public var executable: URL

  /// A backend.
  public init(
    partition: String? = nil, cpusPerTask: Int = 1, extraArguments: [String] = [],
    executable: URL = currentExecutable()
  ) {
    self.partition = partition
    self.cpusPerTask = max(1, cpusPerTask)
    self.extraArguments = extraArguments
    self.executable = executable
  }

  /// Writes the sweep's folder and batch script and submits the runs not yet complete.
  /// - Throws: `SlurmError` when `sbatch` is missing or refuses; store and file errors.
  public func submit(
    _ definition: SweepDefinition, store: ResultsStore, folder: URL? = nil
  ) throws -> SweepLaunch {
    let sbatch = try Self.tool("sbatch")
    // Array tasks read their configurations from the folder, so all are written before submitting.
    let (id, location, _, pending, skipped) = try SweepSetup.prepare(
      definition, store: store, backend: "slurm", folder: folder, threadsPerRun: cpusPerTask,
      writeConfigs: true)
    try writeScript(location, name: definition.name)
    let job = pending.isEmpty ? nil : try submit(pending, folder: location, sbatch: sbatch)
    return SweepLaunch(
      sweepID: id, folder: location, total: definition.runs.count, skipped: skipped,
      completed: 0, failed: [], jobID: job)
  }

  /// Submits `indices` of an existing sweep folder again.
  /// - Throws: `SlurmError`.
  public func resubmit(_ indices: [Int], folder: SweepFolder) throws -> String? {
    guard !indices.isEmpty else { return nil }
    return try submit(indices, folder: folder, sbatch: try Self.tool("sbatch"))
  }

  private func writeScript(_ folder: SweepFolder, name: String) throws {
    let safeName = name.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    let script = """
      #!/bin/sh
      #SBATCH --job-name=engram-\(safeName.isEmpty ? "sweep" : safeName)
      #SBATCH --output=\(folder.url.path)/logs/%a.log
      #SBATCH --cpus-per-task=\(cpusPerTask)
      # One run of an Engram sweep per array task (written by engram sweep --backend slurm).
      exec \(shellQuoted(executable.path)) sweep task \(shellQuoted(folder.url.path)) "$SLURM_ARRAY_TASK_ID"

      """
    let url = folder.url.appendingPathComponent("job.sh")
    try writeAtomically(script, to: url)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
  }

  private func submit(_ indices: [Int], folder: SweepFolder, sbatch: String) throws -> String {
    var arguments = ["--parsable", "--array=\(Self.ranges(indices))"]
    if let partition { arguments.append("--partition=\(partition)") }
    arguments += extraArguments
    arguments.append(folder.url.appendingPathComponent("job.sh").path)
    let (status, out, err) = try Self.execute(sbatch, arguments)
    guard status == 0, let job = out.split(separator: ";").first.map(String.init), !job.isEmpty
    else {
      throw SlurmError.refused(
        command: "sbatch \(arguments.joined(separator: " "))",
        message: err.isEmpty ? out : err)
    }
    let jobs = folder.url.appendingPathComponent("jobs")
    let previous = (try? InputFile.text(jobs.path)) ?? ""
    try writeAtomically(previous + job + "\n", to: jobs)
    return job
  }

  /// `0-3,5,7-9` for [0, 1, 2, 3, 5, 7, 8, 9].
  static func ranges(_ indices: [Int]) -> String {
    var parts: [String] = []
    var start: Int? = nil
    var last = -2
    for i in indices.sorted() {
      if i == last + 1 {
        last = i
        continue
      }
      if let s = start { parts.append(s == last ? "\(s)" : "\(s)-\(last)") }
      start = i
      last = i
    }
    if let s = start { parts.append(s == last ? "\(s)" : "\(s)-\(last)") }
    return parts.joined(separator: ",")
  }

  /// The full path of a Slurm command on PATH.
  /// - Throws: `SlurmError.missingTool`.
  static func tool(_ name: String) throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for folder in path.split(separator: ":") {
      let candidate = "\(folder)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw SlurmError.missingTool(name: name)
  }

  /// Runs a command and returns its status, stdout and stderr (trimmed).
  static func execute(_ path: String, _ arguments: [String]) throws -> (Int32, String, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Both pipes are drained before waiting, so a chatty command cannot block on a full pipe.
    let outData = try out.fileHandleForReading.readToEnd() ?? Data()
    let errData = try err.fileHandleForReading.readToEnd() ?? Data()
    process.waitUntilExit()
    let trim = { (d: Data) in
      String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    return (process.terminationStatus, trim(outData), trim(errData))
  }

  /// Array task indices of `jobs` still pending or running (empty when squeue is missing).
  static func activeTasks(jobs: [String]) -> Set<Int> {
    guard !jobs.isEmpty, let squeue = try? tool("squeue"),
      let (status, out, _) = try? execute(
        squeue, ["-h", "-r", "-j", jobs.joined(separator: ","), "-o", "%K"]),
      status == 0
    else { return [] }
    return Set(
      out.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) })
  }
}

/// What `engram sweep collect` found.
public struct SweepCollection: Sendable {
  /// Records merged into the store now.
  public let imported: Int
  /// Runs already in the store.
  public let alreadyStored: Int
  /// Runs that failed, with their messages.
  public let failed: [(index: Int, message: String)]
  /// Runs with no result yet and no task queued or running: lost (e.g. the node died).
  public let missing: [Int]
  /// Runs whose array task is still pending or running.
  public let running: [Int]
  /// Runs in the sweep.
  public let total: Int
}

extension SlurmBackend {
  /// Merges the result files of `folder` into the store and reports what is left.
  /// - Throws: `ConfigError` for a folder that is not a sweep's; store errors.
  public static func collect(_ folder: SweepFolder, store: ResultsStore) throws -> SweepCollection {
    let manifest = try folder.manifest()
    let stored = Dictionary(
      try store.sweepRuns(manifest.sweepID).map { ($0.index, ($0.run, $0.status)) },
      uniquingKeysWith: { a, b in b.1 == .complete ? b : a })
    let jobs =
      ((try? InputFile.text(folder.url.appendingPathComponent("jobs").path)) ?? "")
      .split(separator: "\n").map(String.init)
    let active = activeTasks(jobs: jobs)
    var imported = 0
    var already = 0
    var failed: [(Int, String)] = []
    var missing: [Int] = []
    var running: [Int] = []
    let completeKeys = try store.completedKeys()
    for index in 0..<manifest.total {
      guard let text = try? InputFile.text(folder.result(index).path) else {
        if let (_, status) = stored[index], status == .complete {
          already += 1
        } else if active.contains(index) {
          running.append(index)
        } else if let config = try? folder.runConfig(index), completeKeys.contains(config.runKey) {
          already += 1  // skipped at submission: the store already held it
        } else {
          missing.append(index)
        }
        continue
      }
      let record = try ResultsStore.decode(text, path: folder.result(index).path)
      if let (run, status) = stored[index] {
        if status == record.status {
          already += 1
        } else {
          try store.update(id: run, with: record)
          imported += 1
        }
      } else {
        try store.insert(record)
        imported += 1
      }
      if record.status == .failed || record.status == .interrupted {
        if active.contains(index) {
          running.append(index)
        } else {
          failed.append((index, record.message ?? "failed"))
        }
      }
    }
    return SweepCollection(
      imported: imported, alreadyStored: already,
      failed: failed.map { (index: $0.0, message: $0.1) }, missing: missing, running: running,
      total: manifest.total)
  }

  /// Runs array task `index` of `folder`: continues from its checkpoint when one exists,
  /// and writes its record to the result file (also when it fails).
  /// - Throws: the run's error after writing a failed record.
  public static func runTask(
    _ folder: SweepFolder, index: Int, checkpointEvery: Int? = 100, stop: StopRequest? = nil
  ) throws -> RunRecord {
    let manifest = try folder.manifest()
    var options = RunOptions(
      storePath: nil, checkpointDirectory: folder.checkpoints(index),
      checkpointEvery: checkpointEvery, sweepID: manifest.sweepID, sweepIndex: index)
    // Slurm sends SIGTERM before a time limit or preemption: the task saves and stops.
    options.stop = stop
    do {
      let config = try folder.runConfig(index)
      let hasCheckpoint = FileManager.default.fileExists(
        atPath: folder.checkpoints(index).appendingPathComponent("config.json").path)
      let outcome =
        hasCheckpoint
        ? try LabRun.resume(folder.checkpoints(index), options: options)
        : try LabRun.execute(config, options: options)
      try writeAtomically(try ResultsStore.json(outcome.record), to: folder.result(index))
      return outcome.record
    } catch let failed as FailedRun {
      try writeAtomically(try ResultsStore.json(failed.record), to: folder.result(index))
      throw failed
    } catch {
      // A run that could not start (bad data path, …) is recorded as failed too.
      let config = try? folder.runConfig(index)
      let record = RunRecord(
        kind: .network, status: .failed, runKey: config?.runKey ?? "",
        label: config?.strategy.description ?? "",
        seed: config?.seed ?? 0, config: config?.json ?? "{}", finishedAt: Date(),
        message: "\(error)", sweepID: manifest.sweepID, sweepIndex: index)
      try writeAtomically(try ResultsStore.json(record), to: folder.result(index))
      throw error
    }
  }
}

/// Errors of the Slurm backend.
public enum SlurmError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A Slurm command is not on PATH.
  case missingTool(name: String)
  /// Slurm refused a submission.
  case refused(command: String, message: String)

  /// What went wrong and what to do about it.
  public var description: String {
    switch self {
    case .missingTool(let name):
      return
        "\(name) is not on PATH: the Slurm backend needs the Slurm client tools (Debian: slurm-client) and a running cluster; run the sweep with --backend local instead"
    case .refused(let command, let message):
      return "Slurm refused the submission (\(command)): \(message)"
    }
  }
}

/// `text` quoted for /bin/sh.
func shellQuoted(_ text: String) -> String {
  "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
