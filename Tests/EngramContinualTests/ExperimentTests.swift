import EngramData
import EngramNN
import EngramRandom
import Testing

@testable import EngramContinual

func plan(
  _ stream: TaskStream, strategies: [any Strategy] = [], batch: Int = 16, epochs: Int = 2,
  evaluateEvery: Int? = nil
) -> ExperimentPlan {
  ExperimentPlan(
    stream: stream, architecture: .mlp(hidden: [32]),
    optimizer: .sgd(learningRate: 0.05, momentum: 0.9, weightDecay: 0),
    trainer: TrainerConfig(batchSize: batch, epochs: epochs), strategies: strategies,
    evaluateEvery: evaluateEvery, seed: 1)
}

@Suite("Experiments")
struct ExperimentTests {
  @Test(
    "continual evaluation: points every k iterations for each seen task, task ends, min-ACC below the final accuracy"
  )
  func curves() throws {
    let stream = try twoTaskStream()
    let result = try ContinualExperiment(
      plan: plan(stream, strategies: [ExperienceReplay(capacity: 60)], evaluateEvery: 5)
    ).run()
    let curves = try #require(result.curves)
    let steps = stream.tasks.map { 2 * (($0.train.count + 15) / 16) }
    #expect(curves.taskEnds == [steps[0], steps[0] + steps[1]])
    #expect(
      curves.points[0].map(\.iteration).filter { $0 % 5 == 0 }.count == (steps[0] + steps[1]) / 5)
    #expect(curves.points[1].allSatisfy { $0.iteration > steps[0] })
    // The first task dips after the switch (the stability gap) below where it ends.
    let minimum = try #require(curves.minACC)
    #expect(minimum < result.accuracyMatrix.rows[1][0])
    #expect(curves.wcACC != nil && curves.windowedForgetting() != nil)
  }

  @Test("training FLOPs count 2 per MAC forward and 4 backward; evaluation is excluded")
  func flops() throws {
    let stream = try twoTaskStream()
    let result = try ContinualExperiment(plan: plan(stream, epochs: 1)).run()
    let examples = Double(stream.tasks.reduce(0) { $0 + $1.train.count })
    let macs = Double(8 * 32 + 32 * 4)
    #expect(result.cost.trainingFLOPs == 2 * macs * (examples + 2 * examples))
    #expect(
      result.cost.peakMemoryBytes > 0 && result.cost.parameterCount == 8 * 32 + 32 + 32 * 4 + 4)
  }

  @Test(
    "references: b is the untrained model's accuracy, a* of task 1 is the run's own R[0][0], FWTs follow"
  )
  func references() throws {
    var p = plan(try twoTaskStream(scenario: .task))
    p.computeReferences = true
    let result = try ContinualExperiment(plan: p).run()
    let r = result.accuracyMatrix.rows
    let reference = try #require(result.referenceAccuracy)
    // b: the same initialisation, evaluated before any training.
    let untrained = try p.architecture.build(input: p.stream.input, outputs: p.stream.outputCount)
    untrained.initialize(p.initializer, streams: RandomStreams(seed: p.seed))
    let evaluator = Evaluator(stream: p.stream, model: untrained)
    let b = (0..<2).map {
      evaluator.accuracy(task: $0, stage: $0, predictor: ModelPredictor(model: untrained))
    }
    #expect(result.untrainedAccuracy == b)
    // a*₀ trains the same initial model on task 1 alone with the same settings and seed: that
    // is exactly what the continual run did first, so it equals R[0][0] and I₀ = 0.
    #expect(reference.count == 2 && reference[0] == r[0][0] && reference[1] > 0.9)
    // T = 2: FWT = R[0][1] − b₁ and FWT(a*) = R[1][1] − a*₁ (divided by T − 1 = 1).
    #expect(result.accuracyMatrix.forwardTransfer(untrained: b) == r[0][1] - b[1])
    #expect(result.accuracyMatrix.forwardTransfer(reference: reference) == r[1][1] - reference[1])
    #expect(
      result.accuracyMatrix.intransigence(reference: reference)
        == [0, reference[1] - r[1][1]])
  }

  @Test(
    "an online, task-free stream: batch 10, one pass, boundaries hidden — EWC consolidates once, at the end"
  )
  func taskFree() throws {
    let stream = try twoTaskStream()
    var p = plan(stream, strategies: [EWC(lambda: 1)], batch: 10, epochs: 1)
    p.trainer.boundariesVisible = false
    let model = try p.architecture.build(input: stream.input, outputs: stream.outputCount)
    model.initialize(streams: RandomStreams(seed: 0))
    let trainer = try Trainer(
      model: model, optimizer: p.optimizer.make(), config: p.trainer, stream: stream,
      strategies: p.strategies, streams: RandomStreams(seed: 0))
    for t in 0..<2 {
      try trainer.beginTask(t)
      try trainer.train(task: t)
      try trainer.endTask(t)
      #expect((trainer.strategies[0] as? EWC)?.anchors.count == (t == 0 ? 0 : 1))
    }
    #expect(
      trainer.iteration == (stream.tasks[0].train.count + 9) / 10
        + (stream.tasks[1].train.count + 9) / 10)
  }

  @Test("blurry boundaries move the given fraction of each task's examples to a neighbour")
  func blurry() throws {
    let stream = try twoTaskStream()
    var rng = RandomStream(seed: 5)
    let blurred = try stream.blurred(fraction: 0.2, using: &rng)
    let total = stream.trainingViews.map(\.count)
    #expect(blurred.trainingViews.map(\.count).reduce(0, +) == total.reduce(0, +))
    let foreign = blurred.trainingViews[0].filter { $0.task == 1 }.count
    #expect(foreign == Int((Double(total[1]) * 0.2).rounded()))
    #expect(throws: TrainingError.self) { try stream.blurred(fraction: 1.2, using: &rng) }
  }

  @Test(
    "a run whose loss turns non-finite in task 2 is interrupted with task 1's row, equal to an uninterrupted run's"
  )
  func interrupted() throws {
    let clean = try twoTaskStream()
    // Task 2's training inputs are NaN: its first step has a NaN loss. Its test set, and all
    // of task 1, are untouched, so everything up to that step matches the clean run.
    let broken = clean.tasks[1]
    let nan = try Dataset(
      name: broken.train.name,
      features: .floats(
        [Float](repeating: .nan, count: broken.train.count * broken.train.featureCount)),
      labels: broken.train.labels, featureCount: broken.train.featureCount,
      classCount: broken.train.classCount)
    let poisoned = TaskStream(
      name: clean.name, scenario: clean.scenario, classOutputs: clean.classOutputs,
      tasks: [
        clean.tasks[0],
        ContinualTask(
          name: broken.name, index: 1, train: nan, test: broken.test,
          transforms: broken.transforms, units: broken.units, sourceClasses: broken.sourceClasses),
      ], outputCount: clean.outputCount, views: clean.trainingViews, testViews: nil)
    var uninterrupted = plan(clean)
    uninterrupted.computeReferences = true
    var diverging = plan(poisoned)
    diverging.computeReferences = true
    let full = try ContinualExperiment(plan: uninterrupted).run()
    do {
      _ = try ContinualExperiment(plan: diverging).run()
      Issue.record("NaN inputs did not stop the run")
    } catch let error as InterruptedExperiment {
      // Stopped at the first step of task 2: iteration 2·⌈n₁/16⌉ + 1 (2 epochs, batch 16).
      let firstStep = 2 * ((clean.tasks[0].train.count + 15) / 16) + 1
      guard case .nonFiniteLoss(let task, _, let step, _)? = error.underlying as? TrainingError
      else {
        Issue.record("stopped by \(error.underlying), not a non-finite loss")
        return
      }
      #expect(task == broken.name && step == firstStep)
      let partial = error.partial
      #expect(partial.accuracyMatrix.rows.count == 1)
      #expect(partial.accuracyMatrix.rows == [full.accuracyMatrix.rows[0]])
      #expect(partial.untrainedAccuracy == full.untrainedAccuracy)
      #expect(partial.taskLosses == [full.taskLosses[0]])
      // The kept row is a trained one: task 1 learned (well-separated clusters), task 2 not yet.
      #expect(partial.accuracyMatrix.rows[0][0] > 0.9)
      #expect(partial.accuracyMatrix.rows[0][1] < 0.1)
    }
  }
}
