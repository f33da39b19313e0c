import EngramRandom
import Foundation

/// How one model is trained on one regression task: epochs, batch size, learning rate and an
/// exponential decay that multiplies the rate by `decay` over the task (Keras' ExponentialDecay
/// with decay_steps = the task's steps; 1 = constant).
public struct RegressionSchedule: Sendable, Equatable, Codable {
  /// Passes over the task's samples.
  public var epochs: Int
  /// Samples per step (new part; the replayed part adds min(batch, m)).
  public var batch: Int
  /// Rate on the first task.
  public var firstRate: Double
  /// Rate on the second task.
  public var secondRate: Double
  /// Factor the rate reaches by the end of the first task.
  public var firstDecay: Double
  /// Factor the rate reaches by the end of the second task.
  public var secondDecay: Double

  /// A schedule.
  public init(
    epochs: Int, batch: Int, firstRate: Double, secondRate: Double, firstDecay: Double = 1,
    secondDecay: Double = 1
  ) {
    self.epochs = epochs
    self.batch = batch
    self.firstRate = firstRate
    self.secondRate = secondRate
    self.firstDecay = firstDecay
    self.secondDecay = secondDecay
  }

  /// The rate at the start of task 0 or 1.
  func initialRate(task: Int) -> Double { task == 0 ? firstRate : secondRate }

  /// The rate at `step` of a task of `total` steps: the initial rate times decay^(step/total).
  func rate(task: Int, step: Int, of total: Int) -> Double {
    let decay = task == 0 ? firstDecay : secondDecay
    return initialRate(task: task) * pow(decay, Double(step) / Double(max(1, total)))
  }

  /// Calls `body(rows, replayed, rate)` for every step of a task of `n` samples: the new rows
  /// (a shuffled pass per epoch, in batches), min(batch, memory) replayed rows drawn without
  /// replacement (all when the memory is that small) and the step's learning rate.
  func forEachStep(
    samples n: Int, memory: Int, task: Int, rng: inout RandomStream,
    _ body: (ArraySlice<Int>, ArraySlice<Int>, Double) throws -> Void
  ) rethrows {
    let b = min(batch, n)
    let total = (n + b - 1) / b * epochs
    var order = Array(0..<n)
    var memoryOrder = Array(0..<memory)
    let replayBatch = min(batch, memory)
    var step = 0
    for _ in 0..<epochs {
      rng.shuffle(&order)
      var start = 0
      while start < n {
        let rows = order[start..<min(start + b, n)]
        start += rows.count
        let picked =
          replayBatch == memory
          ? memoryOrder[...] : rng.sampleWithoutReplacement(replayBatch, from: &memoryOrder)
        try body(rows, picked, rate(task: task, step: step, of: total))
        step += 1
      }
    }
  }
}
