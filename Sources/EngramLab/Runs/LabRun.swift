import EngramContinual
import EngramData
import EngramIO
import EngramLinalg
import EngramNN
import Foundation

/// Where a run records itself and saves its progress.
public struct RunOptions: Sendable {
  /// The results store (nil: nothing is recorded).
  public var storePath: String?
  /// Folder for the run's checkpoint, configuration and result (nil: no checkpoints).
  public var checkpointDirectory: URL?
  /// Iterations between checkpoints (nil: at task ends only).
  public var checkpointEvery: Int?
  /// The sweep the run belongs to, and its index there.
  public var sweepID: Int64?
  /// Index in the sweep.
  public var sweepIndex: Int?
  /// Set when a signal asks the run to stop (nil: signals are not watched).
  public var stop: StopRequest?
  /// Follows the run as it trains (e.g. writes TensorBoard events).
  public var listener: (any RunListener)?

  /// Options.
  public init(
    storePath: String? = ResultsStore.defaultPath, checkpointDirectory: URL? = nil,
    checkpointEvery: Int? = nil, sweepID: Int64? = nil, sweepIndex: Int? = nil
  ) {
    self.storePath = storePath
    self.checkpointDirectory = checkpointDirectory
    self.checkpointEvery = checkpointEvery
    self.sweepID = sweepID
    self.sweepIndex = sweepIndex
  }
}

/// What a finished run produced.
public struct RunOutcome: Sendable {
  /// The run's id in the store (nil without a store).
  public let id: Int64?
  /// The record as stored.
  public let record: RunRecord
  /// What it measured.
  public let result: ExperimentResult
  /// The scalar metrics of `result`, computed once (and stored).
  public let metrics: RunMetrics
}

/// A run that stopped with an error, after recording what it had.
public struct FailedRun: Error, CustomStringConvertible {
  /// Why it stopped.
  public let underlying: Error
  /// The record as stored (status `failed`, partial result).
  public let record: RunRecord
  /// Its id in the store.
  public let id: Int64?

  public var description: String { "\(underlying)" }
}

/// Runs one configuration end to end: loads the data, builds the plan, records the run in the
/// store (as `running`, then `complete` or `failed`), saves checkpoints, and continues from a
/// checkpoint folder.
///
/// A checkpoint folder holds `config.json` (the resolved configuration), `run.ckpt` (the
/// latest checkpoint), `run-id` (the run's id in the store) and, once finished,
/// `result.json`. Continuing (`resume`) needs only the folder.
public enum LabRun {
  /// Runs `config`.
  /// - Throws: `FailedRun` after recording a run that failed part-way; configuration, data
  ///   and store errors before it started.
  public static func execute(
    _ config: RunConfig, options: RunOptions,
    observer: (ExperimentEvent) -> Void = { _ in }
  ) throws -> RunOutcome {
    try start(config, options: options, resume: nil, observer: observer)
  }

  /// Continues the run whose checkpoint folder is `folder`; a run killed before its first
  /// checkpoint starts over, a finished one returns its result.
  /// - Throws: `ConfigError` for a folder that holds no run; `ModelError` for a corrupt or
  ///   mismatched checkpoint; as `execute`.
  public static func resume(
    _ folder: URL, options: RunOptions, observer: (ExperimentEvent) -> Void = { _ in }
  ) throws -> RunOutcome {
    let configFile = folder.appendingPathComponent("config.json")
    guard let text = try? InputFile.text(configFile.path) else {
      throw ConfigError.unreadable(
        file: folder.path,
        reason:
          "not a run checkpoint folder (no config.json); runs started with --checkpoint-dir DIR can be resumed once their settings were checked — a run stopped before that wrote nothing: start it again with its own command"
      )
    }
    let config = try RunConfig(json: text, file: configFile.path)
    var options = options
    options.checkpointDirectory = folder
    let resultFile = folder.appendingPathComponent("result.json")
    if let json = try? InputFile.text(resultFile.path) {
      let record = try ResultsStore.decode(
        json, path: resultFile.path, what: "the finished run's result",
        fix: "delete result.json to run again from the checkpoint")
      // A result copied from another folder is not this run's: its settings differ.
      guard record.config == config.json else {
        throw ConfigError.unreadable(
          file: resultFile.path,
          reason:
            "belongs to another run (its settings differ from config.json); delete it to run again from the checkpoint"
        )
      }
      if record.status == .complete, let result = record.result {
        return RunOutcome(
          id: savedIdentity(folder.appendingPathComponent("run-id"))?.id,
          record: record, result: result, metrics: RunMetrics(result))
      }
    }
    let checkpointFile = folder.appendingPathComponent("run.ckpt")
    let checkpoint =
      FileManager.default.fileExists(atPath: checkpointFile.path)
      ? try CheckpointFile.read(from: checkpointFile) : nil
    return try start(config, options: options, resume: checkpoint, observer: observer)
  }

