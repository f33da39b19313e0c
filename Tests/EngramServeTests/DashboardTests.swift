import EngramContinual
import EngramLab
import EngramServe
import Foundation
import GRDB
import Testing

@Suite("Dashboard pages")
struct DashboardTests {
  /// A store with a finished run, a running run (partial results), and strings that need
  /// escaping.
  func store() throws -> ResultsStore {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "dashboard-\(UUID().uuidString)")
    let store = try ResultsStore(path: folder.appendingPathComponent("s.sqlite").path)
    let cost = CostReport(
      seconds: 1, trainingSeconds: 1, evaluationSeconds: 0, trainingFLOPs: 0, peakMemoryBytes: 0,
      memoryBufferBytes: 0, parameterCount: 0)
    func result(_ rows: [[Double]], points: Int) -> ExperimentResult {
      ExperimentResult(
        accuracyMatrix: AccuracyMatrix(rows: rows), untrainedAccuracy: [], referenceAccuracy: nil,
        curves: ContinualEvaluation(
          points: [(0..<points).map { .init(iteration: $0 * 10, accuracy: 0.5) }, []],
          taskEnds: [nil, nil]),
        taskLosses: [], cost: cost)
    }
    var done = RunRecord(
      kind: .network, status: .complete, runKey: "a", label: "replay", seed: 1,
      config: #"{"strategy": "replay", "dataset": "<script>alert(1)</script>"}"#)
    done.result = result([[0.9, 0.1], [0.6, 0.8]], points: 4)
    _ = try store.insert(done)
    var running = RunRecord(
      kind: .network, status: .running, runKey: "b", label: "ewc", seed: 2,
      config: #"{"strategy": "ewc"}"#, message: "<b>bold</b>")
    running.result = result([], points: 3)
    _ = try store.insert(running)
    return store
  }

  @Test("the run list links every run, filters like runs list --where, and escapes strings")
  func runList() throws {
    let dashboard = Dashboard(store: try store())
    let all = dashboard.page(path: "/")
    #expect(all.status == 200)
    #expect(all.html.contains("<a href=\"/runs/1\">1</a>") && all.html.contains("<a href=\"/runs/2\">2</a>"))
    #expect(all.html.contains("http-equiv=\"refresh\""), "a run is running: the list reloads")
    let filtered = dashboard.page(path: "/", query: [("where", "strategy=replay")])
    #expect(filtered.html.contains("/runs/1") && !filtered.html.contains("/runs/2\""))
    let typo = dashboard.page(path: "/", query: [("where", "strategyy=replay")])
    #expect(typo.status == 400 && typo.html.contains("strategy"))
    let injected = dashboard.page(path: "/", query: [("where", "label=\"><script>x</script>")])
    #expect(!injected.html.contains("<script>x"))
  }

  @Test("a run page shows the report's plots; a running run's page reloads; unknown ids are 404")
  func runPages() throws {
    let dashboard = Dashboard(store: try store())
    let done = dashboard.page(path: "/runs/1")
    #expect(done.status == 200)
    #expect(done.html.contains("<svg") && done.html.contains("Accuracy matrix"))
    #expect(!done.html.contains("http-equiv=\"refresh\""))
    #expect(!done.html.contains("<script>alert(1)"), "settings are escaped")
    let running = dashboard.page(path: "/runs/2")
    #expect(running.status == 200 && running.html.contains("http-equiv=\"refresh\""))
    #expect(!running.html.contains("<b>bold</b>"))
    #expect(running.html.contains("No task has finished yet"))
    for path in ["/runs/99", "/runs/0", "/runs/x", "/sweeps/5", "/studies/1", "/nothing", "/runs/1/2"] {
      #expect(dashboard.page(path: path).status == 404, "\(path)")
    }
  }

  @Test("a writer holding the store does not stop the pages (WAL readers go on)")
  func lockedStore() throws {
    let store = try store()
    let dashboard = Dashboard(store: store)
    let writer = try DatabaseQueue(path: store.path)
    try writer.inDatabase { db in
      try db.execute(sql: "BEGIN IMMEDIATE")
      try db.execute(sql: "UPDATE runs SET label = 'changing' WHERE id = 1")
      let list = dashboard.page(path: "/")
      #expect(list.status == 200 && list.html.contains(">replay<") && !list.html.contains("changing"))
      #expect(dashboard.page(path: "/runs/1").status == 200)
      try db.execute(sql: "ROLLBACK")
    }
  }
}
