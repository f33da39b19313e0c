import EngramContinual
import EngramData
import EngramNN
import EngramRandom
import EngramTestSupport
import Foundation
import Testing

/// Every strategy, small enough for the two-task cluster stream.
let resumableStrategies: [(String, @Sendable () -> [any Strategy])] = [
  ("naive", { [] }),
  ("joint", { [Joint()] }),
  ("cumulative", { [Cumulative()] }),
  ("replay", { [ExperienceReplay(capacity: 40)] }),
  (
    "replay class-balanced herding",
    { [ExperienceReplay(capacity: 40, filling: .classBalanced, selection: .herding)] }
  ),
  ("gem", { [GEM(memoryPerTask: 20)] }),
  ("agem", { [AGEM(memoryPerTask: 20, referenceBatch: 16)] }),
  ("ewc", { [EWC(lambda: 10)] }),
  ("online-ewc", { [EWC(lambda: 10, consolidation: .online(gamma: 0.9))] }),
  ("si", { [SynapticIntelligence(strength: 1)] }),
  ("mas", { [MAS(lambda: 0.1)] }),
  ("lwf", { [LwF()] }),
  ("icarl", { [ICaRL(capacity: 40)] }),
  ("gdumb", { [GDumb(capacity: 40, epochs: 3)] }),
  ("der", { [DarkExperienceReplay(capacity: 40, alpha: 0.5)] }),
  ("derpp", { [DarkExperienceReplay(capacity: 40, alpha: 0.5, beta: 0.5)] }),
  ("er-ace", { [ERACE(capacity: 40)] }),
  ("replay+ewc", { [ExperienceReplay(capacity: 40), EWC(lambda: 10)] }),
  ("l2-init", { [L2Init(lambda: 0.01)] }),
  ("replay+l2-init", { [ExperienceReplay(capacity: 40), L2Init(lambda: 0.01)] }),
  ("shrink-perturb", { [ShrinkPerturb()] }),
  ("shrink-perturb-step", { [ShrinkPerturb(schedule: .everyStep, shrink: 1e-3, noise: 1e-3)] }),
  ("cbp", { [ContinualBackprop(replacementRate: 0.02, maturity: 3, utility: .meanCorrected)] }),
  ("replay+cbp", { [ExperienceReplay(capacity: 40), ContinualBackprop(replacementRate: 0.02, maturity: 3)] }),
  ("redo", { [ReDo(threshold: 0.5, every: 4)] }),
  ("l2", { [L2(lambda: 0.01)] }),
  ("ewc+l2-init", { [EWC(lambda: 10), L2Init(lambda: 0.01)] }),
  ("spectral", { [SpectralRegularization(lambda: 0.01, includeBias: true)] }),
]

/// Runs `plan()` once with a checkpoint every `every` iterations, keeping each checkpoint file
/// as it was written (each is a point a kill could hit), then continues a fresh experiment from
/// every one of them. Returns the uninterrupted result and each resumed one, in order.
func resumedFromEverySnapshot(
  _ plan: () throws -> ExperimentPlan, every: Int, label: String
) throws -> (whole: ExperimentResult, resumed: [ExperimentResult]) {
  let folder = try Fixtures.temporaryDirectory("resume-\(label)")
  let file = folder.appendingPathComponent("run.ckpt")
  var snapshots: [Data] = []
  let whole = try ContinualExperiment(plan: try plan()).run(
    observer: { _ in
      if let data = try? Data(contentsOf: file), data != snapshots.last { snapshots.append(data) }
    }, checkpointing: ExperimentCheckpointing(file: file, every: every, fingerprint: label))
  let resumed = try snapshots.enumerated().map { i, snapshot in
    try ContinualExperiment(plan: try plan()).run(
      checkpointing: ExperimentCheckpointing(
        file: folder.appendingPathComponent("again.ckpt"), every: every, fingerprint: label,
        resume: try CheckpointFile.decode([UInt8](snapshot), file: "snapshot \(i)")))
  }
  return (whole, resumed)
}