  /// The store row id and unique id a checkpoint folder's `run-id` file holds ("12 UUID").
  static func savedIdentity(_ file: URL) -> (id: Int64, uid: String)? {
    guard let text = try? InputFile.text(file.path, limit: 1024) else { return nil }
    let parts = text.split(whereSeparator: \.isWhitespace)
    guard parts.count == 2, let id = Int64(parts[0]) else { return nil }
    return (id, String(parts[1]))
  }

  /// Writes the folder's configuration, refusing a folder that holds another run.
  static func prepareFolder(_ folder: URL, config: RunConfig) throws {
    try OutputFile.makeFolder(folder, flag: "--checkpoint-dir")
    let file = folder.appendingPathComponent("config.json")
    if let existing = try? InputFile.text(file.path), existing != config.json {
      throw ConfigError.invalidValue(
        key: "checkpoint_dir", value: folder.path,
        expected:
          "a new or empty folder (it holds another run's checkpoint; continue that one with --resume \(folder.path))"
      )
    }
    let present = ["run.ckpt", "result.json", "run-id"].filter {
      FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
    }
    // Files Engram did not put there, or an unfinished run of these settings, are kept.
    if !present.isEmpty && !FileManager.default.fileExists(atPath: file.path) {
      throw ConfigError.invalidValue(
        key: "checkpoint_dir", value: folder.path,
        expected:
          "a new or empty folder (it holds \(present.joined(separator: ", ")) but no config.json, so not a run folder Engram made)"
      )
    }
    let finished =
      (try? InputFile.text(folder.appendingPathComponent("result.json").path))
      .flatMap { try? ResultsStore.decode($0, path: "result.json") }?.status == .complete
    if present.contains("run.ckpt") && !finished {
      throw ConfigError.invalidValue(
        key: "checkpoint_dir", value: folder.path,
        expected:
          "a new or empty folder (it holds an unfinished run with these settings; continue it with --resume \(folder.path))"
      )
    }
    try writeAtomically(config.json, to: file)
    for stale in ["run.ckpt", "result.json", "run-id"] {
      try? FileManager.default.removeItem(at: folder.appendingPathComponent(stale))
    }
  }

  /// Checks that a run of `config` can start: its data, stream, model and strategies are
  /// built as the run would build them, and nothing is written. A sweep checks its first run
  /// this way before it launches anything.
  /// - Throws: the error the run would fail with.
  public static func check(_ config: RunConfig) throws {
    _ = try experiment(for: config)
  }

  /// The run's experiment, built from its data: every check short of training.
  private static func experiment(for config: RunConfig) throws -> ContinualExperiment {
    let config = try config.withProtocolDefaults()
    // The bit-flipping problem generates its own inputs: there is no dataset to load.
    let data =
      config.benchmark == .bitFlipping
      ? TrainTestData(
        train: .empty(name: "bit-flipping", featureCount: BitFlipping.bits, classCount: 1),
        test: .empty(name: "bit-flipping", featureCount: BitFlipping.bits, classCount: 1))
      : try DatasetResolver.load(config.dataset, seed: config.seed)
    let seed = config.seed
    let plan = try config.makePlan(data: data) { try DatasetResolver.load($0, seed: seed) }
    return try ContinualExperiment(plan: plan)
  }

