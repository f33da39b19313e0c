import EngramIO
import EngramLinalg
import EngramRandom

/// The order in which tasks are trained: the sequence τ(1), …, τ(k) of Evron et al. (2022).
public enum TaskOrder: Sendable, Equatable {
  /// Each task once, 0, 1, …, T−1.
  case identity
  /// `passes` passes through 0, 1, …, T−1 (k = passes·T).
  case cyclic(passes: Int)
  /// `iterations` tasks drawn independently and uniformly (Evron et al., Definition 12).
  case random(iterations: Int)
  /// An explicit list of task indices (0-based); tasks may repeat or be skipped.
  case explicit([Int])

  /// The longest order trained (10⁶ steps): each step solves a least-squares problem, so longer
  /// orders are hours of work, not a study.
  public static let maximumLength = 1_000_000

  /// The concrete index sequence for `taskCount` tasks.
  ///
  /// Only `.random` draws from the stream.
  /// - Throws: `TheoryError.invalidSpec` for an empty order or an out-of-range index;
  ///   `TheoryError.parameterOutOfRange` for non-positive pass or iteration counts.
  public func indices(taskCount: Int, using stream: inout RandomStream) throws -> [Int] {
    switch self {
    case .identity:
      return Array(0..<taskCount)
    case .cyclic(let passes):
      guard passes >= 1, let steps = CheckedSize.product(passes, taskCount),
        steps <= Self.maximumLength
      else {
        throw TheoryError.parameterOutOfRange(
          name: "passes", value: "\(passes)",
          allowed: "at least 1, and at most \(Self.maximumLength) steps in all (passes × \(taskCount) tasks)")
      }
      return (0..<passes).flatMap { _ in 0..<taskCount }
    case .random(let iterations):
      guard iterations >= 1, iterations <= Self.maximumLength else {
        throw TheoryError.parameterOutOfRange(
          name: "iterations", value: "\(iterations)",
          allowed: "at least 1 and at most \(Self.maximumLength)")
      }
      return (0..<iterations).map { _ in stream.nextInt(below: taskCount) }
    case .explicit(let list):
      guard !list.isEmpty else {
        throw TheoryError.invalidSpec(
          file: nil, field: "order", problem: "is empty; list at least one task index")
      }
      guard list.count <= Self.maximumLength else {
        throw TheoryError.invalidSpec(
          file: nil, field: "order",
          problem: "has \(list.count) steps; at most \(Self.maximumLength) are trained")
      }
      if let (position, bad) = list.enumerated().first(where: { $0.1 < 0 || $0.1 >= taskCount }) {
        throw TheoryError.invalidSpec(
          file: nil, field: "order[\(position)]",
          problem: "task index \(bad) does not exist; indices are 0-based and below \(taskCount)")
      }
      return list
    }
  }

  /// The index sequence of a non-random order.
  /// - Throws: as `indices(taskCount:using:)`.
  public func indices(taskCount: Int) throws -> [Int] {
    var unused = RandomStream(seed: 0)
    return try indices(taskCount: taskCount, using: &unused)
  }
}