@Suite("Checkpoints and resume")
struct ResumeTests {
  func plan(_ strategies: [any Strategy]) throws -> ExperimentPlan {
    var plan = ExperimentPlan(
      stream: try twoTaskStream(), architecture: .mlp(hidden: [16]),
      optimizer: .sgd(learningRate: 0.05, momentum: 0.9, weightDecay: 0),
      trainer: TrainerConfig(batchSize: 16, epochs: 2), strategies: strategies,
      evaluateEvery: 5, computeReferences: true, seed: 4)
    plan.evaluationSubset = 50
    return plan
  }

  /// The measured parts of a result (everything but timings and process memory).
  func measured(_ r: ExperimentResult) -> [String] {
    [
      "\(r.accuracyMatrix.rows)", "\(r.taskLosses)", "\(String(describing: r.curves))",
      "\(r.untrainedAccuracy)", "\(String(describing: r.referenceAccuracy))",
      "\(r.cost.trainingFLOPs)", "\(r.cost.memoryBufferBytes)",
    ]
  }

  @Test(
    "a run continued from any of its checkpoints ends with the numbers of an uninterrupted run",
    arguments: resumableStrategies.map(\.0))
  func resumeEverywhere(name: String) throws {
    let make = try #require(resumableStrategies.first { $0.0 == name }?.1)
    let (whole, resumed) = try resumedFromEverySnapshot(
      { try plan(make()) }, every: 7, label: name)
    // GDumb never trains on the stream, so only its task ends are checkpointed.
    #expect(
      resumed.count >= (name == "gdumb" ? 1 : 5), "mid-task and task-end checkpoints exist")
    for (i, result) in resumed.enumerated() {
      #expect(measured(result) == measured(whole), "resumed from snapshot \(i)")
    }
  }

  @Test("a UPGD run (utility traces, noise stream) resumed mid-task ends with the same numbers")
  func resumeUPGD() throws {
    func upgdPlan() throws -> ExperimentPlan {
      var p = try plan([ContinualBackprop(replacementRate: 0.02, maturity: 3)])
      p.optimizer = .upgd(
        learningRate: 0.05, beta: 0.9, sigma: 0.01, weightDecay: 0, protecting: true, seed: 11)
      return p
    }
    let (whole, resumed) = try resumedFromEverySnapshot(upgdPlan, every: 7, label: "upgd")
    #expect(resumed.count >= 5)
    for (i, result) in resumed.enumerated() {
      #expect(measured(result) == measured(whole), "resumed from snapshot \(i)")
    }
  }

  @Test("a checkpoint of another configuration or a damaged one is refused with the reason")
  func refusals() throws {
    let folder = try Fixtures.temporaryDirectory("resume")
    let file = folder.appendingPathComponent("run.ckpt")
    _ = try ContinualExperiment(plan: try plan([ExperienceReplay(capacity: 40)])).run(
      checkpointing: ExperimentCheckpointing(file: file, fingerprint: "config A"))
    let saved = try CheckpointFile.read(from: file)
    do {
      _ = try ContinualExperiment(plan: try plan([ExperienceReplay(capacity: 40)])).run(
        checkpointing: ExperimentCheckpointing(
          file: file, fingerprint: "config B", resume: saved))
      Issue.record("accepted another configuration's checkpoint")
    } catch let error as TrainingError {
      #expect(error == .checkpointOfAnotherRun(file: "run.ckpt"))
    }
    do {
      _ = try ContinualExperiment(plan: try plan([EWC()])).run(
        checkpointing: ExperimentCheckpointing(file: file, fingerprint: "config A", resume: saved))
      Issue.record("accepted another strategy's checkpoint")
    } catch let error as ModelError {
      #expect("\(error)".contains("strategies"))
    }
    var bytes = [UInt8](try Data(contentsOf: file))
    bytes[bytes.count / 2] ^= 0xFF
    #expect(throws: ModelError.self) { try CheckpointFile.decode(bytes, file: "run.ckpt") }
  }
}
