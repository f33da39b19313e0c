import EngramData
import EngramNN
import EngramRandom
import Testing

@testable import EngramContinual

func studyDesign(_ arms: ReplayArms, seeds: [UInt64] = [1, 2, 3], epochs: Int = 2) throws
  -> ReplayStudyDesign
{
  let stream = try twoTaskStream()
  return ReplayStudyDesign(
    stream: stream, architecture: .mlp(hidden: [32]),
    optimizer: .sgd(learningRate: 0.05, momentum: 0.9, weightDecay: 0),
    trainer: TrainerConfig(batchSize: 16, epochs: epochs, replayCombination: .sum), arms: arms,
    seeds: seeds)
}

@Suite("Replay studies")
struct ReplayStudyTests {
  @Test("results do not depend on the number of worker threads")
  func workersDoNotChangeResults() throws {
    let design = try studyDesign(.counts([0, 1, 4]), seeds: [1, 2, 3, 4])
    let one = try ReplayStudy.run(design, workers: 1)
    let two = try ReplayStudy.run(design, workers: 2)
    #expect(one == two)
    #expect(one.map(\.seed) == [1, 2, 3, 4])
  }

  @Test("arms of a seed share the first-task network and nest their memories")
  func pairedArms() throws {
    let outcome = try ReplayStudy.runSeed(try studyDesign(.counts([0, 2, 5, 9])), seed: 7)
    #expect(outcome.arms.map(\.memory) == [0, 2, 5, 9])
    #expect(outcome.arms.map(\.name) == ["m=0", "m=2", "m=5", "m=9"])
    for (a, b) in zip(outcome.arms, outcome.arms.dropFirst()) {
      #expect(Array(b.examples.prefix(a.memory)) == a.examples)
    }
    #expect(outcome.arms.allSatisfy { $0.examples.allSatisfy { $0.task == 0 } })
    #expect(Set(outcome.arms[3].examples).count == 9)
    // forgetting is the accuracy drop from the shared before-value
    for arm in outcome.arms {
      #expect(abs(arm.forgetting - (outcome.accuracyBefore[0] - arm.accuracyAfter[0])) < 1e-12)
    }
    // The same seed gives the same outcome (a copy, not the trained original, is changed).
    #expect(try ReplayStudy.runSeed(try studyDesign(.counts([0, 2, 5, 9])), seed: 7) == outcome)
  }

  @Test("replaying much of the first task removes most of its forgetting")
  func largeMemoryHelps() throws {
    let pool = try twoTaskStream().tasks[0].train.count
    let outcomes = try ReplayStudy.run(
      try studyDesign(.counts([0, pool]), seeds: [1, 2, 3]), workers: 2)
    for o in outcomes {
      #expect(o.arms[0].forgetting > 0.2)
      #expect(o.arms[1].forgetting < o.arms[0].forgetting / 2)
    }
  }

  @Test("sample arms: no replay first, then one sample of each earlier class")
  func sampleArms() throws {
    let outcome = try ReplayStudy.runSeed(try studyDesign(.oneOfEachClass, epochs: 1), seed: 3)
    #expect(outcome.arms.map(\.name) == ["none", "class 0", "class 1"])
    let stream = try twoTaskStream()
    for (arm, label) in zip(outcome.arms.dropFirst(), [0, 1]) {
      #expect(arm.examples.count == 1)
      #expect(stream.tasks[0].train.labels[arm.examples[0].index] == Int32(label))
    }
    let chosen = try ReplayStudy.runSeed(
      try studyDesign(.chosen([ExampleReference(task: 0, index: 4)]), epochs: 1), seed: 3)
    #expect(chosen.arms.map(\.memory) == [0, 1])
    #expect(chosen.arms[0].forgetting == outcome.arms[0].forgetting)
  }

  @Test("impossible designs are refused before training")
  func invalidDesigns() throws {
    let pool = try twoTaskStream().tasks[0].train.count
    #expect(throws: TrainingError.self) {
      try studyDesign(.counts([0, pool + 1])).validate()
    }
    #expect(throws: TrainingError.self) { try studyDesign(.counts([0, 0])).validate() }
    #expect(throws: TrainingError.self) {
      try studyDesign(.counts([0]), seeds: [1, 1]).validate()
    }
    #expect(throws: TrainingError.self) {
      try studyDesign(.chosen([ExampleReference(task: 1, index: 0)])).validate()
    }
    #expect(throws: TrainingError.self) {
      try studyDesign(.chosen([ExampleReference(task: 0, index: pool)])).validate()
    }
  }

  @Test("fixed replay adds min(b, m) stored rows to every batch")
  func fixedReplayRows() throws {
    let stream = try twoTaskStream()
    var few = FixedReplay(examples: (0..<3).map { ExampleReference(task: 0, index: $0) })
    let model = try Architecture.mlp(hidden: [4]).build(input: stream.input, outputs: 4)
    try few.prepare(model: model, stream: stream, batchSize: 16)
    #expect(few.replayRows == 3)
    var many = FixedReplay(examples: (0..<40).map { ExampleReference(task: 0, index: $0) })
    try many.prepare(model: model, stream: stream, batchSize: 16)
    #expect(many.replayRows == 16)
    var bad = FixedReplay(examples: [ExampleReference(task: 0, index: 100_000)])
    #expect(throws: TrainingError.self) {
      try bad.prepare(model: model, stream: stream, batchSize: 16)
    }
  }
}
