import EngramNN

/// Joint training, the offline upper bound: one model trained once on every task's data,
/// shuffled together, for the stream's epochs (so its step budget equals the sequential run's).
/// Only the final row of the accuracy matrix is meaningful. See reference/methods.md §1.2.
public struct Joint: Strategy {
  /// A joint baseline.
  public init() {}
  public var descriptor: MethodDescriptor { Self.descriptor }
  /// `--strategy joint`.
  public static let descriptor = MethodDescriptor(
    name: "joint", summary: "One model trained on all tasks at once (the upper reference)",
    roles: .choosesData, needsStoredData: true, build: { _ in Joint() })
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
  public var descriptor: MethodDescriptor { Self.descriptor }
  /// `--strategy cumulative`.
  public static let descriptor = MethodDescriptor(
    name: "cumulative", summary: "Each task trained on the data of every task so far",
    roles: .choosesData, needsStoredData: true, build: { _ in Cumulative() })

  /// Every task so far.
  public func trainingExamples(for task: Int, stream: TaskStream) -> [ExampleReference]? {
    stream.examples(through: task)
  }
}
