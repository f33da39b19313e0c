import EngramLinalg

/// The outcome of training a task sequence: final weights, per-task losses and forgetting.
///
/// Two kinds of loss are kept per task t at the final weights w_k:
/// - on the task's training samples, ‖X_t·w_k − y_t‖² (Mahdaviyeh et al., Definition 2.3);
/// - its expectation over fresh test samples of the average-case model,
///   ‖Π_t·(w_k − w\*)‖² (Proposition 3.4), where Π_t projects onto the task's row space.
public struct RegressionRun: Sendable {
  /// The order trained, as task indices.
  public let order: [Int]
  /// The weights after each iteration, w₁…w_k.
  public let iterates: [[Double]]
  /// ‖X̃·w − ỹ‖² right after each iteration, on the rows trained (replay included); zero up to
  /// rounding in the realisable setting.
  public let trainingErrors: [Double]
  /// ‖X_t·w_k − y_t‖² for each task index t (sum over the task's samples).
  public let taskLosses: [Double]
  /// ‖Π_t·(w_k − w\*)‖² for each task index t.
  public let expectedTestLosses: [Double]

  /// The final weights w_k.
  public var weights: [Double] { iterates.last ?? [] }

  init(
    sequence: TaskSequence, order: [Int], iterates: [[Double]], trainingErrors: [Double],
    tolerance: RankTolerance
  ) throws {
    self.order = order
    self.iterates = iterates
    self.trainingErrors = trainingErrors
    let w = iterates.last ?? [Double](repeating: 0, count: sequence.dimension)
    let error = w.subtracting(sequence.groundTruth)
    var losses: [Double] = []
    var testLosses: [Double] = []
    for x in sequence.tasks {
      losses.append(try linalg { try x.multiplied(by: error).squaredNorm })
      let projection = try linalg {
        try SubspaceProjection(ontoRowSpaceOf: x, tolerance: tolerance)
      }
      testLosses.append(try linalg { try projection.squaredNormOfProjection(error) })
    }
    self.taskLosses = losses
    self.expectedTestLosses = testLosses
  }

  /// Forgetting on the training samples under a normalisation.
  public func forgetting(_ normalization: ForgettingNormalization = .m25) -> Double {
    normalization.average(order.map { taskLosses[$0] })
  }

  /// Forgetting in expectation over test samples (Proposition 3.4) under a normalisation.
  public func expectedTestForgetting(_ normalization: ForgettingNormalization = .m25) -> Double {
    normalization.average(order.map { expectedTestLosses[$0] })
  }
}
