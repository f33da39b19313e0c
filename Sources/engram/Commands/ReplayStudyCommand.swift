import ArgumentParser
import EngramContinual
import EngramLab
import EngramNN
import Foundation

/// `engram replay-study`: when does replay hurt a network?
struct ReplayStudyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay-study",
    abstract: "Paired-seed studies of when replay increases forgetting (networks and regression).",
    subcommands: [
      ReplayCountStudy.self, ReplaySamplesStudy.self, RegressionStudyCommand.self,
      AngleStudyCommand.self,
    ])
}

/// The task sequence and training protocol of a network study.
struct StudySequenceOptions: ParsableArguments {
  @Option(help: "Classes of the first task, e.g. 0,6 (with --second).")
  var first: String?

  @Option(help: "Classes of the second task, e.g. 1,7 (with --first).")
  var second: String?

  @Option(help: "A rotated pair instead: the two tasks' rotations in degrees, e.g. 0,45.")
  var rotation: String?

  @Option(parsing: .unconditional, 
    help:
      "A permuted sequence instead: this many tasks, the first as is, each later one under its own pixel permutation."
  )
  var permuted: Int?

  @Option(
    help:
      "A run config (YAML) whose task stream is the sequence: any benchmark; the last task replays the earlier ones. It overrides the paper's protocol; flags below override it."
  )
  var config: String?

  @Option(help: "fashion-mnist (default), an IDX folder, a CSV file, or synthetic.")
  var dataset: String?

  @Option(help: "Network (default mlp:256,256).") var model: String?
  @Option(parsing: .unconditional, help: "Epochs per task (default 3).") var epochs: Int?
  @Option(parsing: .unconditional, help: "Batch size (default 32).") var batch: Int?
  @Option(parsing: .unconditional, help: "Learning rate (default Adam 0.001).") var lr: Float?

  @Option(parsing: .unconditional, help: "The first seed (seeds are consecutive).")
  var seed: UInt64 = 0

  @Flag(help: "Judge earlier tasks among all outputs (default: among their own outputs).")
  var allOutputs = false

  @OptionGroup var storage: StoreOptions

  func validate() throws {
    let shorthand = first != nil || second != nil
    guard (first == nil) == (second == nil) else {
      throw ValidationError("give both --first and --second (class lists of the two tasks)")
    }
    guard [shorthand, rotation != nil, permuted != nil, config != nil].filter({ $0 }).count <= 1
    else {
      throw ValidationError(
        "give one sequence: --first/--second, --rotation, --permuted or --config")
    }
    if let permuted, permuted < 2 {
      throw ValidationError("--permuted \(permuted): a sequence needs at least 2 tasks")
    }
    try FlagCheck.setting("epochs", epochs.map { .int($0) }, flag: "--epochs")
    try FlagCheck.setting("batch", batch.map { .int($0) }, flag: "--batch")
    try FlagCheck.setting("lr", lr.map { .double(Double($0)) }, flag: "--lr")
    try FlagCheck.seed(seed)
  }

  /// The run configuration of the sequence (default: the paper's sequence B, (0,6) → (1,7)).
  func resolved() throws -> (config: RunConfig, title: String) {
    let dataset = self.dataset ?? "fashion-mnist"
    var resolved: RunConfig
    var title: String
    if let rotation {
      let angles = try numbers(rotation, flag: "--rotation").map(Double.init)
      resolved = NetworkReplayStudy.rotated(angles, dataset: dataset)
      title =
        "Rotated \(dataset) " + angles.map { ValueList.text($0) + "°" }.joined(separator: " → ")
    } else if let permuted {
      resolved = NetworkReplayStudy.permuted(tasks: permuted, dataset: dataset)
      title = "Permuted \(dataset), \(permuted) tasks"
    } else if let path = config {
      // The file overrides the paper's protocol, so a stream-only file studies that stream
      // under the protocol.
      resolved = NetworkReplayStudy.paperProtocol(dataset: dataset)
      try resolved.apply(contentsOf: URL(fileURLWithPath: path))
      if let dataset = self.dataset { resolved.dataset = dataset }
      title = "\(URL(fileURLWithPath: path).lastPathComponent) (\(resolved.dataset))"
    } else {
      let a = try first.map { try numbers($0, flag: "--first") } ?? [0, 6]
      let b = try second.map { try numbers($0, flag: "--second") } ?? [1, 7]
      resolved = NetworkReplayStudy.split([a, b], dataset: dataset)
      title =
        "Split \(dataset) (\(a.map(String.init).joined(separator: ", "))) → (\(b.map(String.init).joined(separator: ", ")))"
    }
    if let model { resolved.model = try Architecture(parsing: model) }
    if let epochs { resolved.epochs = epochs }
    if let batch { resolved.batch = batch }
    if let lr { resolved.lr = lr }
    resolved.seed = seed
    return (resolved, title)
  }

