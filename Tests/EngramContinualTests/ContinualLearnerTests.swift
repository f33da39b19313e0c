import EngramContinual
import EngramData
import EngramNN
import EngramRandom
import EngramTestSupport
import Foundation
import Testing

/// Batches of (rows, labels) from the two-task cluster stream, task by task.
func learnerBatches(seed: UInt64 = 3) throws -> [[(rows: [[Float]], labels: [Int])]] {
  let stream = try twoTaskStream(seed: seed)
  return stream.tasks.map { task in
    var order = Array(0..<task.train.count)
    var rng = RandomStream(seed: UInt64(task.index))
    rng.shuffle(&order)
    return stride(from: 0, to: order.count, by: 32).map { start in
      let chunk = order[start..<min(start + 32, order.count)]
      return (chunk.map { task.train.example($0) }, chunk.map { Int(task.train.labels[$0]) })
    }
  }
}

@Suite("Continual learner")
struct ContinualLearnerTests {
  func accuracy(_ learner: ContinualLearner, task: Int) throws -> Double {
    let stream = try twoTaskStream()
    let test = stream.tasks[task].test
    let predicted = learner.predict((0..<test.count).map { test.example($0) })
    return Double(zip(predicted, test.labels).filter { $0 == Int($1) }.count) / Double(test.count)
  }

  @Test("with replay the learner keeps the first task; without, it forgets")
  func replayKeeps() throws {
    let batches = try learnerBatches()
    func run(_ strategies: [any Strategy]) throws -> ContinualLearner {
      let learner = try ContinualLearner(
        architecture: .mlp(hidden: [32]), features: 8, classes: 4, strategies: strategies,
        optimizer: .sgd(learningRate: 0.05, momentum: 0.9, weightDecay: 0))
      for (t, task) in batches.enumerated() {
        for (i, batch) in task.enumerated() {
          try learner.observe(batch.rows, labels: batch.labels, newTask: t > 0 && i == 0)
        }
      }
      return learner
    }
    let naive = try run([])
    let replay = try run([ExperienceReplay(capacity: 100, replayBatch: 32)])
    #expect(try accuracy(naive, task: 0) < 0.2)
    #expect(try accuracy(replay, task: 0) > 0.7 && accuracy(replay, task: 1) > 0.7)
    #expect(replay.task == 1)
  }

  @Test(
    "save, load and continue gives exactly the weights of never stopping",
    arguments: ["replay", "der", "si", "lwf"])
  func resumeIsExact(name: String) throws {
    let batches = try learnerBatches().flatMap {
      $0.enumerated().map { ($0.offset == 0, $0.element) }
    }
    func strategies() -> [any Strategy] {
      switch name {
      case "replay": return [ExperienceReplay(capacity: 50, replayBatch: 16)]
      case "der":
        return [DarkExperienceReplay(capacity: 50, alpha: 0.5, beta: 0.5, replayBatch: 16)]
      case "si": return [SynapticIntelligence(strength: 1)]
      default: return [LwF(lambda: 1)]
      }
    }
    func make() throws -> ContinualLearner {
      try ContinualLearner(
        architecture: .mlp(hidden: [16]), features: 8, classes: 4, strategies: strategies())
    }
    let whole = try make()
    for (i, (boundary, batch)) in batches.enumerated() {
      try whole.observe(batch.rows, labels: batch.labels, newTask: boundary && i > 0)
    }
    let first = try make()
    let half = batches.count / 2 + 3
    for (i, (boundary, batch)) in batches.prefix(half).enumerated() {
      try first.observe(batch.rows, labels: batch.labels, newTask: boundary && i > 0)
    }
    let url = try Fixtures.temporaryDirectory().appendingPathComponent("learner.ckpt")
    try first.save(to: url)
    let resumed = try ContinualLearner.load(from: url, strategies: strategies())
    for (i, (boundary, batch)) in batches.enumerated().dropFirst(half) {
      try resumed.observe(batch.rows, labels: batch.labels, newTask: boundary && i > 0)
    }
    #expect(resumed.model.parameterArray == whole.model.parameterArray)
  }

  @Test("strategies that need stored task data, and malformed batches, are refused")
  func refusals() throws {
    #expect(throws: TrainingError.self) {
      try ContinualLearner(
        architecture: .mlp(hidden: [4]), features: 3, classes: 2, strategies: [EWC()])
    }
    let learner = try ContinualLearner(architecture: .mlp(hidden: [4]), features: 3, classes: 2)
    #expect(throws: TrainingError.self) { try learner.observe([[1, 2]], labels: [0]) }
    #expect(throws: TrainingError.self) { try learner.observe([[1, 2, 3]], labels: [5]) }
    let url = try Fixtures.temporaryDirectory().appendingPathComponent("missing.ckpt")
    #expect(throws: ModelError.self) { try ContinualLearner.load(from: url) }
  }

  @Test("the README example runs as written and learns")
  func readmeExample() throws {
    var random = RandomStream(seed: 11)
    let centres = (0..<4).map { _ in (0..<16).map { _ in Float(random.nextGaussian() * 3) } }
    func batch(_ classes: [Int]) -> ([[Float]], [Int]) {
      let labels = (0..<64).map { classes[$0 % classes.count] }
      return (labels.map { c in centres[c].map { $0 + Float(random.nextGaussian()) } }, labels)
    }
    let (rows, labels) = batch([0, 1])
    let (newRows, newLabels) = batch([2, 3])
    let (query, truth) = batch([0, 1, 2, 3])
    let url = try Fixtures.temporaryDirectory("readme").appendingPathComponent("learner.ck")

    // As in the README:
    let learner = try ContinualLearner(
      architecture: .mlp(hidden: [64]), features: 16, classes: 4,
      strategies: [ExperienceReplay(capacity: 200)])
    try learner.observe(rows, labels: labels)
    try learner.observe(newRows, labels: newLabels, newTask: true)
    let predicted = learner.predict(query)
    try learner.save(to: url)
    let restored = try ContinualLearner.load(
      from: url, strategies: [ExperienceReplay(capacity: 200)])

    #expect(restored.predict(query) == predicted)
    #expect(predicted.count == truth.count)
    for _ in 0..<20 {
      try learner.observe(rows, labels: labels)
      try learner.observe(newRows, labels: newLabels)
    }
    let correct = zip(learner.predict(query), truth).filter { $0 == $1 }.count
    #expect(Double(correct) / Double(truth.count) > 0.9)
  }
}
