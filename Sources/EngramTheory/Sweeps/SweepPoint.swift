/// Forgetting with and without replay at one value of a swept parameter.
public struct SweepPoint: Sendable, Equatable {
  /// The swept parameter's value (memory size m, angle in degrees, number of tasks, …).
  public let parameter: Double
  /// Expected forgetting with replay.
  public let withReplay: ExpectationEstimate
  /// Forgetting without replay (exact).
  public let noReplay: Double
  /// Whether replay significantly increases forgetting here (set by `SweepAnalysis`).
  public internal(set) var harmful: Bool = false
  /// The curve's local extremum at this point, if any (set by `SweepAnalysis`).
  public internal(set) var turn: Turn? = nil

  /// A local extremum of the forgetting curve.
  public enum Turn: String, Sendable, Codable {
    /// Forgetting rises to here, then falls.
    case peak
    /// Forgetting falls to here, then rises.
    case valley
  }

  /// Creates a point.
  public init(parameter: Double, withReplay: ExpectationEstimate, noReplay: Double) {
    self.parameter = parameter
    self.withReplay = withReplay
    self.noReplay = noReplay
  }

  /// withReplay / noReplay; nil when there is no forgetting without replay (then replay
  /// cannot add any: Mahdaviyeh et al. §3.3).
  public var ratio: Double? {
    noReplay > 0 ? withReplay.mean / noReplay : nil
  }
}

/// Reads a sweep's curve: where replay is harmful and where the curve turns.
///
/// A point is *harmful* when forgetting with replay exceeds the no-replay value by more than
/// 1.96 standard errors (a one-sided 97.5 % test; for exact values, by more than rounding).
/// A step between neighbours counts as up or down only when it exceeds twice the standard
/// error of the difference, so Monte Carlo noise is not reported as non-monotonicity. The
/// curve is *non-monotonic* when it has a significant rise and a significant fall.
public enum SweepAnalysis {
  /// z for the harmful test.
  public static let harmfulZ = 1.96
  /// z for a significant step between neighbours.
  public static let stepZ = 2.0

  /// Marks harmful points and turning points of a sweep sorted by parameter.
  public static func annotate(_ points: [SweepPoint]) -> [SweepPoint] {
    var points = points.sorted { $0.parameter < $1.parameter }
    for i in points.indices {
      let p = points[i]
      let margin =
        p.withReplay.standardError > 0
        ? harmfulZ * p.withReplay.standardError : 1e-12 * max(1, abs(p.noReplay))
      points[i].harmful = p.withReplay.mean - p.noReplay > margin
    }
    // Significant directions between neighbours (+1, −1, 0).
    var steps: [(from: Int, to: Int, direction: Int)] = []
    for i in points.indices.dropLast() {
      let a = points[i].withReplay
      let b = points[i + 1].withReplay
      let noise =
        stepZ * (a.standardError * a.standardError + b.standardError * b.standardError).squareRoot()
      let delta = b.mean - a.mean
      let tiny = 1e-12 * max(1, abs(a.mean), abs(b.mean))
      let direction = delta > noise + tiny ? 1 : (delta < -(noise + tiny) ? -1 : 0)
      if direction != 0 { steps.append((i, i + 1, direction)) }
    }
    // Each change of direction marks the extreme point between the two runs.
    for (previous, next) in zip(steps, steps.dropFirst()) where previous.direction != next.direction
    {
      let range = previous.from...next.to
      let means = range.map { points[$0].withReplay.mean }
      if previous.direction > 0 {
        let top = range.lowerBound + (means.indices.max { means[$0] < means[$1] } ?? 0)
        points[top].turn = .peak
      } else {
        let bottom = range.lowerBound + (means.indices.min { means[$0] < means[$1] } ?? 0)
        points[bottom].turn = .valley
      }
    }
    return points
  }

  /// Whether an annotated curve rises and falls significantly.
  public static func isNonMonotonic(_ points: [SweepPoint]) -> Bool {
    points.contains { $0.turn != nil }
  }
}
