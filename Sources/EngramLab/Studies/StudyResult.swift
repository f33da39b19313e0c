import EngramContinual
import Foundation

/// One point of a study curve: a statistic over paired seeds at one x (memory size, angle,
/// replayed sample), with its comparison to the curve's baseline point.
public struct StudyPoint: Codable, Sendable, Equatable {
  /// The x value (memory size, angle in degrees, or the arm's position for sample studies).
  public var x: Double
  /// What the point is ("m=3", "class 4", "45°").
  public var label: String
  /// Seeds (or draws) behind it.
  public var count: Int
  /// Mean forgetting.
  public var mean: Double
  /// Standard deviation over seeds.
  public var standardDeviation: Double
  /// 95 % confidence interval of the mean (Student t), or the exact value twice.
  public var ciLow: Double
  /// Upper end of the interval.
  public var ciHigh: Double
  /// Mean paired difference to the baseline (this point minus baseline), when compared.
  public var difference: Double?
  /// 95 % interval of the paired difference.
  public var differenceLow: Double?
  /// Upper end of that interval.
  public var differenceHigh: Double?
  /// Welch's two-sided p-value against the baseline.
  public var pValue: Double?
  /// The paired t-test's two-sided p-value against the baseline.
  public var pairedPValue: Double?
  /// Replay significantly increased forgetting here (difference > 0, Welch p < α).
  public var harmful: Bool
  /// Replay significantly reduced forgetting here.
  public var helpful: Bool

  /// A point without comparison (exact values, or a curve with no baseline).
  public init(x: Double, label: String, values: [Double]) {
    self.x = x
    self.label = label
    count = values.count
    mean = Statistics.mean(values)
    standardDeviation = Statistics.standardDeviation(values)
    let h = Statistics.confidenceHalfWidth(values)
    ciLow = h.isFinite ? mean - h : mean
    ciHigh = h.isFinite ? mean + h : mean
    harmful = false
    helpful = false
  }

  /// A point compared with the paired `baseline` values (same seeds, same order).
  public init(x: Double, label: String, values: [Double], baseline: [Double], alpha: Double) {
    self.init(x: x, label: label, values: values)
    let differences = zip(values, baseline).map { $0 - $1 }
    let d = Statistics.mean(differences)
    let h = Statistics.confidenceHalfWidth(differences)
    difference = d
    differenceLow = h.isFinite ? d - h : d
    differenceHigh = h.isFinite ? d + h : d
    if let welch = Statistics.welch(values, baseline) {
      pValue = welch.p
    } else {
      pValue = Statistics.mean(values) == Statistics.mean(baseline) ? 1 : 0
    }
    pairedPValue = Statistics.pairedT(values, baseline)?.p
    let significant = (pValue ?? 1) < alpha
    harmful = significant && d > 0
    helpful = significant && d < 0
  }
}

/// A named curve of a study ("network", "exact theory", "linear (SGD)", "MLP").
public struct StudySeries: Codable, Sendable, Equatable {
  /// The curve's name.
  public var name: String
  /// Its points, in x order.
  public var points: [StudyPoint]

  /// A series.
  public init(name: String, points: [StudyPoint]) {
    self.name = name
    self.points = points
  }
}

/// What a replay study found, as stored and reported.
public struct StudyResult: Codable, Sendable, Equatable {
  /// Which study: "count", "samples", "regression", "angle" or "advice".
  public var study: String
  /// A title ("Split Fashion-MNIST (0, 6) → (1, 7)").
  public var title: String
  /// What x is ("replayed samples m", "angle (degrees)", "replayed sample").
  public var xLabel: String
  /// What the values are ("forgetting (drop in task-1 accuracy)").
  public var yLabel: String
  /// Significance level used for `harmful` and `helpful`.
  public var alpha: Double
  /// The curves.
  public var series: [StudySeries]
  /// Per-seed outcomes of network studies (for re-analysis).
  public var seeds: [ReplaySeedOutcome]?
  /// Free-form notes (settings that matter, caveats).
  public var notes: [String]

  /// A study result.
  public init(
    study: String, title: String, xLabel: String, yLabel: String, alpha: Double = 0.05,
    series: [StudySeries], seeds: [ReplaySeedOutcome]? = nil, notes: [String] = []
  ) {
    self.study = study
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.alpha = alpha
    self.series = series
    self.seeds = seeds
    self.notes = notes
  }

  /// The network arms of paired seeds, compared with the first arm (m = 0 or no replay).
  /// - Parameter x: the x value of each arm (memory size for count studies).
  public static func network(
    study: String, title: String, xLabel: String, outcomes: [ReplaySeedOutcome],
    x: (Int, ReplayArmOutcome) -> Double, alpha: Double = 0.05, notes: [String] = []
  ) -> StudyResult {
    let arms = outcomes.first?.arms ?? []
    let baseline = outcomes.map { $0.arms[0].forgetting }
    let points = arms.indices.map { i in
      StudyPoint(
        x: x(i, arms[i]), label: arms[i].name, values: outcomes.map { $0.arms[i].forgetting },
        baseline: baseline, alpha: alpha)
    }
    return StudyResult(
      study: study, title: title, xLabel: xLabel,
      yLabel: "forgetting (drop in earlier-task test accuracy)", alpha: alpha,
      series: [StudySeries(name: "network", points: points)], seeds: outcomes, notes: notes)
  }

  /// The x values where the first series shows significant harm.
  public var harmfulLabels: [String] {
    series.first?.points.filter(\.harmful).map(\.label) ?? []
  }
}

/// Store records of studies.
public enum StudyRecord {
  /// A complete run of kind `replay-study` whose configuration is `base` plus `study` and the
  /// `settings` as `study_*` keys (so `engram runs list --where study_figure=1b` works).
  public static func make(
    _ result: StudyResult, settings: [String: String], seed: UInt64, started: Date,
    base: [String: Any] = [:]
  ) throws -> RunRecord {
    var object = base
    object["study"] = result.study
    for (key, value) in settings { object["study_\(key)"] = value }
    let json = String(
      decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
      as: UTF8.self)
    return RunRecord(
      // The title in the label, so `runs list` says which sequence a study is about.
      kind: .study, status: .complete, runKey: RunRecord.key(json),
      label: "\(result.study): \(result.title)",
      seed: seed, config: json, startedAt: started, finishedAt: Date(), study: result)
  }
}
