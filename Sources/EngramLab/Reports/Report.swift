import EngramContinual
import Foundation

/// Self-contained HTML reports (inline CSS and SVG; no scripts, no network) of runs, theory
/// sweeps and sweeps, with the tables behind every plot.
public enum Report {
  /// One part of a report page.
  public struct Section: Sendable {
    /// Its heading.
    public let title: String
    /// Its HTML.
    public let html: String

    /// A section titled `title` holding `html`.
    public init(title: String, html: String) {
      self.title = title
      self.html = html
    }
  }

  /// The generator tag every report page carries: how an output check knows a report file is
  /// Engram's to replace.
  public static let marker = #"<meta name="generator" content="engram report">"#

  /// The attribute every chart Engram draws carries (so a figure file is known as Engram's).
  public static let figureMarker = "data-generator=\"engram\""

  /// Text made safe for HTML (element content and quoted attribute values).
  public static func escape(_ text: String) -> String { SVGChart.escape(text) }

  /// A whole page from sections; `refreshSeconds` makes the browser reload it (live pages of
  /// `engram serve`; no script needed).
  public static func page(
    title: String, sections: [Section], store: String, refreshSeconds: Int? = nil
  ) -> String {
    let generated = ISO8601DateFormatter().string(from: Date())
    let toc = sections.enumerated().map {
      "<li><a href=\"#s\($0.offset)\">\(SVGChart.escape($0.element.title))</a></li>"
    }.joined()
    let body = sections.enumerated().map {
      "<section id=\"s\($0.offset)\"><h2>\(SVGChart.escape($0.element.title))</h2>\($0.element.html)</section>"
    }.joined(separator: "\n")
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8">
      \(marker)
      \(refreshSeconds.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" } ?? "")
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(SVGChart.escape(title))</title>
      <style>
      body { font-family: Helvetica, Arial, sans-serif; margin: 0 auto; max-width: 1120px; padding: 16px 28px; color: #1d1d1f; }
      h1 { font-size: 26px; margin-bottom: 4px; } h2 { font-size: 20px; border-bottom: 2px solid #4e79a7; padding-bottom: 4px; margin-top: 36px; }
      h3 { font-size: 16px; margin-top: 22px; } .meta { color: #666; font-size: 13px; }
      table { border-collapse: collapse; margin: 10px 0 18px; font-size: 13px; }
      th, td { border: 1px solid #ddd; padding: 4px 9px; text-align: right; } th { background: #f3f5f8; }
      td.l, th.l { text-align: left; } .figs { display: flex; flex-wrap: wrap; gap: 12px; }
      figure { margin: 6px 0; } figcaption { font-size: 13px; color: #444; max-width: 720px; }
      .harmful { color: #c0392b; font-weight: bold; } details { margin: 8px 0; font-size: 13px; }
      code { background: #f3f3f3; padding: 1px 4px; }
      </style></head><body>
      <h1>\(SVGChart.escape(title))</h1>
      <p class="meta">Engram \(CodeVersion.release) · store \(SVGChart.escape(store)) · generated \(generated)</p>
      <ul>\(toc)</ul>
      \(body)
      </body></html>

      """
  }

  // MARK: Tables

  static func table(_ header: [String], _ rows: [[String]], leftColumns: Int = 1) -> String {
    let head = header.enumerated().map {
      "<th\($0.offset < leftColumns ? " class=\"l\"" : "")>\(SVGChart.escape($0.element))</th>"
    }.joined()
    let body = rows.map { row in
      "<tr>"
        + row.enumerated().map {
          "<td\($0.offset < leftColumns ? " class=\"l\"" : "")>\($0.element)</td>"
        }.joined() + "</tr>"
    }.joined()
    return "<table><tr>\(head)</tr>\(body)</table>"
  }

  static func format(_ v: Double?, _ digits: Int = 4) -> String {
    guard let v, v.isFinite else { return "–" }
    return String(format: "%.\(digits)f", v)
  }

  /// Every standalone `<svg>` chart in `html`, in order: for figures outside the page.
  public static func charts(in html: String) -> [String] {
    var charts: [String] = []
    var rest = html[...]
    while let start = rest.range(of: "<svg "),
      let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex)
    {
      charts.append(String(rest[start.lowerBound..<end.upperBound]))
      rest = rest[end.upperBound...]
    }
    return charts
  }

  static func figure(_ svg: String, caption: String) -> String {
    "<figure>\(svg)<figcaption>\(caption)</figcaption></figure>"
  }

  static func settings(_ json: String) -> String {
    let flat = ResultsStore.flatConfig(json)
    let rows = flat.keys.sorted().map { ["<code>\($0)</code>", SVGChart.escape(flat[$0] ?? "")] }
    return "<details><summary>All settings</summary>"
      + table(["key", "value"], rows, leftColumns: 2) + "</details>"
  }

  // MARK: Network runs

  /// A network run: metrics, the accuracy matrix as a heatmap, and its continual-evaluation
  /// curves with task boundaries.
  public static func runSection(_ record: RunRecord, id: Int64) -> Section {
    guard let result = record.result else {
      return Section(
        title: "Run \(id) (\(record.label)): \(record.status.rawValue)",
        html: "<p>\(SVGChart.escape(record.message ?? "no results"))</p>")
    }
    let flat = ResultsStore.flatConfig(record.config)
    let describe =
      "\(record.label) on \(flat["benchmark"] ?? "") \(flat["dataset"] ?? ""), \(flat["scenario"] ?? "")-incremental, seed \(record.seed)"
    var html =
      "<p class=\"meta\">\(SVGChart.escape(describe)) · \(record.status.rawValue) · \(SVGChart.escape(record.codeVersion))</p>"
    if let message = record.message {
      html += "<p class=\"harmful\">\(SVGChart.escape(message))</p>"
    }
    let metrics = RunMetrics(result)
    var rows = RunMetrics.names.compactMap { name in metrics[name].map { [name, format($0)] } }
    rows.append(["seconds", format(result.cost.seconds, 1)])
    rows.append(["training FLOPs", String(format: "%.3g", result.cost.trainingFLOPs)])
    rows.append(["peak memory (MB)", format(Double(result.cost.peakMemoryBytes) / 1e6, 0)])
    rows.append(["memory buffers (bytes)", "\(result.cost.memoryBufferBytes)"])
    html += "<div class=\"figs\"><div>" + table(["metric", "value"], rows) + "</div>"
    let running = record.status == .running
    if result.isLongStream {
      html += "</div>" + longStreamFigures(result) + settings(record.config)
      return Section(title: "Run \(id): \(record.label), seed \(record.seed)", html: html)
    }
    html += figure(
      result.accuracyMatrix.rows.isEmpty && running
        ? "<p class=\"meta\">No task has finished yet: the matrix grows a row at each task's end.</p>"
        : heatmap(result.accuracyMatrix, title: "Accuracy matrix R[i][j]", firstRows: running),
      caption:
        "Test accuracy on task j (columns) after training task i (rows). The diagonal is what each task learned; each column below it shows how much of that survives the later tasks."
    )
    html += "</div>"
    if let curves = result.curves {
      html += curvesFigure(curves, title: "Accuracy on each task during training")
    }
    html += settings(record.config)
    return Section(title: "Run \(id): \(record.label), seed \(record.seed)", html: html)
  }

  /// R as a heatmap. Fewer rows than tasks are the last ones (Joint's single row) unless
  /// `firstRows` (a running run, whose rows so far are the first ones).
  static func heatmap(
    _ matrix: AccuracyMatrix, title: String, width: Double = 460, firstRows: Bool = false
  ) -> String {
    let n = matrix.taskCount
    let offset = firstRows ? 0 : n - matrix.rows.count
    return SVGChart.Heatmap(
      title: title, rowLabels: matrix.rows.indices.map { "after \($0 + 1 + offset)" },
      columnLabels: (1...max(1, n)).map { "task \($0)" },
      values: matrix.rows.map { $0.map(Optional.some) }, width: width
    ).svg()
  }

  static func curvesFigure(_ curves: ContinualEvaluation, title: String) -> String {
    let series = curves.points.enumerated().compactMap { task, points -> SVGChart.Series? in
      guard !points.isEmpty else { return nil }
      return SVGChart.Series(
        name: "task \(task + 1)",
        points: points.map { SVGChart.Point(x: Double($0.iteration), y: $0.accuracy) },
        color: SVGChart.color(task), markers: false)
    }
    let markers = curves.taskEnds.enumerated().compactMap { task, end in
      end.map { SVGChart.Marker(x: Double($0), label: "end \(task + 1)") }
    }.dropLast()
    let chart = SVGChart.LineChart(
      title: title, xLabel: "iteration", yLabel: "accuracy (evaluation subset)", series: series,
      markers: Array(markers), yRange: 0...1)
    let drops = stabilityGaps(curves)
    // A drop followed by recovery is the stability gap; one without is plain forgetting.
    let gaps = drops.filter { $0.after - $0.low > 0.1 }
    let forgotten = drops.filter { $0.after - $0.low <= 0.1 }
    var caption =
      "Each task's accuracy, evaluated every few iterations; dashed lines are task boundaries."
    if !gaps.isEmpty {
      caption +=
        " Stability gap (a drop as the next task begins, then partial recovery): "
        + gaps.map {
          "task \($0.task + 1) falls from \(format($0.before, 3)) to \(format($0.low, 3)) within \($0.within) iterations and recovers to \(format($0.after, 3))"
        }.joined(separator: "; ") + "."
    }
    if !forgotten.isEmpty {
      caption +=
        " Forgotten without recovery: "
        + forgotten.map {
          "task \($0.task + 1) (\(format($0.before, 2)) → \(format($0.after, 2)))"
        }.joined(separator: ", ") + "."
    }
    return figure(chart.svg(), caption: SVGChart.escape(caption))
  }

  /// The drop of each task right after the next task begins (De Lange et al. 2023).
  static func stabilityGaps(_ curves: ContinualEvaluation) -> [(
    task: Int, before: Double, low: Double, within: Int, after: Double
  )] {
    var gaps: [(Int, Double, Double, Int, Double)] = []
    for (task, points) in curves.points.enumerated() {
      guard let end = curves.taskEnds.indices.contains(task) ? curves.taskEnds[task] : nil,
        let before = points.last(where: { $0.iteration <= end })
      else { continue }
      let nextEnd = curves.taskEnds.indices.contains(task + 1) ? curves.taskEnds[task + 1] : nil
      let window = points.filter { $0.iteration > end && $0.iteration <= (nextEnd ?? Int.max) }
      guard let low = window.min(by: { $0.accuracy < $1.accuracy }), let after = window.last,
        before.accuracy - low.accuracy > 0.1
      else { continue }
      gaps.append((task, before.accuracy, low.accuracy, low.iteration - end, after.accuracy))
    }
    return gaps.map { (task: $0.0, before: $0.1, low: $0.2, within: $0.3, after: $0.4) }
  }

  // MARK: Theory sweeps

  /// A theory sweep: forgetting with replay (±1.96 SE) against the swept parameter, the
  /// no-replay level, and the harmful region shaded.
  public static func theorySection(_ record: RunRecord, id: Int64) -> Section {
    let points = record.theory ?? []
    let name = points.first?.parameterName ?? "parameter"
    let flat = ResultsStore.flatConfig(record.config)
    let withReplay = SVGChart.Series(
      name: "with replay",
      points: points.map {
        SVGChart.Point(
          x: $0.parameter, y: $0.expectedForgetting, low: 1.96 * $0.standardError,
          high: 1.96 * $0.standardError)
      }, color: SVGChart.color(0))
    let without = SVGChart.Series(
      name: "no replay", points: points.map { SVGChart.Point(x: $0.parameter, y: $0.noReplay) },
      color: SVGChart.color(2), dashed: true, markers: false)
    let xs = points.map(\.parameter)
    let shaded = points.enumerated().filter(\.element.harmful).map { i, p -> (Double, Double) in
      let from = i > 0 ? (xs[i - 1] + p.parameter) / 2 : p.parameter
      let to = i + 1 < xs.count ? (xs[i + 1] + p.parameter) / 2 : p.parameter
      return (from, to)
    }
    let chart = SVGChart.LineChart(
      title: "Expected forgetting against \(name) (\(record.label))", xLabel: name,
      yLabel: "expected forgetting", series: [withReplay, without],
      shaded: shaded.map { (from: $0.0, to: $0.1) }, shadedLabel: "replay harmful")
    let harmful = points.filter(\.harmful).map { SVGChart.tickLabel($0.parameter) }
    var html =
      "<p class=\"meta\">construction \(SVGChart.escape(record.label)), \(SVGChart.escape(flat["draws"] ?? "")) draws per point, seed \(record.seed)</p>"
    html += figure(
      chart.svg(),
      caption:
        "Error bars: 95 % intervals of the Monte Carlo estimate. Shaded: \(name) values where replay raises forgetting above the no-replay level by more than 1.96 standard errors"
        + (harmful.isEmpty ? " (none)." : " (\(harmful.joined(separator: ", "))).")
    )
    html += table(
      [name, "with replay", "± SE", "no replay", "ratio", ""],
      points.map {
        [
          SVGChart.tickLabel($0.parameter), format($0.expectedForgetting, 5),
          format($0.standardError, 5), format($0.noReplay, 5), format($0.ratio, 3),
          $0.harmful ? "<span class=\"harmful\">harmful</span>" : ($0.turn ?? ""),
        ]
      })
    html += settings(record.config)
    return Section(title: "Theory sweep (run \(id)): \(record.label)", html: html)
  }

  // MARK: Sweeps

  /// A sweep: the summary table, accuracy and forgetting per configuration with 95 %
  /// intervals, forgetting against replay size when a memory key varies, and each
  /// configuration's mean accuracy matrix and curves.
  public static func sweepSection(_ summary: SweepSummary, records: [Int64: RunRecord]) -> Section {
    let varying = summary.varying
    func label(_ group: SweepSummary.Group) -> String {
      guard !varying.isEmpty else { return "all" }
      // Numbers say which key they are ("memory 500"); names speak for themselves.
      return varying.map { key in
        let value = group.settings[key] ?? ""
        return Double(value) == nil ? value : "\(key) \(value)"
      }.joined(separator: " ")
    }
    let shown = RunMetrics.summaryNames.filter(summary.metricNames.contains)
    var html =
      "<p class=\"meta\">\(summary.groups.reduce(0) { $0 + $1.runIDs.count }) complete runs in \(summary.groups.count) configurations; mean ± half-width of the 95 % confidence interval over seeds (Student t).</p>"
    if !summary.incomplete.isEmpty {
      html +=
        "<p class=\"harmful\">Not included: "
        + summary.incomplete.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + " runs.</p>"
    }
    html += table(
      varying + ["n"] + shown,
      summary.groups.map { group in
        varying.map { SVGChart.escape(group.settings[$0] ?? "") } + ["\(group.runIDs.count)"]
          + shown.map { name in
            guard let m = group.metrics[name] else { return "–" }
            let digits = name == "seconds" ? 1 : 4
            guard let low = m.ciLow, let high = m.ciHigh else { return format(m.mean, digits) }
            return "\(format(m.mean, digits)) ± \(format((high - low) / 2, digits))"
          }
      }, leftColumns: varying.count)
    var figures = ""
    for (metric, title) in [
      ("average_accuracy", "Average accuracy"), ("forgetting", "Forgetting (Chaudhry)"),
    ] where summary.metricNames.contains(metric) {
      let bars = summary.groups.enumerated().compactMap { i, group -> SVGChart.Bar? in
        guard let m = group.metrics[metric] else { return nil }
        return SVGChart.Bar(
          label: label(group), value: m.mean, low: m.ciLow, high: m.ciHigh,
          color: SVGChart.color(i))
      }
      figures += figure(
        SVGChart.BarChart(title: "\(title) per configuration", yLabel: metric, bars: bars).svg(),
        caption: "Bars: mean over seeds; whiskers: 95 % confidence interval.")
    }
    html += "<div class=\"figs\">\(figures)</div>"
    if let memoryKey = ["memory", "memory_bytes", "memory_per_task"].first(where: varying.contains)
    {
      html += memoryFigures(summary, key: memoryKey)
    }
    let longGroups = summary.groups.map { group in
      (label: label(group), results: group.runIDs.compactMap { records[$0]?.result })
    }
    if longGroups.contains(where: { $0.results.contains(where: \.isLongStream) }) {
      html += longStreamSweepFigures(groups: longGroups)
      return Section(title: "Sweep \(summary.sweep.id): \(summary.sweep.name)", html: html)
    }
    var matrices = ""
    var curveFigures = ""
    for group in summary.groups {
      let runs = group.runIDs.compactMap { records[$0]?.result }
      guard let first = runs.first else { continue }
      let rows = first.accuracyMatrix.rows.indices.map { i in
        first.accuracyMatrix.rows[i].indices.map { j in
          Statistics.mean(
            runs.compactMap {
              $0.accuracyMatrix.rows.indices.contains(i) ? $0.accuracyMatrix.rows[i][j] : nil
            })
        }
      }
      matrices += heatmap(
        AccuracyMatrix(rows: rows), title: "\(label(group)) (mean of \(runs.count))", width: 360)
      if let curves = first.curves {
        curveFigures += curvesFigure(
          curves, title: "\(label(group)), seed \(group.seeds.first ?? 0)")
      }
    }
    html += "<h3>Accuracy matrices</h3><div class=\"figs\">\(matrices)</div>"
    if !curveFigures.isEmpty { html += "<h3>Continual evaluation</h3>\(curveFigures)" }
    return Section(title: "Sweep \(summary.sweep.id): \(summary.sweep.name)", html: html)
  }

  /// Forgetting and accuracy against the replay memory, one line per other setting.
  static func memoryFigures(_ summary: SweepSummary, key: String) -> String {
    let others = summary.varying.filter { $0 != key }
    var lines: [String: [(Double, SweepSummary.Group)]] = [:]
    var order: [String] = []
    for group in summary.groups {
      guard let x = Double(group.settings[key] ?? "") else { continue }
      let name =
        others.isEmpty ? "runs" : others.map { group.settings[$0] ?? "" }.joined(separator: " ")
      if lines[name] == nil { order.append(name) }
      lines[name, default: []].append((x, group))
    }
    var out = ""
    for (metric, title) in [("forgetting", "Forgetting"), ("average_accuracy", "Average accuracy")]
    {
      let series = order.enumerated().map { i, name in
        SVGChart.Series(
          name: name,
          points: (lines[name] ?? []).sorted { $0.0 < $1.0 }.compactMap { x, group in
            guard let m = group.metrics[metric] else { return nil }
            return SVGChart.Point(
              x: x, y: m.mean, low: m.ciLow.map { m.mean - $0 }, high: m.ciHigh.map { $0 - m.mean })
          }, color: SVGChart.color(i))
      }.filter { !$0.points.isEmpty }
      guard !series.isEmpty else { continue }
      out += figure(
        SVGChart.LineChart(
          title: "\(title) against replay size (\(key))", xLabel: "\(key) (log scale)",
          yLabel: metric, series: series, logX: true
        ).svg(), caption: "Mean over seeds with 95 % confidence intervals.")
    }
    return "<h3>Replay size</h3><div class=\"figs\">\(out)</div>"
  }
}
