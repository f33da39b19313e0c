/// Per task, which of its examples a stream uses: stored lists, or lists generated on demand
/// from a task's index (long streams), so a stream of 500 tasks does not hold 500 lists.
///
/// A random-access collection of `[ExampleReference]` (or `[Int]` test indices): `views[t]`
/// builds task t's list when the views are generated, and the same list every time.
public struct ExampleViews<Element: Sendable>: RandomAccessCollection, Sendable {
  private enum Storage: Sendable {
    case stored([[Element]])
    case generated(count: Int, make: @Sendable (Int) -> [Element])
  }

  private let storage: Storage

  /// Views held as lists.
  public init(_ views: [[Element]]) { storage = .stored(views) }

  /// `count` views, task t's built by `make(t)` whenever it is read (it must be deterministic).
  public init(count: Int, make: @escaping @Sendable (Int) -> [Element]) {
    storage = .generated(count: count, make: make)
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int {
    switch storage {
    case .stored(let views): return views.count
    case .generated(let count, _): return count
    }
  }

  public subscript(task: Int) -> [Element] {
    switch storage {
    case .stored(let views): return views[task]
    case .generated(_, let make): return make(task)
    }
  }

  /// Whether the views are generated on demand.
  public var isGenerated: Bool {
    if case .generated = storage { return true }
    return false
  }
}
