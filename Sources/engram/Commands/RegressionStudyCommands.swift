import ArgumentParser
import EngramLab
import EngramTheory
import Foundation

/// Options shared by the regression and angle studies.
struct RegressionTrainingOptions: ParsableArguments {
  @Option(parsing: .unconditional, help: "Independent runs per point.")
  var runs: Int?

  @Option(parsing: .unconditional, help: "Epochs per task for both models (the paper: 7000 for d = 3, 5000 otherwise).")
  var epochs: Int?

  @Option(parsing: .unconditional, help: "The MLP's hidden width.")
  var mlpWidth: Int?

  @Flag(help: "Leave the MLP out (exact and linear only).")
  var noMlp = false

  @Option(parsing: .unconditional, help: "The first run's seed.")
  var seed: UInt64 = 0

  @Option(help: "Worker threads, each running whole runs (default: the machine's cores).")
  var workers = ProcessInfo.processInfo.activeProcessorCount

  @Flag(help: "Print a JSON array.")
  var json = false

  @OptionGroup var storage: StoreOptions

  func validate() throws {
    if let runs, runs < 2 { throw ValidationError("--runs must be at least 2") }
    if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
    if let mlpWidth, mlpWidth < 1 { throw ValidationError("--mlp-width must be at least 1") }
    guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
    try FlagCheck.seed(seed)
  }

  /// Applies the overrides to a study.
  func apply(to study: inout RegressionReplayStudy) {
    if let runs { study.runs = runs }
    if let epochs {
      study.linear.epochs = epochs
      study.mlp?.epochs = epochs
    }
    if let mlpWidth { study.mlpWidth = mlpWidth }
    if noMlp { study.mlp = nil }
    study.seed = seed
  }

  /// Runs, stores and prints a study.
  func execute(_ study: RegressionReplayStudy, settings: [String: String]) throws {
    let started = Date()
    let progress = SharedProgress(label: "runs", total: study.runs)
    let result = try study.run(workers: workers, progress: progress.update)
    var all = settings
    all["runs"] = "\(study.runs)"
    all["epochs"] = "\(study.linear.epochs)"
    all["mlp_width"] = study.mlp == nil ? "none" : "\(study.mlpWidth)"
    let id = try storage.insert(
      try StudyRecord.make(result, settings: all, seed: seed, started: started))
    if json {
      try printJSON(
        result.series.flatMap { s in
          s.points.map { RegressionRow(model: s.name, point: $0, isAngle: result.study == "angle") }
        })
      return
    }
    print(studyText(result))
    if let id { print(storage.storedLine(id)) }
  }
}

/// A JSON row of a regression or angle study.
struct RegressionRow: Encodable {
  let model: String
  let point: StudyPoint
  let isAngle: Bool

  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: DynamicKey.self)
    try c.encode(model, forKey: DynamicKey("model"))
    if isAngle {
      try c.encode(point.x, forKey: DynamicKey("angle"))
    } else {
      try c.encode(Int(point.x), forKey: DynamicKey("memory"))
    }
    try c.encode(point.mean, forKey: DynamicKey("forgetting_mean"))
    try c.encode(point.ciLow, forKey: DynamicKey("ci_low"))
    try c.encode(point.ciHigh, forKey: DynamicKey("ci_high"))
    try c.encode(point.pValue, forKey: DynamicKey("p_value"))
    try c.encode(point.harmful, forKey: DynamicKey("harmful"))
    try c.encode(point.count, forKey: DynamicKey("runs"))
  }
}

/// `engram replay-study regression`.
struct RegressionStudyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "regression",
    abstract: "The paper's regression tasks: exact theory, SGD-trained linear model and an MLP.",
    discussion: """
      --figure 1a: Theorem C.1's tasks (d = 3, ε = 0.2, n = 10, m = 0, 1, 2); linear SGD lr 0.1, \
      batch 4; MLP of width 128d = 384, Adam 8e-4 → 1e-3 decaying to ×0.7/×0.6 over each task. \
      --figure 1b: d = 50, ε = 0.4, n = 100, m = 0, 5, …, 50; linear SGD lr 1 → 0.1, batch 32; \
      the Figure 8 MLP (width 4d = 200), Adam 1e-4 → 1e-3. Epochs default to 2000 (1a) and 1000 \
      (1b) instead of the paper's 7000/5000 so a study takes minutes; --epochs restores them. \
      Every run draws fresh samples; the exact value is the min-norm solution for the same \
      tasks and memory. Forgetting is the MSE on task 1's training samples.
      --json prints an array of {"model", "memory", "forgetting_mean", "ci_low", "ci_high", \
      "p_value", "harmful", "runs"}.
      """)

  @Option(help: "1a (d = 3) or 1b (d = 50).")
  var figure = "1a"

  @Option(parsing: .unconditional, help: "Replayed samples (a list or A:B[:STEP]); default: the figure's.")
  var memory: ValueList?

  @OptionGroup var training: RegressionTrainingOptions

  func run() throws {
    try reportingErrors {
      var study: RegressionReplayStudy
      switch figure {
      case "1a": study = .figure1a()
      case "1b": study = .figure1b()
      default: throw CommandError(message: "--figure \(figure): give 1a (d = 3) or 1b (d = 50)")
      }
      if let memory { study.memories = try memory.memorySizes() }
      training.apply(to: &study)
      try training.execute(
        study,
        settings: [
          "figure": figure, "memory": study.memories.map(String.init).joined(separator: ","),
        ])
    }
  }
}

/// `engram replay-study angle`.
struct AngleStudyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "angle",
    abstract: "Forgetting against the angle between two tasks' null spaces (exact, linear, MLP).",
    discussion: """
      Two (d−1)-dimensional tasks in R^d whose one-dimensional null spaces meet at each angle \
      (the paper's Figure 9): n samples per task, m replayed first-task samples (default none). \
      Linear: SGD lr 0.5, batch 32; MLP: width 200, Adam 1e-3; 1000 epochs per task by default \
      (the paper: 5000). Exact forgetting without replay peaks at 45°.
      --json prints an array of {"model", "angle", "forgetting_mean", "ci_low", "ci_high", …}.
      """)

  @Option(parsing: .unconditional, help: "Angles in degrees (a list or A:B[:STEP]).")
  var angles: ValueList = ValueList(argument: "0:90:10")!

  @Option(help: "Ambient dimension d.")
  var dimension = 10

  @Option(help: "Samples per task.")
  var samples = 100

  @Option(help: "Replayed first-task samples.")
  var memory = 0

  @OptionGroup var training: RegressionTrainingOptions

  func run() throws {
    try reportingErrors {
      guard angles.values.allSatisfy({ $0 >= 0 && $0 <= 90 }) else {
        throw CommandError(message: "--angles must lie in [0, 90] degrees")
      }
      var study = RegressionReplayStudy(
        angles: angles.values.map {
          ($0, .hyperplanes(dimension: dimension, angleDegrees: $0, samples: samples))
        }, memory: memory, runs: 20, seed: 0,
        linear: RegressionSchedule(epochs: 1000, batch: 32, firstRate: 0.5, secondRate: 0.5),
        mlp: RegressionSchedule(epochs: 1000, batch: 32, firstRate: 1e-3, secondRate: 1e-3),
        mlpWidth: 200)
      training.apply(to: &study)
      try training.execute(
        study,
        settings: [
          "angles": angles.values.map { "\($0)" }.joined(separator: ","),
          "dimension": "\(dimension)", "samples": "\(samples)", "memory": "\(memory)",
        ])
    }
  }
}
