import EngramLinalg

/// Continual linear regression trained to convergence on each task: the exact model of
/// Mahdaviyeh et al. (2025) and Evron et al. (2022).
///
/// Each iteration applies the minimum-norm update
/// w_t = w_{t−1} + X̃_t⁺·(ỹ_t − X̃_t·w_{t−1}), where X̃_t is the task's matrix with any replayed
/// rows stacked below it — the point that gradient descent from w_{t−1} converges to
/// (reference/replay-theory.md §1.2–1.3). This path applies the formula literally through an
/// SVD-based pseudo-inverse; `ReplayExperiment` evaluates many replay draws faster in the
/// equivalent projection form.
public struct ContinualRegression: Sendable {
  /// The tasks and ground truth.
  public let sequence: TaskSequence
  /// Rank tolerance for the pseudo-inverses.
  public let tolerance: RankTolerance

  /// A model of training on `sequence`.
  public init(sequence: TaskSequence, tolerance: RankTolerance = .automatic) {
    self.sequence = sequence
    self.tolerance = tolerance
  }

  /// One minimum-norm update: the point closest to `weights` that fits (rows, labels).
  /// - Returns: the new weights and the training error ‖X·w − y‖² at them.
  /// - Throws: `TheoryError.linearAlgebra` if the SVD fails.
  /// - Complexity: one SVD of the n × d matrix.
  public func minimumNormUpdate(from weights: [Double], rows: Matrix<Double>, labels: [Double])
    throws -> (weights: [Double], trainingError: Double)
  {
    try linalg {
      let residual = try labels.subtracting(rows.multiplied(by: weights))
      let step = try rows.leastSquares(residual, tolerance: tolerance)
      var next = weights
      next.add(step.solution)
      return (next, try rows.multiplied(by: next).subtracting(labels).squaredNorm)
    }
  }

  /// Trains from w₀ = 0 through `order`, replaying `replay` whenever its task is trained.
  /// - Throws: `TheoryError.invalidSpec` for an invalid order or replay; linear-algebra errors.
  /// - Complexity: k SVDs, one per iteration.
  public func train(order: [Int], replay: Replay? = nil) throws -> RegressionRun {
    _ = try TaskOrder.explicit(order).indices(taskCount: sequence.count)
    try replay?.validate(against: sequence, order: order)
    let augmented = try replay.map { r in
      try linalg { try sequence.tasks[r.task].appendingRows(of: r.rows) }
    }
    var w = [Double](repeating: 0, count: sequence.dimension)
    var iterates: [[Double]] = []
    var trainingErrors: [Double] = []
    for t in order {
      let rows = (replay?.task == t ? augmented : nil) ?? sequence.tasks[t]
      let labels = try linalg { try rows.multiplied(by: sequence.groundTruth) }
      let step = try minimumNormUpdate(from: w, rows: rows, labels: labels)
      w = step.weights
      iterates.append(w)
      trainingErrors.append(step.trainingError)
    }
    return try RegressionRun(
      sequence: sequence, order: order, iterates: iterates, trainingErrors: trainingErrors,
      tolerance: tolerance)
  }
}
