import EngramContinual
import Foundation

/// One run as the store keeps it and as a cluster task writes it to its result file.
public struct RunRecord: Codable, Sendable, Equatable {
  /// What kind of run.
  public enum Kind: String, Codable, Sendable {
    /// A network trained on a task stream (`engram run`).
    case network
    /// A theory sweep (`engram theory sweep`).
    case theory
    /// A replay study (`engram replay-study`, `engram replay-advice`).
    case study = "replay-study"
  }

  /// Where a run stands.
  public enum Status: String, Codable, Sendable, CaseIterable {
    /// Started and not finished (or killed).
    case running
    /// Finished.
    case complete
    /// Stopped by an error; `message` says which.
    case failed
    /// Stopped by a signal (SIGINT, SIGTERM) after saving; `--resume` continues it.
    case interrupted
  }

  /// What kind of run.
  public var kind: Kind
  /// Where it stands.
  public var status: Status
  /// The configuration's identity without the thread count (see `RunConfig.runKey`): sweeps
  /// skip a run whose key is already complete.
  public var runKey: String
  /// The sweep it belongs to, if any, and its index there.
  public var sweepID: Int64?
  /// Index in the sweep.
  public var sweepIndex: Int?
  /// Short name: the strategy, or the construction of a theory sweep.
  public var label: String
  /// The seed.
  public var seed: UInt64
  /// The resolved configuration as a JSON object (keys sorted).
  public var config: String
  /// The code that ran (`CodeVersion.current`).
  public var codeVersion: String
  /// The machine.
  public var host: String
  /// When it started.
  public var startedAt: Date
  /// When it ended.
  public var finishedAt: Date?
  /// What a network run measured (also the partial result of a failed run).
  public var result: ExperimentResult?
  /// What a theory sweep computed.
  public var theory: [TheoryPoint]?
  /// What a replay study found.
  public var study: StudyResult?
  /// Why it failed.
  public var message: String?
  /// A unique identity (a UUID) that a checkpoint folder keeps next to the store's row id, so a
  /// resumed run finds its own row and never writes over another store's run with that id.
  public var uid: String?

  /// A short stable identity for a configuration's text (64-bit FNV-1a, hex).
  public static func key(_ text: String) -> String { FNV1a.hex(text) }

  /// A record.
  public init(
    kind: Kind, status: Status, runKey: String, label: String, seed: UInt64, config: String,
    startedAt: Date = Date(), finishedAt: Date? = nil, result: ExperimentResult? = nil,
    theory: [TheoryPoint]? = nil, study: StudyResult? = nil, message: String? = nil,
    sweepID: Int64? = nil,
    sweepIndex: Int? = nil,
    codeVersion: String = CodeVersion.current,
    host: String = ProcessInfo.processInfo.hostName
  ) {
    self.kind = kind
    self.status = status
    self.runKey = runKey
    self.label = label
    self.seed = seed
    self.config = config
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.result = result
    self.theory = theory
    self.study = study
    self.message = message
    self.sweepID = sweepID
    self.sweepIndex = sweepIndex
    self.codeVersion = codeVersion
    self.host = host
  }
}

/// One point of a stored theory sweep.
public struct TheoryPoint: Codable, Sendable, Equatable {
  /// The swept parameter (memory, angle, tasks, epsilon).
  public var parameterName: String
  /// Its value.
  public var parameter: Double
  /// Expected forgetting with replay.
  public var expectedForgetting: Double
  /// Its standard error (0 when exact).
  public var standardError: Double
  /// Forgetting without replay.
  public var noReplay: Double
  /// With / without (nil when nothing is forgotten without replay).
  public var ratio: Double?
  /// Whether replay raises forgetting significantly.
  public var harmful: Bool
  /// "peak", "valley" or nil.
  public var turn: String?

  /// A point.
  public init(
    parameterName: String, parameter: Double, expectedForgetting: Double,
    standardError: Double, noReplay: Double, ratio: Double?, harmful: Bool, turn: String?
  ) {
    self.parameterName = parameterName
    self.parameter = parameter
    self.expectedForgetting = expectedForgetting
    self.standardError = standardError
    self.noReplay = noReplay
    self.ratio = ratio
    self.harmful = harmful
    self.turn = turn
  }
}

/// The version of the code that produced a result: Engram's version and, when the binary was
/// built from a git checkout, its commit (with `-dirty` for uncommitted changes).
public enum CodeVersion {
  /// Engram's release.
  public static let release = "0.5.0"

  /// The version string, computed once.
  public static let current: String = {
    guard let commit = gitCommit() else { return "engram \(release)" }
    return "engram \(release) (\(commit))"
  }()

  /// The commit of the checkout holding this executable, if any.
  static func gitCommit() -> String? {
    var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
      .deletingLastPathComponent()
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      folder = URL(fileURLWithPath: exe).deletingLastPathComponent()
    }
    while folder.path != "/" {
      if FileManager.default.fileExists(atPath: folder.appendingPathComponent(".git").path) {
        guard let head = git(["rev-parse", "--short=12", "HEAD"], in: folder) else { return nil }
        let dirty = git(["status", "--porcelain", "--untracked-files=no"], in: folder) ?? ""
        return head + (dirty.isEmpty ? "" : "-dirty")
      }
      folder = folder.deletingLastPathComponent()
    }
    return nil
  }

  private static func git(_ arguments: [String], in folder: URL) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", folder.path] + arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = (try? out.fileHandleForReading.readToEnd()) ?? Data()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
