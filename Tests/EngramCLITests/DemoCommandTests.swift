import EngramTestSupport
import Foundation
import Testing

@Suite("engram demo")
struct DemoCommandTests {
  @Test("the demo runs the theory tour and both studies, stores them, and names its report")
  func demo() throws {
    let data = try #require(fmnistSlice, "dataset-fashion-mnist is not installed").path
    let work = try Fixtures.temporaryDirectory("demo")
    let result = try CLI.run(
      ["demo", "--dataset", data, "--seeds", "1", "--draws", "50", "--workers", "2"], in: work)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("REPLAY CAN PROVABLY INCREASE FORGETTING"))
    #expect(result.stdout.contains("er-ace") && result.stdout.contains("2000"))
    let report = work.appendingPathComponent("engram-demo.html")
    #expect(result.stdout.contains("report: \(report.standardizedFileURL.path)"))
    let html = try String(contentsOf: report, encoding: .utf8)
    for heading in ["demo: strategies", "demo: replay size", "Theory sweep", "Run "] {
      #expect(html.contains(heading), "missing \(heading)")
    }
    let runs = try CLI.run(["runs", "list", "--csv"], in: work)
    // The 2 000-example memory does not fit the 1 000-image slice: it is left out, and the
    // demo says so.
    #expect(result.stdout.contains("memory 2000 left out"), "\(result.stdout)")
    #expect(
      runs.stdout.split(separator: "\n").count == 1 + 7 + 1,
      "7 network runs and the theory sweep: \(runs.stdout)")
    #expect(!runs.stdout.contains(",running,"))
  }
}
