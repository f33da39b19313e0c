import EngramContinual

extension Report {
  /// The per-task measures of a long stream a report plots, by name: online accuracy (or
  /// error), each task's test accuracy at its end, and the diagnostics' layer means.
  static let longStreamMeasures: [(key: String, title: String, axis: String)] = [
    ("online_accuracy", "Online accuracy per task", "online accuracy"),
    ("online_error", "Online squared error per task", "online squared error"),
    ("task_end_accuracy", "Test accuracy at each task's end", "test accuracy"),
    ("dormant_fraction", "Dormant units (mean over hidden layers)", "dormant fraction"),
    ("effective_rank", "Effective rank (mean over hidden layers)", "effective rank"),
    ("plasticity", "Plasticity probe", "accuracy on a fresh task"),
  ]

  /// Per task, the value of measure `key` in `result` (nil where it was not measured).
  static func perTask(_ key: String, _ result: ExperimentResult) -> [Double?] {
    let diagnostics = result.diagnostics ?? []
    switch key {
    case "online_accuracy": return (result.onlineError == nil ? result.onlineAccuracy : nil) ?? []
    case "online_error": return result.onlineError ?? []
    case "task_end_accuracy": return result.taskEndAccuracy ?? []
    case "dormant_fraction": return diagnostics.map { TaskDiagnostics.mean($0.dormantFraction) }
    case "effective_rank": return diagnostics.map { TaskDiagnostics.mean($0.effectiveRank) }
    case "plasticity": return diagnostics.map(\.plasticity)
    default: return []
    }
  }

  /// A long-stream run's figures: one chart per measure it has, per task.
  static func longStreamFigures(_ result: ExperimentResult) -> String {
    var out = ""
    for (key, title, axis) in longStreamMeasures {
      let values = perTask(key, result)
      let points = values.enumerated().compactMap { t, v in
        v.map { SVGChart.Point(x: Double(t + 1), y: $0) }
      }
      guard !points.isEmpty else { continue }
      out += figure(
        SVGChart.LineChart(
          title: title, xLabel: "task", yLabel: axis,
          series: [
            SVGChart.Series(
              name: axis, points: points, color: SVGChart.color(0), markers: points.count <= 40)
          ]
        ).svg(), caption: caption(key))
    }
    return "<div class=\"figs\">\(out)</div>"
  }

  /// The same measures for a sweep: one line per configuration, the mean over its seeds with
  /// the 95 % confidence band (Student t) shaded.
  static func longStreamSweepFigures(
    groups: [(label: String, results: [ExperimentResult])]
  ) -> String {
    var out = ""
    for (key, title, axis) in longStreamMeasures {
      let series = groups.enumerated().compactMap { i, group -> SVGChart.Series? in
        let perRun = group.results.map { perTask(key, $0) }
        let tasks = perRun.map(\.count).max() ?? 0
        var points: [SVGChart.Point] = []
        var band: [ClosedRange<Double>] = []
        for t in 0..<tasks {
          let values = perRun.compactMap { $0.indices.contains(t) ? $0[t] : nil }
          guard !values.isEmpty else { continue }
          let mean = Statistics.mean(values)
          let half = values.count > 1 ? Statistics.confidenceHalfWidth(values) : 0
          points.append(SVGChart.Point(x: Double(t + 1), y: mean))
          band.append((mean - half)...(mean + half))
        }
        guard !points.isEmpty else { return nil }
        return SVGChart.Series(
          name: group.label, points: points, color: SVGChart.color(i), markers: points.count <= 40,
          band: group.results.count > 1 ? band : nil)
      }
      guard !series.isEmpty else { continue }
      out += figure(
        SVGChart.LineChart(title: title, xLabel: "task", yLabel: axis, series: series).svg(),
        caption: caption(key) + " Lines: mean over seeds; bands: 95 % confidence interval.")
    }
    return "<h3>Long stream</h3><div class=\"figs\">\(out)</div>"
  }

  private static func caption(_ key: String) -> String {
    switch key {
    case "online_accuracy":
      return "Accuracy of the network's prediction on each incoming batch before it trained on it, averaged over the task."
    case "online_error":
      return "Squared error of the prediction on each incoming example before the update, averaged over the task."
    case "task_end_accuracy": return "Each task's test accuracy when its training ended."
    case "dormant_fraction":
      return "Units whose mean |activation| on probe examples is at most τ times their layer's mean (ReDo's score)."
    case "effective_rank":
      return "exp of the entropy of the normalised singular values of the probe examples' hidden representation."
    case "plasticity":
      return "Accuracy a copy of the network reaches on a fixed fresh task after a fixed budget of SGD steps."
    default: return ""
    }
  }
}
