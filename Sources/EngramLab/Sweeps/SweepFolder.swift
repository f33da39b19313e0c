import EngramIO
import Foundation

/// The files of a sweep on disk: one configuration per run, logs, and (for clusters) result
/// files and checkpoints.
///
/// ```
/// DIR/sweep.json          sweep id, store, name, run count, engram executable
/// DIR/configs/I.json      run I's resolved configuration
/// DIR/logs/I.log          run I's progress and errors
/// DIR/results/I.json      run I's record (cluster tasks; merged by `engram sweep collect`)
/// DIR/checkpoints/I/      run I's checkpoint folder (cluster tasks resume from it)
/// DIR/job.sh, DIR/jobs    the Slurm batch script and the job ids submitted
/// ```
public struct SweepFolder: Sendable {
  /// What `sweep.json` holds.
  public struct Manifest: Codable, Sendable, Equatable {
    /// The sweep's id in the store.
    public var sweepID: Int64
    /// The store (absolute path).
    public var store: String
    /// The study's name.
    public var name: String
    /// Runs in the sweep.
    public var total: Int
    /// The engram executable the runs use (absolute path).
    public var executable: String
  }

  /// The folder.
  public let url: URL

  /// The folder at `url`.
  public init(_ url: URL) { self.url = url }

  /// Where a store keeps sweep `id`'s folder by default: next to it, `sweeps/ID`.
  public static func defaultLocation(store: String, sweep id: Int64) -> URL {
    URL(fileURLWithPath: store).deletingLastPathComponent()
      .appendingPathComponent("sweeps").appendingPathComponent("\(id)")
  }

  /// Run `index`'s configuration file.
  public func config(_ index: Int) -> URL {
    url.appendingPathComponent("configs").appendingPathComponent("\(index).json")
  }
  /// Run `index`'s log.
  public func log(_ index: Int) -> URL {
    url.appendingPathComponent("logs").appendingPathComponent("\(index).log")
  }
  /// Run `index`'s result file.
  public func result(_ index: Int) -> URL {
    url.appendingPathComponent("results").appendingPathComponent("\(index).json")
  }
  /// Run `index`'s checkpoint folder.
  public func checkpoints(_ index: Int) -> URL {
    url.appendingPathComponent("checkpoints").appendingPathComponent("\(index)")
  }
  /// The manifest file.
  public var manifestURL: URL { url.appendingPathComponent("sweep.json") }

  /// The run keys of every configuration, one per line in index order (one file, so a summary
  /// of a 100 000-run sweep reads one file, not 100 000).
  public var runKeysURL: URL { url.appendingPathComponent("run-keys") }

  /// Creates the folder and writes the manifest, the run keys of `keys`, and the configurations
  /// `runs` (empty: each is written when its run starts).
  /// - Throws: file-system errors.
  public func create(manifest: Manifest, keys: [String], runs: [RunConfig]) throws {
    for sub in ["configs", "logs", "results", "checkpoints"] {
      try OutputFile.makeFolder(url.appendingPathComponent(sub), flag: "--sweep-dir")
    }
    try writeAtomically(keys.joined(separator: "\n") + "\n", to: runKeysURL)
    for (i, run) in runs.enumerated() { try writeAtomically(run.json, to: config(i)) }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    try writeAtomically(
      String(decoding: try encoder.encode(manifest), as: UTF8.self), to: manifestURL)
  }

  /// Reads the manifest.
  /// - Throws: `ConfigError.unreadable` for a folder that is not a sweep's.
  public func manifest() throws -> Manifest {
    guard let data = try? InputFile.read(manifestURL.path),
      let manifest = try? JSONDecoder().decode(Manifest.self, from: data)
    else {
      throw ConfigError.unreadable(
        file: url.path, reason: "not a sweep folder (no readable sweep.json)")
    }
    if let duplicate = JSONDuplicateKeys.first(in: data) {
      throw ConfigError.unreadable(
        file: manifestURL.path,
        reason: "gives \(duplicate.path) twice (lines \(duplicate.firstLine) and \(duplicate.line)); the sweep's manifest was edited — restore it")
    }
    return manifest
  }

  /// Run `index`'s configuration.
  /// - Throws: `ConfigError` for a missing or damaged file.
  public func runConfig(_ index: Int) throws -> RunConfig {
    guard let text = try? InputFile.text(config(index).path) else {
      throw ConfigError.unreadable(
        file: config(index).path, reason: "missing: the sweep has no run \(index)")
    }
    return try RunConfig(json: text, file: config(index).path)
  }

  /// The last `lines` lines of run `index`'s log (for failure reports).
  /// The run keys written by `create`, nil for a folder without them.
  public func runKeys() -> [String]? {
    (try? InputFile.text(runKeysURL.path)).map { $0.split(separator: "\n").map(String.init) }
  }

  public func logTail(_ index: Int, lines: Int = 3) -> String {
    let text = (try? InputFile.text(log(index).path)) ?? ""
    return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
  }
}

/// Where this engram executable is (for worker processes and batch scripts).
public func currentExecutable() -> URL {
  if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
    return URL(fileURLWithPath: path)
  }
  return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
}
