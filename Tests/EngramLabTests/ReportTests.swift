import EngramContinual
import EngramLab
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
