/// Accuracy on every seen task's evaluation subset, every k iterations (De Lange, van de Ven &
/// Tuytelaars 2023), and the metrics read from those curves.
///
/// See reference/methods.md §7.6 (oracle O2). `points[j]` is task j's curve as (iteration,
/// accuracy), starting when task j starts; `taskEnds[j]` the iteration at which task j's
/// training ended.
public struct ContinualEvaluation: Sendable, Equatable, Codable {
  /// One evaluation.
  public struct Point: Sendable, Equatable, Codable {
    /// Iterations since the start of the stream.
    public let iteration: Int
    /// Accuracy on the task's evaluation subset.
    public let accuracy: Double

    /// A point.
    public init(iteration: Int, accuracy: Double) {
      self.iteration = iteration
      self.accuracy = accuracy
    }
  }

  /// Curves per task.
  public var points: [[Point]]
  /// The iteration at which each task's training ended (nil while it has not).
  public var taskEnds: [Int?]

  /// Empty curves for `tasks` tasks.
  public init(tasks: Int) {
    points = [[Point]](repeating: [], count: tasks)
    taskEnds = [Int?](repeating: nil, count: tasks)
  }

  /// Curves from explicit points (tests, imports).
  public init(points: [[Point]], taskEnds: [Int?]) {
    self.points = points
    self.taskEnds = taskEnds
  }

  /// The last task whose training has started, at the last evaluation.
  var current: Int { points.lastIndex { !$0.isEmpty } ?? 0 }

  /// The worst accuracy of task j after its training ended (nil if none yet).
  public func minimumAfterTraining(_ j: Int) -> Double? {
    guard let end = taskEnds[j] else { return nil }
    return points[j].filter { $0.iteration > end }.map(\.accuracy).min()
  }

  /// min-ACC: mean over earlier tasks of their worst accuracy after they were learned.
  public var minACC: Double? {
    let k = current
    guard k >= 1 else { return nil }
    let minima = (0..<k).compactMap(minimumAfterTraining)
    return minima.isEmpty ? nil : minima.reduce(0, +) / Double(minima.count)
  }

  /// WC-ACC = (1/k)·A(current task, now) + (1 − 1/k)·min-ACC.
  public var wcACC: Double? {
    let k = current
    guard let now = points[k].last?.accuracy else { return nil }
    guard let minimum = minACC else { return now }
    let n = Double(k + 1)
    return now / n + (1 - 1 / n) * minimum
  }

  /// The largest drop (a < b) within any w consecutive evaluations of one curve.
  public static func windowedDrop(_ values: [Double], window w: Int, increase: Bool = false)
    -> Double
  {
    var best = 0.0
    for start in values.indices {
      let end = min(values.count, start + w)
      for a in start..<end {
        for b in (a + 1)..<max(a + 1, end) {
          best = max(best, increase ? values[b] - values[a] : values[a] - values[b])
        }
      }
    }
    return best
  }

  /// WF^w: windowed forgetting averaged over the tasks before the current one, over each
  /// task's whole curve (so the drop at a task switch — the stability gap — counts).
  public func windowedForgetting(window w: Int = 10) -> Double? {
    let k = current
    guard k >= 1 else { return nil }
    return (0..<k).map { Self.windowedDrop(points[$0].map(\.accuracy), window: w) }.reduce(0, +)
      / Double(k)
  }

  /// WP^w of one task: its largest rise within w consecutive evaluations.
  public func windowedPlasticity(task j: Int, window w: Int = 10) -> Double {
    Self.windowedDrop(points[j].map(\.accuracy), window: w, increase: true)
  }

  /// The final average accuracy on the evaluation subsets.
  public var finalAccuracy: Double? {
    let last = (0...current).compactMap { points[$0].last?.accuracy }
    return last.isEmpty ? nil : last.reduce(0, +) / Double(last.count)
  }
}
