import EngramLinalg
import EngramRandom
import EngramTheory
import Foundation
import Testing

@Suite("Continual regression engine")
struct EngineTests {
  @Test("each iteration fits its task exactly and moves the least distance (min-norm update)")
  func minimumNormStep() throws {
    let sequence = try randomSequence(taskRows: [2, 3], dimension: 6, seed: 5)
    let model = ContinualRegression(sequence: sequence)
    let run = try model.train(order: [0, 1])
    #expect(run.trainingErrors.allSatisfy { $0 < 1e-20 })
    // The step from w₁ to w₂ is orthogonal to task 2's null space (so no shorter step fits).
    let step = run.iterates[1].subtracting(run.iterates[0])
    let null = try sequence.tasks[1].nullSpaceBasis()
    #expect(try null.multiplied(by: step).allSatisfy { abs($0) < 1e-12 })
  }

  @Test(
    "the projection form matches the literal pseudo-inverse path, with and without replay",
    arguments: [ForgettingMeasure.expectedTest, .trainingSamples])
  func fastPathMatchesReference(measure: ForgettingMeasure) throws {
    let sequence = try randomSequence(taskRows: [3, 2, 4], dimension: 8, seed: 6)
    let order = [0, 2, 1, 0, 1]
    var stream = RandomStream(seed: 8)
    let memory = Matrix<Double>.gaussian(rows: 2, columns: 8, using: &stream)
    let model = ContinualRegression(sequence: sequence)
    for normalization in ForgettingNormalization.allCases {
      let experiment = try ReplayExperiment(
        sequence: sequence, order: order, replayTask: 1, pool: .rows(memory),
        measure: measure, normalization: normalization)
      let plain = try model.train(order: order)
      let replayed = try model.train(order: order, replay: Replay(task: 1, rows: memory))
      let value = { (run: RegressionRun) in
        measure == .expectedTest
          ? run.expectedTestForgetting(normalization) : run.forgetting(normalization)
      }
      #expect(abs(experiment.noReplayForgetting - value(plain)) < 1e-10)
      #expect(abs(try experiment.forgetting(replaying: memory) - value(replayed)) < 1e-10)
      #expect(
        abs(
          try experiment.forgetting(replayingPoolRows: [1])
            - value(
              try model.train(
                order: order, replay: Replay(task: 1, rows: memory.selectingRows([1]))))) < 1e-10)
    }
  }

  @Test("E22 = M25·(k−1)/k for every run, since the last task is fit exactly")
  func normalizationsRelate() throws {
    let sequence = try randomSequence(taskRows: [1, 2, 1], dimension: 5, seed: 7)
    let order = [0, 1, 2, 1, 0, 2]
    let run = try ContinualRegression(sequence: sequence).train(order: order)
    #expect(abs(run.forgetting(.e22) - run.forgetting(.m25) * 5 / 6) < 1e-12)
    #expect(run.forgetting(.m25) > 1e-4)  // non-trivial, so the relation is not 0 = 0
  }

  @Test(
    "replaying rows inside the task's own span changes nothing; a memory equal to the pool is deterministic"
  )
  func degenerateReplay() throws {
    let sequence = try randomSequence(taskRows: [2, 2], dimension: 5, seed: 9)
    let inside = try Matrix<Double>(converting: sequence.tasks[1].selectingRows([0]))
    let experiment = try ReplayExperiment(
      sequence: sequence, order: [0, 1], replayTask: 1, pool: .rows(inside))
    #expect(
      abs(try experiment.forgetting(replaying: inside) - experiment.noReplayForgetting) < 1e-13)
  }

  @Test("zero forgetting without replay implies zero with any replay (Mahdaviyeh et al. §3.3)")
  func noForgettingStaysZero() throws {
    let x1 = try Matrix<Double>([[1, 0, 0], [0, 1, 0]])
    let x2 = try Matrix<Double>([[0, 1, 0], [0, 0, 1]])
    let sequence = try TaskSequence(tasks: [x1, x2], groundTruth: [0.3, -0.2, 0.9])
    let experiment = try ReplayExperiment(
      sequence: sequence, order: [0, 1], replayTask: 1, pool: .rows(x1))
    #expect(experiment.noReplayForgetting < exact)
    var stream = RandomStream(seed: 1)
    #expect(try experiment.expectedForgetting(memory: 1, draws: 10, using: &stream).mean < exact)
  }

  @Test("enumeration averages every memory exactly")
  func enumeration() throws {
    let sequence = try randomSequence(taskRows: [4, 1], dimension: 6, seed: 10)
    let experiment = try ReplayExperiment(
      sequence: sequence, order: [0, 1], replayTask: 1, pool: .rows(sequence.tasks[0]))
    var stream = RandomStream(seed: 0)
    let estimate = try experiment.expectedForgetting(memory: 2, draws: 6, using: &stream)
    #expect(estimate.method == .enumeration && estimate.draws == 6)
    var total = 0.0
    for pair in [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]] {
      total += try experiment.forgetting(replayingPoolRows: pair)
    }
    #expect(abs(estimate.mean - total / 6) < 1e-14)
    // With fewer draws than memories it samples instead, and stays near the exact mean.
    let sampled = try experiment.expectedForgetting(memory: 2, draws: 5, using: &stream)
    #expect(sampled.method == .monteCarlo)
  }

  @Test("greedy policies bracket the random expectation and find the worst-case sample")
  func greedyPolicies() throws {
    let built = try instance(.worstCase(tasks: 3, dimension: 3))
    let experiment = try ReplayExperiment(
      sequence: built.sequence, order: built.order, replayTask: 2,
      pool: .rows(built.sequence.tasks[1]),
      poolTask: 1, measure: .trainingSamples)
    let worst = try experiment.chooseMemory(size: 1, policy: .greedyMaximizing)
    let best = try experiment.chooseMemory(size: 1, policy: .greedyMinimizing)
    #expect(worst.indices == [1])  // x₂, the adversarial sample of Theorem 3.2
    #expect(abs(worst.forgetting - 3.0 / 14) < exact)
    var stream = RandomStream(seed: 0)
    let mean = try experiment.expectedForgetting(memory: 1, draws: 100, using: &stream).mean
    #expect(best.forgetting <= mean && mean <= worst.forgetting)
  }

  @Test("task orders: cyclic and random have the right length; bad indices are named")
  func orders() throws {
    #expect(try TaskOrder.cyclic(passes: 3).indices(taskCount: 2) == [0, 1, 0, 1, 0, 1])
    var stream = RandomStream(seed: 3)
    let random = try TaskOrder.random(iterations: 50).indices(taskCount: 4, using: &stream)
    #expect(random.count == 50 && Set(random) == [0, 1, 2, 3])
    #expect(
      throws: TheoryError.invalidSpec(
        file: nil, field: "order[1]",
        problem: "task index 5 does not exist; indices are 0-based and below 2")
    ) {
      try TaskOrder.explicit([0, 5]).indices(taskCount: 2)
    }
  }
}
