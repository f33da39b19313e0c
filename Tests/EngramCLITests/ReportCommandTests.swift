import EngramTestSupport
import Foundation
import Testing

/// Chromium, when installed (Debian package `chromium`), renders reports in tests.
let chromiumPath: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
  FileManager.default.isExecutableFile(atPath: $0)
}

@Suite("engram report")
struct ReportCommandTests {
  @Test("a stored run becomes one HTML file; unknown ids and bad references are refused")
  func report() throws {
    let data = try #require(fmnistSlice, "dataset-fashion-mnist is not installed").path
    let work = try Fixtures.temporaryDirectory("report")
    #expect(
      try CLI.run(
        [
          "run", "--dataset", data, "--strategy", "replay", "--memory", "100", "--batch", "32",
          "--eval-every", "5", "--threads", "1",
        ], in: work
      ).status == 0)
    let written = try CLI.run(["report", "--out", "r.html"], in: work)
    #expect(written.status == 0 && written.stdout.contains("wrote r.html"))
    let html = try String(contentsOf: work.appendingPathComponent("r.html"), encoding: .utf8)
    #expect(html.contains("Run 1: replay, seed 0") && html.contains("<svg"))
    let unknown = try CLI.run(["report", "run:99", "--out", "x.html"], in: work)
    #expect(unknown.status == 1 && unknown.stderr.contains("no run 99 in the store"))
    let bad = try CLI.run(["report", "sweeps:1"], in: work)
    #expect(bad.status == 1 && bad.stderr.contains("give run:ID, ID or sweep:ID"))
  }

  @Test(
    "headless Chromium renders the report to a PNG",
    .enabled(if: chromiumPath != nil, "Chromium is not installed (apt-get install chromium)"))
  func rendersInABrowser() throws {
    let work = try Fixtures.temporaryDirectory("render")
    _ = try CLI.run(
      [
        "theory", "sweep", "--construction", "subspace", "--dimension", "10", "--epsilon", "0.3",
        "--memory", "0:10", "--draws", "200",
      ], in: work)
    #expect(try CLI.run(["report", "--out", "r.html"], in: work).status == 0)
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("scripts/render-report")
    let process = Process()
    process.executableURL = script
    process.arguments = [
      work.appendingPathComponent("r.html").path, work.appendingPathComponent("r.png").path, "1200",
    ]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let size =
      try FileManager.default.attributesOfItem(
        atPath: work.appendingPathComponent("r.png").path)[.size] as? Int ?? 0
    #expect(size > 30_000, "a rendered page with plots, not a blank one (\(size) bytes)")
  }
}
