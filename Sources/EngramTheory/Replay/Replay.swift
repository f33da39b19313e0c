import EngramLinalg

/// Samples replayed while training one task: the memory (X_mem, y_mem) of Mahdaviyeh et al.
/// (2025) §2.2, with y_mem = X_mem·w\*.
///
/// The rows are stacked under the task's own rows every time that task is trained. The paper
/// replays in the last task only; any task may receive replay here.
public struct Replay: Sendable, Equatable {
  /// Index of the task that receives the replayed rows.
  public let task: Int
  /// The replayed samples, one per row (m × d).
  public let rows: Matrix<Double>

  /// A replay of `rows` into task `task`.
  public init(task: Int, rows: Matrix<Double>) {
    self.task = task
    self.rows = rows
  }

  /// Checks the replay against a sequence and order.
  /// - Throws: `TheoryError.invalidSpec` for a task index that does not exist or is never
  ///   trained, rows of the wrong width, or non-finite values.
  func validate(against sequence: TaskSequence, order: [Int]) throws {
    try validate(taskCount: sequence.count, dimension: sequence.dimension, order: order)
  }

  func validate(taskCount: Int, dimension: Int, order: [Int]) throws {
    guard task >= 0, task < taskCount else {
      throw TheoryError.invalidSpec(
        file: nil, field: "replay.task",
        problem: "task index \(task) does not exist; indices are 0-based and below \(taskCount)")
    }
    guard order.contains(task) else {
      throw TheoryError.invalidSpec(
        file: nil, field: "replay.task",
        problem:
          "task \(task) is never trained in the order \(order); replay into a task the order visits"
      )
    }
    guard rows.rows == 0 || rows.columns == dimension else {
      throw TheoryError.invalidSpec(
        file: nil, field: "replay.rows",
        problem: "rows have \(rows.columns) entries but w_star has \(dimension)")
    }
    guard rows.isFinite else {
      throw TheoryError.invalidSpec(
        file: nil, field: "replay.rows", problem: "contains NaN or infinity; use finite numbers")
    }
  }
}
