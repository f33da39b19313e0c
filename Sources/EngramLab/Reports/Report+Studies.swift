import Foundation

extension Report {
  /// A replay study: forgetting against m (or the angle) with 95 % intervals and the harmful
  /// region shaded, or — for sample studies — the paired change in forgetting per replayed
  /// sample; then the table with the paired statistics.
  public static func studySection(_ record: RunRecord, id: Int64) -> Section {
    guard let study = record.study else {
      return Section(title: "Run \(id)", html: "<p>This run holds no study results.</p>")
    }
    var html = "<p class=\"meta\">\(SVGChart.escape(study.title)) · seed \(record.seed)</p>"
    if study.study == "samples" {
      html += samplesFigure(study)
    } else {
      html += curveFigure(study)
    }
    for series in study.series {
      if study.series.count > 1 { html += "<h3>\(SVGChart.escape(series.name))</h3>" }
      let compared = series.points.contains { $0.difference != nil }
      var header = ["point", "n", "mean", "95 % CI"]
      if compared { header += ["paired difference [95 % CI]", "Welch p", "paired p", ""] }
      html += table(
        header,
        series.points.map { p in
          var row = [
            SVGChart.escape(p.label), "\(p.count)", format(p.mean),
            "[\(format(p.ciLow)), \(format(p.ciHigh))]",
          ]
          if compared {
            row += [
              p.difference.map {
                "\(format($0, 4)) [\(format(p.differenceLow)), \(format(p.differenceHigh))]"
              } ?? "–",
              format(p.pValue, 3), format(p.pairedPValue, 3),
              p.harmful
                ? "<span class=\"harmful\">replay hurts</span>" : (p.helpful ? "replay helps" : ""),
            ]
          }
          return row
        })
    }
    if !study.notes.isEmpty {
      html += "<ul>" + study.notes.map { "<li>\(SVGChart.escape($0))</li>" }.joined() + "</ul>"
    }
    html += settings(record.config)
    return Section(title: "Replay study (run \(id)): \(study.title)", html: html)
  }

  /// Every series against x with its intervals; shaded where the first series is harmful.
  static func curveFigure(_ study: StudyResult) -> String {
    let series = study.series.enumerated().map { i, s in
      SVGChart.Series(
        name: s.name,
        points: s.points.map {
          SVGChart.Point(
            x: $0.x, y: $0.mean, low: max(0, $0.mean - $0.ciLow), high: max(0, $0.ciHigh - $0.mean))
        }, color: SVGChart.color(i))
    }
    var lines = series
    if let first = study.series.first, first.points.contains(where: { $0.difference != nil }),
      let base = first.points.first, let end = first.points.last, first.points.count > 1
    {
      lines.append(
        SVGChart.Series(
          name: "no replay (\(base.label))",
          points: [
            SVGChart.Point(x: base.x, y: base.mean),
            SVGChart.Point(x: end.x, y: base.mean),
          ], color: "#888888", dashed: true, markers: false))
    }
    let points = study.series.first?.points ?? []
    let xs = points.map(\.x)
    let shaded = points.enumerated().filter(\.element.harmful).map { i, p in
      (
        from: i > 0 ? (xs[i - 1] + p.x) / 2 : p.x,
        to: i + 1 < xs.count ? (xs[i + 1] + p.x) / 2 : p.x
      )
    }
    let chart = SVGChart.LineChart(
      title: study.title, xLabel: study.xLabel, yLabel: study.yLabel, series: lines,
      shaded: shaded, shadedLabel: "replay hurts (p < \(study.alpha))")
    let harmful = study.harmfulLabels
    return figure(
      chart.svg(),
      caption:
        "Means over paired seeds with 95 % confidence intervals. Shaded: points where replay significantly increases forgetting against no replay (Welch's t-test, α = \(study.alpha))"
        + (harmful.isEmpty ? " — none here." : ": \(harmful.joined(separator: ", ")).")
        + (study.series.count > 1
          ? " The exact curve is the theory engine's min-norm value on each run's own samples; shading follows it."
          : ""))
  }

  /// The paired change in forgetting for each replayed sample, with intervals.
  static func samplesFigure(_ study: StudyResult) -> String {
    let points = (study.series.first?.points ?? []).dropFirst()
    let bars = points.map { p in
      SVGChart.Bar(
        label: p.label, value: p.difference ?? 0, low: p.differenceLow, high: p.differenceHigh,
        color: p.harmful ? "#e15759" : (p.helpful ? "#59a14f" : "#bab0ac"))
    }
    let chart = SVGChart.BarChart(
      title: "\(study.title): change in forgetting when one sample is replayed",
      yLabel: "forgetting − no-replay forgetting", bars: Array(bars), width: 720)
    return figure(
      chart.svg(),
      caption:
        "Paired differences (replay minus no replay, same seed) with 95 % intervals. Red: replaying that sample significantly increases forgetting; green: significantly reduces it (Welch's t-test, α = \(study.alpha)); grey: no significant difference."
    )
  }
}
