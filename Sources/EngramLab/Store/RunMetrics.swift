import EngramContinual

/// The scalar metrics of a finished (or partial) run, by their JSON/store names.
///
/// One place computes them for `engram run --json`, the results store, sweep summaries and
/// reports, so every view of a run agrees.
public struct RunMetrics: Sendable, Equatable {
  /// Metric names in display order.
  public static let names = [
    "average_accuracy", "forgetting", "forgetting_drop", "bwt", "fwt", "fwt_zero_shot",
    "learning_accuracy", "average_incremental_accuracy", "min_acc", "wc_acc",
    "windowed_forgetting", "mean_online_accuracy", "final_online_accuracy",
    "mean_task_end_accuracy", "mean_online_error", "final_online_error", "forgettable_examples",
  ]

  /// The metrics summaries show per configuration (sweep tables, reports), in order; each
  /// view keeps those its runs define.
  public static let summaryNames = [
    "average_accuracy", "forgetting", "bwt", "min_acc", "wc_acc", "mean_online_accuracy",
    "final_online_accuracy", "mean_online_error", "final_online_error", "seconds",
  ]

  /// Value of each metric that the run defines.
  public let values: [String: Double]

  /// The metrics of `result`.
  public init(_ result: ExperimentResult) {
    let r = result.accuracyMatrix
    let all: [(String, Double?)] = [
      ("average_accuracy", r.rows.isEmpty ? nil : r.finalAverageAccuracy),
      ("forgetting", r.averageForgetting(.chaudhry)),
      ("forgetting_drop", r.averageForgetting(.drop)),
      ("bwt", r.backwardTransfer),
      ("fwt", result.referenceAccuracy.flatMap { r.forwardTransfer(reference: $0) }),
      ("fwt_zero_shot", r.forwardTransfer(untrained: result.untrainedAccuracy)),
      ("learning_accuracy", r.learningAccuracy),
      ("average_incremental_accuracy", r.rows.isEmpty ? nil : r.averageIncrementalAccuracy),
      ("min_acc", result.curves?.minACC),
      ("wc_acc", result.curves?.wcACC),
      ("windowed_forgetting", result.curves?.windowedForgetting()),
      ("mean_online_accuracy", Self.mean(result.onlineAccuracy)),
      ("final_online_accuracy", result.onlineAccuracy?.last),
      ("mean_task_end_accuracy", Self.mean(result.taskEndAccuracy)),
      ("mean_online_error", Self.mean(result.onlineError)),
      ("final_online_error", result.onlineError?.last),
      ("forgettable_examples", Self.forgettable(result.exampleForgetting)),
    ]
    values = Dictionary(
      uniqueKeysWithValues: all.compactMap { name, value in value.map { (name, $0) } })
  }

  /// Toneva et al.'s forgettable examples: the fraction of presented training examples
  /// forgotten at least once.
  static func forgettable(_ events: [ForgettingEvents]?) -> Double? {
    guard let events else { return nil }
    var presented = 0
    var forgotten = 0
    for task in events {
      for i in 0..<task.count where task.presentations(of: i) > 0 {
        presented += 1
        if task.forgettingEvents(of: i) > 0 { forgotten += 1 }
      }
    }
    return presented == 0 ? nil : Double(forgotten) / Double(presented)
  }

  /// The mean of a non-empty list.
  static func mean(_ values: [Double]?) -> Double? {
    guard let values, !values.isEmpty else { return nil }
    return Statistics.mean(values)
  }

  /// A metric's value (nil when the run does not define it).
  public subscript(name: String) -> Double? { values[name] }
}
