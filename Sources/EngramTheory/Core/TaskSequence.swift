import EngramLinalg

/// T noiseless linear-regression tasks that share one ground truth w\*.
///
/// Task t is a data matrix X_t (n_t × d, one sample per row) with labels y_t = X_t·w\*; the
/// setting is realisable by construction, as in Mahdaviyeh et al. (2025) §2 and Evron et al.
/// (2022) §2 (reference/replay-theory.md §1.1).
public struct TaskSequence: Sendable, Equatable {
  /// The data matrices, one per task.
  public let tasks: [Matrix<Double>]
  /// The ground truth w\*.
  public let groundTruth: [Double]

  /// Checks and stores a task sequence.
  /// - Throws: `TheoryError.invalidSpec` naming the task when there are no tasks, a task has
  ///   no rows, dimensions disagree with w\*, or a value is not finite.
  public init(tasks: [Matrix<Double>], groundTruth: [Double]) throws {
    guard !groundTruth.isEmpty else {
      throw TheoryError.invalidSpec(
        file: nil, field: "w_star", problem: "is empty; give one weight per feature")
    }
    guard groundTruth.allSatisfy(\.isFinite) else {
      throw TheoryError.invalidSpec(
        file: nil, field: "w_star", problem: "contains NaN or infinity; use finite numbers")
    }
    guard !tasks.isEmpty else {
      throw TheoryError.invalidSpec(
        file: nil, field: "tasks", problem: "is empty; give at least one task")
    }
    for (t, x) in tasks.enumerated() {
      guard x.rows > 0 else {
        throw TheoryError.invalidSpec(
          file: nil, field: "tasks[\(t)].rows",
          problem: "is empty; a task needs at least one sample")
      }
      guard x.columns == groundTruth.count else {
        throw TheoryError.invalidSpec(
          file: nil, field: "tasks[\(t)].rows",
          problem:
            "rows have \(x.columns) entries but w_star has \(groundTruth.count); every row must match w_star's length"
        )
      }
      guard x.isFinite else {
        throw TheoryError.invalidSpec(
          file: nil, field: "tasks[\(t)].rows",
          problem: "contains NaN or infinity; use finite numbers")
      }
    }
    self.tasks = tasks
    self.groundTruth = groundTruth
  }

  /// The ambient dimension d.
  public var dimension: Int { groundTruth.count }

  /// The number of tasks T.
  public var count: Int { tasks.count }

  /// The labels y_t = X_t·w\* of task t.
  public func labels(of task: Int) -> [Double] {
    (try? tasks[task].multiplied(by: groundTruth)) ?? []
  }

  /// The same tasks with another ground truth.
  /// - Throws: as `init(tasks:groundTruth:)`.
  public func with(groundTruth: [Double]) throws -> TaskSequence {
    try TaskSequence(tasks: tasks, groundTruth: groundTruth)
  }
}
