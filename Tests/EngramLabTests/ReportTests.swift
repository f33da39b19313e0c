import EngramContinual
@testable import EngramLab
import Foundation
import Testing

@Suite("Reports")
struct ReportTests {
  @Test(
    "a run section holds the heatmap, the curves with boundaries and the stability gap, with its tables"
  )
  func runSection() {
    var record = sampleRecord()
    record.result?.curves = ContinualEvaluation(
      points: [
        [
          .init(iteration: 5, accuracy: 0.95), .init(iteration: 10, accuracy: 0.97),
          .init(iteration: 12, accuracy: 0.2), .init(iteration: 20, accuracy: 0.85),
        ],
        [.init(iteration: 12, accuracy: 0.5), .init(iteration: 20, accuracy: 0.9)],
      ], taskEnds: [10, 20])
    let section = Report.runSection(record, id: 7)
    let page = Report.page(title: "t", sections: [section], store: "s.sqlite")
    #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("</html>"))
    #expect(page.components(separatedBy: "<svg").count - 1 == 2)
    #expect(page.contains("Accuracy matrix R[i][j]") && page.contains("end 1"))
    #expect(page.contains("task 1 falls from 0.970 to 0.200 within 2 iterations"))
    #expect(page.contains("<td class=\"l\">average_accuracy</td><td>0.8750</td>"))
    // Self-contained: no scripts, no links to other hosts.
    #expect(!page.contains("<script") && !page.contains("src=\"http"))
    #expect(!page.contains("href=\"http"))
  }

  @Test("a theory section shades the harmful points and tabulates every point")
  func theorySection() {
    let points = [0.0, 1, 2, 3].map { m in
      TheoryPoint(
        parameterName: "memory", parameter: m, expectedForgetting: [0.1, 0.2, 0.15, 0][Int(m)],
        standardError: 0.001, noReplay: 0.1, ratio: [1, 2, 1.5, 0][Int(m)],
        harmful: m == 1 || m == 2, turn: m == 1 ? "peak" : nil)
    }
    let record = RunRecord(
      kind: .theory, status: .complete, runKey: "k", label: "subspace", seed: 0,
      config: "{\"draws\": 100}", theory: points)
    let html = Report.theorySection(record, id: 3).html
    #expect(html.contains("fill-opacity=\"0.12\""))
    #expect(html.contains("(1, 2)."))
    #expect(html.components(separatedBy: "<span class=\"harmful\">harmful</span>").count - 1 == 2)
  }
}

@Suite("Reports of long streams")
struct LongStreamReportTests {
  func result(seed: Double, tasks: Int = 6, diagnostics: Bool = true) -> ExperimentResult {
    var r = ExperimentResult(
      accuracyMatrix: AccuracyMatrix(rows: []), untrainedAccuracy: [], referenceAccuracy: nil,
      curves: nil, taskLosses: Array(repeating: 0.5, count: tasks),
      cost: CostReport(
        seconds: 1, trainingSeconds: 1, evaluationSeconds: 0, trainingFLOPs: 1, peakMemoryBytes: 1,
        memoryBufferBytes: 0, parameterCount: 1))
    r.onlineAccuracy = (0..<tasks).map { 0.9 - 0.01 * Double($0) + 0.001 * seed }
    r.taskEndAccuracy = (0..<tasks).map { 0.8 + 0.001 * seed + 0 * Double($0) }
    if diagnostics {
      r.diagnostics = (0..<tasks).map {
        TaskDiagnostics(
          task: $0, dormantFraction: [0.1 * Double($0), 0], deadFraction: [0, 0],
          effectiveRank: [50 - Double($0), 40], srank: [60, 50], featureNorm: [1, 1],
          weightMagnitude: [0.1, 0.1, 0.1], gradientNorm: [1, 1, 1], plasticity: $0 == 0 ? 0.5 : nil)
      }
    }
    return r
  }

  @Test("a long-stream run section plots online accuracy, task-end accuracy and the diagnostics, no matrix")
  func runSection() {
    var record = sampleRecord()
    record.result = result(seed: 0)
    let html = Report.runSection(record, id: 1).html
    let charts = Report.charts(in: html)
    #expect(charts.count == 5, "online, task end, dormant, erank, plasticity")
    #expect(html.contains("Online accuracy per task") && html.contains("Dormant units"))
    #expect(!html.contains("Accuracy matrix"))
    #expect(html.contains("mean_online_accuracy"))
  }

  @Test("a sweep of long streams draws one line per configuration with a 95 % band over seeds")
  func sweepBands() {
    let groups = [
      (label: "naive", results: (0..<3).map { result(seed: Double($0)) }),
      (label: "cbp", results: (0..<3).map { result(seed: Double($0) + 5) }),
    ]
    let html = Report.longStreamSweepFigures(groups: groups)
    let charts = Report.charts(in: html)
    #expect(charts.count == 5)
    // Each chart: two bands (polygons) and two lines.
    let first = charts[0]
    #expect(first.components(separatedBy: "<polygon").count - 1 == 2)
    #expect(first.contains("naive") && first.contains("cbp"))
    let single = Report.longStreamSweepFigures(groups: [(label: "one", results: [result(seed: 0)])])
    #expect(!single.contains("<polygon"), "no band from one seed")
  }
}