  func numbers(_ text: String, flag: String) throws -> [Int] {
    let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
      throw CommandError(message: "\(flag) \(text): give whole numbers separated by commas")
    }
    return values.compactMap { $0 }
  }

}

/// How a network study runs: paired seeds, workers, significance.
struct StudyRunOptions: ParsableArguments {
  @Option(help: "Paired seeds.")
  var seeds = 20

  @Option(help: "Worker threads, each running whole seeds (default: the machine's cores).")
  var workers = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Significance level for marking replay as harmful or helpful.")
  var alpha = 0.05

  func validate() throws {
    guard seeds >= 2 else {
      throw ValidationError("--seeds must be at least 2 (confidence intervals need two)")
    }
    guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
    guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must lie in (0, 1)") }
  }

  /// Runs the study with progress on stderr, stores it, and returns it with its run id.
  func run(_ sequence: StudySequenceOptions, arms: ReplayArms, settings: [String: String]) throws
    -> (StudyResult, Int64?)
  {
    let (seed, allOutputs) = (sequence.seed, sequence.allOutputs)
    let seedList = (0..<UInt64(seeds)).map { seed &+ $0 }
    let (config, title) = try sequence.resolved()
    let started = Date()
    let progress = SharedProgress(label: "seeds", total: seeds)
    let result = try NetworkReplayStudy.run(
      config: config, arms: arms, seeds: seedList, withinTaskOutputs: !allOutputs,
      workers: workers, title: title, alpha: alpha, progress: progress.update)
    var all = settings
    all["seeds"] = "\(seeds)"
    all["alpha"] = "\(alpha)"
    all["outputs"] = allOutputs ? "all" : "within-task"
    let id = try sequence.storage.insert(
      try NetworkReplayStudy.record(
        result, config: config, settings: all, seed: seed, started: started))
    return (result, id)
  }
}

/// Thread-safe progress for work finished on several threads.
final class SharedProgress: @unchecked Sendable {
  private let lock = NSLock()
  private let reporter: ProgressReporter
  private let total: Int

  init(label: String, total: Int) {
    reporter = ProgressReporter(label: label)
    self.total = total
  }

  func update(_ done: Int) {
    lock.withLock { reporter.update(done, total) }
  }
}

/// The rows `--json` prints for network studies.
struct StudyRow: Encodable {
  let point: StudyPoint
  let key: String

  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: DynamicKey.self)
    if key == "memory" {
      try c.encode(Int(point.x), forKey: DynamicKey("memory"))
    } else {
      try c.encode(point.label, forKey: DynamicKey(key))
    }
    try c.encode(point.count, forKey: DynamicKey("seeds"))
    try c.encode(point.mean, forKey: DynamicKey("forgetting_mean"))
    try c.encode(point.ciLow, forKey: DynamicKey("ci_low"))
    try c.encode(point.ciHigh, forKey: DynamicKey("ci_high"))
    try c.encode(point.difference, forKey: DynamicKey("difference_mean"))
    try c.encode(point.differenceLow, forKey: DynamicKey("difference_ci_low"))
    try c.encode(point.differenceHigh, forKey: DynamicKey("difference_ci_high"))
    try c.encode(point.pValue, forKey: DynamicKey("p_value"))
    try c.encode(point.pairedPValue, forKey: DynamicKey("paired_p_value"))
    try c.encode(point.harmful, forKey: DynamicKey("harmful"))
    try c.encode(point.helpful, forKey: DynamicKey("helpful"))
  }
}

/// Prints a network study as a table (or JSON rows keyed by `key`).
func printStudy(
  _ result: StudyResult, id: Int64?, json: Bool, key: String, storage: StoreOptions
) throws {
  let points = result.series.first?.points ?? []
  if json {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(
      String(
        decoding: try encoder.encode(points.map { StudyRow(point: $0, key: key) }), as: UTF8.self))
    return
  }
  print(studyText(result))
  if let id { print(storage.storedLine(id)) }
}

