import EngramNN

/// Joint training, the offline upper bound: one model trained once on every task's data,
/// shuffled together, for the stream's epochs (so its step budget equals the sequential run's).
/// Only the final row of the accuracy matrix is meaningful. See reference/methods.md §1.2.
public struct Joint: Strategy {
  /// A joint baseline.
  public init() {}
  public var name: String { "joint" }
  public var roles: StrategyRoles { .choosesData }
  public var evaluatesOnlyAtEnd: Bool { true }

  /// Nothing until the last task, then everything.
  public func trainingExamples(for task: Int, stream: TaskStream) -> [ExampleReference]? {
    task == stream.tasks.count - 1 ? stream.examples(through: task) : []
  }
}

/// Cumulative training: at task t, continue from the previous model on the union of tasks
/// 1…t (data and cost grow with t; each example keeps its own task's transform and mask).
/// See reference/methods.md §1.2.
public struct Cumulative: Strategy {
  /// A cumulative baseline.
  public init() {}
  public var name: String { "cumulative" }
  public var roles: StrategyRoles { .choosesData }

  /// Every task so far.
  public func trainingExamples(for task: Int, stream: TaskStream) -> [ExampleReference]? {
    stream.examples(through: task)
  }
}
