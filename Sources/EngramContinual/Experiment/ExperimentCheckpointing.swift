import EngramNN
import Foundation

/// What a run has measured and where it stands, as saved in its checkpoint.
struct ExperimentState: Codable {
  /// The first task not finished.
  var nextTask = 0
  /// How far `nextTask`'s training got (nil: not begun).
  var inTask: TaskProgress?
  var rows: [[Double]] = []
  var losses: [Double] = []
  var untrained: [Double] = []
  var curves: ContinualEvaluation?
  var evaluationSeconds = 0.0
  var evaluationForwards = 0
  var elapsedSeconds = 0.0
  var forwardExamples = 0
  var backwardExamples = 0
  var peakMemoryBytes = 0
  /// Optional so that checkpoints from before online accuracy still load.
  var online: [Double]?
  var taskEnd: [Double]?
  var diagnostics: [TaskDiagnostics]?
  var exampleForgetting: [ForgettingEvents]?
  /// Backward passes of probes (diagnostics), kept out of the training FLOPs.
  var evaluationBackwards: Int?
}

/// Where a run saves itself, how often, and the checkpoint it continues from.
///
/// The checkpoint holds the model, the optimiser, every strategy's state, the random streams'
/// positions, the task loop's position and everything measured so far, so a continued run ends
/// with the numbers of an uninterrupted one. It is written atomically (temporary file, fsync,
/// rename): a run killed while saving leaves the previous checkpoint.
public struct ExperimentCheckpointing {
  /// The checkpoint file.
  public var file: URL
  /// Iterations between saves (nil: at task ends only).
  public var every: Int?
  /// Identifies the plan (e.g. its resolved configuration); a checkpoint of another plan is
  /// refused with `TrainingError.checkpointOfAnotherRun`.
  public var fingerprint: String
  /// The checkpoint to continue from (nil: start afresh).
  public var resume: Checkpoint?

  /// Saving to `file`, and continuing from `resume` when given.
  public init(file: URL, every: Int? = nil, fingerprint: String, resume: Checkpoint? = nil) {
    self.file = file
    self.every = every
    self.fingerprint = fingerprint
    self.resume = resume
  }

  /// Format version of the experiment part of the checkpoint.
  static let version = "1"

  func save(_ state: ExperimentState, trainer: Trainer) throws {
    var checkpoint = Checkpoint()
    try trainer.save(into: &checkpoint)
    checkpoint.metadata["experiment.version"] = Self.version
    checkpoint.metadata["experiment.fingerprint"] = fingerprint
    let encoder = JSONEncoder()
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    checkpoint.sections["experiment.state"] = [UInt8](try encoder.encode(state))
    try CheckpointFile.write(checkpoint, to: file)
  }

  func restore(_ checkpoint: Checkpoint, into trainer: Trainer) throws -> ExperimentState {
    let name = file.lastPathComponent
    guard checkpoint.metadata["experiment.version"] == Self.version,
      let bytes = checkpoint.sections["experiment.state"]
    else {
      throw ModelError.checkpointMismatch(
        file: name, field: "experiment", expected: "a run checkpoint (version \(Self.version))",
        found: checkpoint.metadata["experiment.version"].map { "version \($0)" } ?? "nothing")
    }
    guard checkpoint.metadata["experiment.fingerprint"] == fingerprint else {
      throw TrainingError.checkpointOfAnotherRun(file: name)
    }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let state: ExperimentState
    do {
      state = try decoder.decode(ExperimentState.self, from: Data(bytes))
    } catch {
      throw ModelError.checkpointMismatch(
        file: name, field: "experiment.state", expected: "the saved run state",
        found: "unreadable data")
    }
    try trainer.restore(from: checkpoint, file: name)
    trainer.model.meter.forwardExamples = state.forwardExamples
    trainer.model.meter.backwardExamples = state.backwardExamples
    return state
  }
}