  private static func start(
    _ config: RunConfig, options: RunOptions, resume: Checkpoint?,
    observer: (ExperimentEvent) -> Void
  ) throws -> RunOutcome {
    // Everything that can be checked is checked before anything is written: the settings,
    // the data, the stream, the model and the strategies' preparation. A long stream's
    // protocol defaults become part of the recorded settings.
    let config = try config.withProtocolDefaults()
    BLASThreads.set(config.threads)
    let experiment = try experiment(for: config)
    let store = try options.storePath.map { try ResultsStore(path: $0) }
    if resume == nil, let folder = options.checkpointDirectory {
      try prepareFolder(folder, config: config)
    }
    var record = RunRecord(
      kind: .network, status: .running, runKey: config.runKey, label: config.strategy.description,
      seed: config.seed, config: config.json, sweepID: options.sweepID,
      sweepIndex: options.sweepIndex)
    let idFile = options.checkpointDirectory?.appendingPathComponent("run-id")
    var id: Int64? = nil
    record.uid = UUID().uuidString
    // Row ids are small integers that every store reuses: the saved row is this run's only if
    // it carries the same unique id (a folder resumed into another store gets a new row).
    if resume != nil, let idFile, let saved = savedIdentity(idFile),
      let previous = try? store?.record(id: saved.id), previous.uid == saved.uid
    {
      id = saved.id
      record.startedAt = previous.startedAt
      record.uid = saved.uid
    }
    if id == nil, let store {
      id = try store.insert(record)
    }
    let checkpointing = options.checkpointDirectory.map {
      ExperimentCheckpointing(
        file: $0.appendingPathComponent("run.ckpt"), every: options.checkpointEvery,
        fingerprint: config.json, resume: resume)
    }
    // From here on the row exists: any failure marks it failed, with the message.
    do {
      if let idFile, let id, let uid = record.uid {
        try writeAtomically("\(id) \(uid)\n", to: idFile)
      }
      options.listener?.runStarted(id: id, uid: record.uid ?? "", label: record.label)
      let listener = options.listener
      // The running row shows what was measured so far (a live dashboard reads it), written at
      // most once a second so that frequent evaluations do not turn into store traffic.
      var lastWrite = Date.distantPast
      var running = record
      let result = try experiment.run(
        observer: { event in
          observer(event)
          listener?.observe(event)
          if case .measured(let partial) = event, let store, let id,
            Date().timeIntervalSince(lastWrite) >= 1
          {
            running.result = partial()
            try? store.update(id: id, with: running)
            lastWrite = Date()
          }
        }, checkpointing: checkpointing, stop: options.stop)
      record.status = .complete
      record.result = result
      record.finishedAt = Date()
      let metrics = RunMetrics(result)
      try finish(record, metrics: metrics, id: id, store: store, folder: options.checkpointDirectory)
      options.listener?.runEnded(record)
      return RunOutcome(id: id, record: record, result: result, metrics: metrics)
    } catch {
      let stopped = (error as? InterruptedExperiment)?.underlying is ExperimentStopped
      record.status = stopped ? .interrupted : .failed
      record.result = (error as? InterruptedExperiment)?.partial
      record.message =
        stopped && options.checkpointDirectory != nil
        ? "\(error); continue with --resume \(options.checkpointDirectory?.path ?? "")"
        : "\(error)"
      record.finishedAt = Date()
      try finish(
        record, metrics: record.result.map(RunMetrics.init), id: id, store: store,
        folder: options.checkpointDirectory)
      options.listener?.runEnded(record)
      throw FailedRun(underlying: error, record: record, id: id)
    }
  }

  private static func finish(
    _ record: RunRecord, metrics: RunMetrics?, id: Int64?, store: ResultsStore?, folder: URL?
  ) throws {
    if let store, let id { try store.update(id: id, with: record, metrics: metrics) }
    if let folder {
      try writeAtomically(
        try ResultsStore.json(record), to: folder.appendingPathComponent("result.json"))
    }
  }
}