/// A stored or fresh study as text: a network study's paired table, or a regression or angle
/// study's series side by side; then the verdict and the notes.
func studyText(_ result: StudyResult) -> String {
  var lines = [result.title]
  switch result.study {
  case "count", "samples":
    var table = TextTable([
      result.study == "count" ? "memory" : "sample", "forgetting", "95% CI",
      "vs no replay [95% CI]", "Welch p", "paired p", "",
    ])
    for p in result.series.first?.points ?? [] {
      table.add([
        p.label, String(format: "%.4f", p.mean),
        String(format: "[%.4f, %.4f]", p.ciLow, p.ciHigh),
        p.difference.map {
          String(format: "%+.4f [%+.4f, %+.4f]", $0, p.differenceLow ?? $0, p.differenceHigh ?? $0)
        } ?? "–",
        p.pValue.map { String(format: "%.3g", $0) } ?? "–",
        p.pairedPValue.map { String(format: "%.3g", $0) } ?? "–",
        p.harmful ? "replay hurts" : (p.helpful ? "replay helps" : ""),
      ])
    }
    lines.append(table.rendered)
    let harmful = result.harmfulLabels
    lines.append(
      harmful.isEmpty
        ? "\nno point where replay significantly increases forgetting (α = \(result.alpha))"
        : "\nreplay significantly increases forgetting at: \(harmful.joined(separator: ", ")) (α = \(result.alpha))"
    )
  default:
    var header = [result.study == "angle" ? "angle" : "memory"]
    for s in result.series { header += [s.name, "95% CI"] }
    var table = TextTable(header)
    for (i, p) in (result.series.first?.points ?? []).enumerated() {
      var row = [p.label]
      for s in result.series where i < s.points.count {
        let q = s.points[i]
        row += [
          String(format: "%.5f", q.mean) + (q.harmful ? " ▲" : (q.helpful ? " ▼" : "")),
          String(format: "[%.5f, %.5f]", q.ciLow, q.ciHigh),
        ]
      }
      table.add(row)
    }
    lines.append(table.rendered)
    if result.study == "regression" {
      lines.append(
        "▲/▼: significantly more/less forgetting than m = 0 (Welch's t-test, α = \(result.alpha))")
    }
  }
  lines += result.notes.map { "· \($0)" }
  return lines.joined(separator: "\n")
}

/// `engram replay-study count`.
struct ReplayCountStudy: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "count",
    abstract: "Forgetting against the number of replayed samples m, with paired seeds.",
    discussion: """
      Per seed the first task is trained once; the network is copied and the second task is \
      trained from the copy once per m, replaying m random first-task training samples (the \
      same nested memories for every m of a seed) in every batch, weighted like the new part. \
      Forgetting is the drop in first-task test accuracy. Each m is compared with m = 0: paired \
      difference with a 95 % interval, Welch's t-test (the paper's) and a paired t-test; \
      "harmful" marks m where replay significantly increases forgetting (Welch p < --alpha).
      Default sequence: Split Fashion-MNIST (0, 6) → (1, 7), the paper's sequence B.
      --json prints an array of {"memory", "forgetting_mean", "ci_low", "ci_high", "p_value", \
      "harmful", "helpful", "difference_mean", "difference_ci_low", "difference_ci_high", \
      "paired_p_value", "seeds"}.
      """)

  @OptionGroup var sequence: StudySequenceOptions
  @OptionGroup var study: StudyRunOptions

  @Option(parsing: .unconditional, help: "Replayed samples: a list or A:B[:STEP] (inclusive).")
  var memory: ValueList = ValueList(argument: "0:10")!

  @Flag(help: "Print a JSON array.")
  var json = false

  func run() throws {
    try reportingErrors {
      let withZero = try memory.memorySizes()
      let (result, id) = try study.run(
        sequence, arms: .counts(withZero),
        settings: ["memory": withZero.map(String.init).joined(separator: ",")])
      try printStudy(result, id: id, json: json, key: "memory", storage: sequence.storage)
    }
  }
}

/// `engram replay-study samples`.
struct ReplaySamplesStudy: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "samples",
    abstract: "Which single replayed samples increase forgetting and which reduce it.",
    discussion: """
      Per seed the first task is trained once; then the second task is trained from copies of \
      the network: once without replay and once per candidate, replaying that one sample in \
      every batch (weighted like the new part), as in the paper's rotated experiment. \
      Candidates: one random first-task training sample of each class (a new draw per seed), \
      or the training examples given with --samples. Each is compared with no replay of the \
      same seed (paired difference, Welch's and the paired t-test).
      --json prints an array of {"sample", "forgetting_mean", "ci_low", "ci_high", "p_value", \
      "harmful", "helpful", "difference_mean", … } with the no-replay row first.
      """)

  @OptionGroup var sequence: StudySequenceOptions
  @OptionGroup var study: StudyRunOptions

  @Option(help: "Indices of first-task training examples to replay, one at a time (e.g. 3,17).")
  var samples: String?

  @Flag(help: "Print a JSON array.")
  var json = false

  func run() throws {
    try reportingErrors {
      let arms: ReplayArms
      if let samples {
        arms = .chosen(
          try sequence.numbers(samples, flag: "--samples").map {
            ExampleReference(task: 0, index: $0)
          })
      } else {
        arms = .oneOfEachClass
      }
      let (result, id) = try study.run(
        sequence, arms: arms, settings: ["samples": samples ?? "one of each class"])
      try printStudy(result, id: id, json: json, key: "sample", storage: sequence.storage)
    }
  }
}
