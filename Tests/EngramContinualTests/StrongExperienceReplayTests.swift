import EngramData
import EngramNN
import EngramRandom
import Testing

@testable import EngramContinual

@Suite("SER")
struct StrongExperienceReplayTests {
  @Test("with α = β = 0 it is experience replay, step for step")
  func reducesToReplay() throws {
    let ser = try firstTaskAccuracy([StrongExperienceReplay(capacity: 60, alpha: 0, beta: 0)])
    let replay = try firstTaskAccuracy([ExperienceReplay(capacity: 60)])
    #expect(ser.result.accuracyMatrix == replay.result.accuracyMatrix)
    #expect(ser.result.taskLosses == replay.result.taskLosses)
  }

  /// Final accuracy on task 0 at lr 0.01: the separable clusters drive the first task's logits
  /// large, and their squared distances with momentum 0.9 at lr 0.05 diverge (as DER's would).
  func firstTask(_ strategies: [any Strategy]) throws -> (first: Double, result: ExperimentResult) {
    let plan = ExperimentPlan(
      stream: try twoTaskStream(), architecture: .mlp(hidden: [32]),
      optimizer: .sgd(learningRate: 0.01, momentum: 0.9, weightDecay: 0),
      trainer: TrainerConfig(batchSize: 16, epochs: 2), strategies: strategies, seed: 1)
    let result = try ContinualExperiment(plan: plan).run()
    return (result.accuracyMatrix.rows.last?[0] ?? 0, result)
  }

  @Test("its consistency terms change training, and it forgets less than fine-tuning")
  func remembers() throws {
    let ser = try firstTask([StrongExperienceReplay(capacity: 60)])
    let replay = try firstTask([ExperienceReplay(capacity: 60)])
    let naive = try firstTask([])
    #expect(ser.result.taskLosses != replay.result.taskLosses)
    #expect(ser.first > naive.first + 0.2, "SER \(ser.first), naive \(naive.first)")
  }

  @Test("registered as `ser`, with its defaults α = 0.1, β = 0.5 and memory 500")
  func descriptor() throws {
    let built = try StrategySelection(parsing: "ser").make(MethodSettings())
    let ser = try #require(built.first as? StrongExperienceReplay)
    #expect(ser.alpha == 0.1 && ser.beta == 0.5 && ser.capacity == 500)
  }
}
