import Foundation

/// Small, dependency-free SVG charts for reports: lines with error bars, bars with error
/// bars, and heatmaps. Every chart is a self-contained `<svg>` element with a title, labelled
/// axes with round-number ticks, and a legend when it has several series.
enum SVGChart {
  /// Tableau's ten qualitative colours (distinguishable, print-safe).
  static let palette = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
  ]

  static func color(_ i: Int) -> String { palette[i % palette.count] }

  /// `text` escaped for XML.
  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  static func number(_ v: Double) -> String { String(format: "%.1f", v) }

  /// About `count` round tick values covering `low…high` (1, 2, 5 × 10^k steps).
  static func ticks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
    guard high > low, low.isFinite, high.isFinite else { return [low] }
    let raw = (high - low) / Double(max(1, count))
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    var values: [Double] = []
    var v = (low / step).rounded(.up) * step
    while v <= high + step * 1e-9 {
      values.append(abs(v) < step * 1e-9 ? 0 : v)
      v += step
    }
    return values
  }

  /// 1, 2, 5 × 10^k values within `low…high` (log axes).
  static func logTicks(_ low: Double, _ high: Double) -> [Double] {
    var values: [Double] = []
    var decade = pow(10, floor(log10(low)))
    while decade <= high {
      for m in [1.0, 2, 5] where m * decade >= low && m * decade <= high {
        values.append(m * decade)
      }
      decade *= 10
    }
    return values
  }

  static func tickLabel(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
    let text = String(format: "%.3g", v)
    return text
  }

  /// A point of a line series.
  struct Point {
    var x: Double
    var y: Double
    /// Error bar half-widths below and above (nil: none).
    var low: Double? = nil
    var high: Double? = nil
  }

  /// A line series.
  struct Series {
    var name: String
    var points: [Point]
    var color: String
    var dashed = false
    var markers = true
    /// A shaded band around the line (one range per point: seeds' confidence interval).
    var band: [ClosedRange<Double>]? = nil
  }

  /// A marked x position (task boundaries).
  struct Marker {
    var x: Double
    var label: String
  }

  /// A line chart.
  struct LineChart {
    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    var markers: [Marker] = []
    /// Shaded x spans (e.g. where replay is harmful), with a legend label.
    var shaded: [(from: Double, to: Double)] = []
    var shadedLabel = ""
    var yRange: ClosedRange<Double>? = nil
    /// A logarithmic x axis (for sizes spanning orders of magnitude).
    var logX = false
    var width = 720.0
    var height = 380.0

    func svg() -> String {
      let left = 64.0
      let right = 170.0
      let top = 40.0
      let bottom = 52.0
      let plotW = width - left - right
      let plotH = height - top - bottom
      let xs = series.flatMap { $0.points.map(\.x) } + markers.map(\.x)
      var ys: [Double] = []
      for s in series {
        for p in s.points { ys += [p.y - (p.low ?? 0), p.y + (p.high ?? 0)] }
        for r in s.band ?? [] { ys += [r.lowerBound, r.upperBound] }
      }
      var xMin = xs.min() ?? 0
      var xMax = xs.max() ?? 1
      if xMax <= xMin { xMax = xMin + 1 }
      var yMin = yRange?.lowerBound ?? (ys.min() ?? 0)
      var yMax = yRange?.upperBound ?? (ys.max() ?? 1)
      if yRange == nil {
        let pad = (yMax - yMin) * 0.06
        yMin -= pad
        yMax += pad
        if yMin > 0 && yMin < (yMax - yMin) { yMin = 0 }
      }
      if yMax <= yMin { yMax = yMin + 1 }
      let logX = self.logX && xMin > 0
      let xTicks = logX ? logTicks(xMin, xMax) : ticks(xMin, xMax, count: 6)
      let yTicks = ticks(yMin, yMax, count: 5)
      if logX {
        xMin /= 1.25
        xMax *= 1.25
      } else {
        xMin = min(xMin, xTicks.first ?? xMin)
        xMax = max(xMax, xTicks.last ?? xMax)
      }
      func px(_ x: Double) -> Double {
        logX
          ? left + (log10(x) - log10(xMin)) / (log10(xMax) - log10(xMin)) * plotW
          : left + (x - xMin) / (xMax - xMin) * plotW
      }
      func py(_ y: Double) -> Double { top + (1 - (y - yMin) / (yMax - yMin)) * plotH }
      var out = header(title: title)
      for (from, to) in shaded {
        out +=
          "<rect x=\"\(number(px(from)))\" y=\"\(number(top))\" width=\"\(number(max(2, px(to) - px(from))))\" height=\"\(number(plotH))\" fill=\"#e15759\" fill-opacity=\"0.12\"/>"
      }
      out += axes(
        left: left, top: top, plotW: plotW, plotH: plotH, xTicks: xTicks.map { ($0, px($0)) },
        yTicks: yTicks.map { ($0, py($0)) }, xLabel: xLabel, yLabel: yLabel)
      for marker in markers {
        let x = number(px(marker.x))
        out +=
          "<line x1=\"\(x)\" y1=\"\(number(top))\" x2=\"\(x)\" y2=\"\(number(top + plotH))\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>"
        out +=
          "<text x=\"\(x)\" y=\"\(number(top - 4))\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555\">\(escape(marker.label))</text>"
      }
      out += "<g clip-path=\"none\">"
      for s in series {
        if let band = s.band, band.count == s.points.count, !band.isEmpty {
          var upper: [String] = []
          var lower: [String] = []
          for (p, r) in zip(s.points, band) {
            let x = number(px(p.x))
            upper.append(x + "," + number(py(r.upperBound)))
            lower.append(x + "," + number(py(r.lowerBound)))
          }
          lower.reverse()
          out +=
            "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(s.color)\" fill-opacity=\"0.18\" stroke=\"none\"/>"
        }
        let path = s.points.map { "\(number(px($0.x))),\(number(py($0.y)))" }.joined(separator: " ")
        out +=
          "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6 4\"" : "")/>"
        for p in s.points {
          if let low = p.low, let high = p.high {
            let x = number(px(p.x))
            out +=
              "<line x1=\"\(x)\" y1=\"\(number(py(p.y - low)))\" x2=\"\(x)\" y2=\"\(number(py(p.y + high)))\" stroke=\"\(s.color)\" stroke-width=\"1.5\"/>"
            for y in [p.y - low, p.y + high] {
              out +=
                "<line x1=\"\(number(px(p.x) - 4))\" y1=\"\(number(py(y)))\" x2=\"\(number(px(p.x) + 4))\" y2=\"\(number(py(y)))\" stroke=\"\(s.color)\" stroke-width=\"1.5\"/>"
            }
          }
          if s.markers {
            out +=
              "<circle cx=\"\(number(px(p.x)))\" cy=\"\(number(py(p.y)))\" r=\"3\" fill=\"\(s.color)\"/>"
          }
        }
      }
      out += "</g>"
      var legend = series.map { ($0.name, $0.color, $0.dashed) }
      if !shaded.isEmpty { legend.append((shadedLabel, "#e15759", false)) }
      out += self.legend(legend, x: left + plotW + 16, y: top + 4, shadedLast: !shaded.isEmpty)
      return out + "</svg>"
    }

    func header(title: String) -> String {
      "<svg xmlns=\"http://www.w3.org/2000/svg\" data-generator=\"engram\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\"><title>\(escape(title))</title><rect width=\"100%\" height=\"100%\" fill=\"white\"/><text x=\"\(Int(width / 2))\" y=\"20\" font-size=\"15\" font-weight=\"bold\" text-anchor=\"middle\">\(escape(title))</text>"
    }

    func legend(_ entries: [(String, String, Bool)], x: Double, y: Double, shadedLast: Bool)
      -> String
    {
      var out = ""
      for (i, entry) in entries.enumerated() {
        let yy = y + Double(i) * 18
        if shadedLast && i == entries.count - 1 {
          out +=
            "<rect x=\"\(number(x))\" y=\"\(number(yy - 6))\" width=\"18\" height=\"12\" fill=\"\(entry.1)\" fill-opacity=\"0.25\"/>"
        } else {
          out +=
            "<line x1=\"\(number(x))\" y1=\"\(number(yy))\" x2=\"\(number(x + 18))\" y2=\"\(number(yy))\" stroke=\"\(entry.1)\" stroke-width=\"2.5\"\(entry.2 ? " stroke-dasharray=\"5 3\"" : "")/>"
        }
        out +=
          "<text x=\"\(number(x + 24))\" y=\"\(number(yy + 4))\" font-size=\"11\">\(escape(entry.0))</text>"
      }
      return out
    }
  }

  /// Axes, grid lines, ticks and labels of a plot area.
  static func axes(
    left: Double, top: Double, plotW: Double, plotH: Double, xTicks: [(Double, Double)],
    yTicks: [(Double, Double)], xLabel: String, yLabel: String
  ) -> String {
    var out = ""
    for (value, y) in yTicks {
      out +=
        "<line x1=\"\(number(left))\" y1=\"\(number(y))\" x2=\"\(number(left + plotW))\" y2=\"\(number(y))\" stroke=\"#e6e6e6\"/>"
      out +=
        "<text x=\"\(number(left - 6))\" y=\"\(number(y + 4))\" font-size=\"11\" text-anchor=\"end\">\(tickLabel(value))</text>"
    }
    for (value, x) in xTicks {
      out +=
        "<line x1=\"\(number(x))\" y1=\"\(number(top + plotH))\" x2=\"\(number(x))\" y2=\"\(number(top + plotH + 5))\" stroke=\"#333\"/>"
      out +=
        "<text x=\"\(number(x))\" y=\"\(number(top + plotH + 18))\" font-size=\"11\" text-anchor=\"middle\">\(tickLabel(value))</text>"
    }
    out +=
      "<rect x=\"\(number(left))\" y=\"\(number(top))\" width=\"\(number(plotW))\" height=\"\(number(plotH))\" fill=\"none\" stroke=\"#333\"/>"
    out +=
      "<text x=\"\(number(left + plotW / 2))\" y=\"\(number(top + plotH + 40))\" font-size=\"12\" text-anchor=\"middle\">\(escape(xLabel))</text>"
    out +=
      "<text transform=\"translate(16 \(number(top + plotH / 2))) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">\(escape(yLabel))</text>"
    return out
  }

  /// A bar with an optional interval.
  struct Bar {
    var label: String
    var value: Double
    var low: Double? = nil
    var high: Double? = nil
    var color: String
  }

  /// Vertical bars with error bars.
  struct BarChart {
    var title: String
    var yLabel: String
    var bars: [Bar]
    var width = 540.0
    var height = 320.0

    func svg() -> String {
      let left = 64.0
      let top = 40.0
      let bottom = 70.0
      let plotW = width - left - 24
      let plotH = height - top - bottom
      let highs = bars.map { $0.high ?? $0.value }
      let lows = bars.map { $0.low ?? $0.value }
      // Padded like the top, so the lowest whisker and its cap stay inside the frame.
      let yMin = min(0, lows.min() ?? 0) * 1.08
      var yMax = max(highs.max() ?? 1, 0) * 1.08
      if yMax <= yMin { yMax = yMin + 1 }
      let yTicks = ticks(yMin, yMax, count: 5)
      func py(_ y: Double) -> Double { top + (1 - (y - yMin) / (yMax - yMin)) * plotH }
      let slot = plotW / Double(max(1, bars.count))
      var out = LineChart(
        title: title, xLabel: "", yLabel: "", series: [], width: width, height: height
      )
      .header(title: title)
      out += axes(
        left: left, top: top, plotW: plotW, plotH: plotH, xTicks: [],
        yTicks: yTicks.map { ($0, py($0)) }, xLabel: "", yLabel: yLabel)
      for (i, bar) in bars.enumerated() {
        let x = left + slot * Double(i) + slot * 0.2
        let w = slot * 0.6
        let y0 = py(0)
        let y1 = py(bar.value)
        out +=
          "<rect x=\"\(number(x))\" y=\"\(number(min(y0, y1)))\" width=\"\(number(w))\" height=\"\(number(abs(y0 - y1)))\" fill=\"\(bar.color)\"/>"
        if let low = bar.low, let high = bar.high {
          let cx = number(x + w / 2)
          out +=
            "<line x1=\"\(cx)\" y1=\"\(number(py(low)))\" x2=\"\(cx)\" y2=\"\(number(py(high)))\" stroke=\"#222\" stroke-width=\"1.5\"/>"
          for y in [low, high] {
            out +=
              "<line x1=\"\(number(x + w / 2 - 6))\" y1=\"\(number(py(y)))\" x2=\"\(number(x + w / 2 + 6))\" y2=\"\(number(py(y)))\" stroke=\"#222\" stroke-width=\"1.5\"/>"
          }
        }
        // The value sits above the bar and its whisker, so the two never overlap.
        let labelY = min(min(y0, y1), bar.high.map(py) ?? y1) - 5
        out +=
          "<text x=\"\(number(x + w / 2))\" y=\"\(number(labelY))\" font-size=\"10\" text-anchor=\"middle\">\(String(format: "%.3f", bar.value))</text>"
        out +=
          "<text x=\"\(number(x + w / 2))\" y=\"\(number(top + plotH + 16))\" font-size=\"11\" text-anchor=\"middle\">\(escape(bar.label))</text>"
      }
      return out + "</svg>"
    }
  }

  /// A grid of values in 0…1 coloured from white to dark blue, with the values written in.
  struct Heatmap {
    var title: String
    var rowLabels: [String]
    var columnLabels: [String]
    var values: [[Double?]]
    var width = 520.0

    func svg() -> String {
      let left = 92.0
      let top = 58.0
      let cell = min(64, (width - left - 16) / Double(max(1, columnLabels.count)))
      let height = top + cell * Double(rowLabels.count) + 20
      var out = LineChart(
        title: title, xLabel: "", yLabel: "", series: [], width: width, height: height
      )
      .header(title: title)
      for (j, label) in columnLabels.enumerated() {
        out +=
          "<text x=\"\(number(left + cell * (Double(j) + 0.5)))\" y=\"\(number(top - 8))\" font-size=\"11\" text-anchor=\"middle\">\(escape(label))</text>"
      }
      for (i, label) in rowLabels.enumerated() {
        out +=
          "<text x=\"\(number(left - 8))\" y=\"\(number(top + cell * (Double(i) + 0.5) + 4))\" font-size=\"11\" text-anchor=\"end\">\(escape(label))</text>"
        for (j, value) in (values[i]).enumerated() {
          let x = left + cell * Double(j)
          let y = top + cell * Double(i)
          guard let value else {
            out +=
              "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(cell))\" height=\"\(number(cell))\" fill=\"#f4f4f4\" stroke=\"white\"/>"
            continue
          }
          let v = max(0, min(1, value))
          out +=
            "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(cell))\" height=\"\(number(cell))\" fill=\"\(Self.shade(v))\" stroke=\"white\"/>"
          out +=
            "<text x=\"\(number(x + cell / 2))\" y=\"\(number(y + cell / 2 + 4))\" font-size=\"11\" text-anchor=\"middle\" fill=\"\(v > 0.55 ? "white" : "#111")\">\(String(format: "%.2f", value))</text>"
        }
      }
      return out + "</svg>"
    }

    /// White (0) to dark blue (1).
    static func shade(_ v: Double) -> String {
      let from = (247.0, 251.0, 255.0)
      let to = (8.0, 48.0, 107.0)
      let r = Int(from.0 + (to.0 - from.0) * v)
      let g = Int(from.1 + (to.1 - from.1) * v)
      let b = Int(from.2 + (to.2 - from.2) * v)
      return String(format: "#%02x%02x%02x", r, g, b)
    }
  }
}
