import EngramContinual
import EngramLab
import EngramTestSupport
import Foundation
import GRDB
import Testing

/// Paired outcomes where arm 1 forgets more than arm 0 in every seed and arm 2 the same.
func syntheticOutcomes() -> [ReplaySeedOutcome] {
  let base = [0.30, 0.30, 0.27, 0.33, 0.31, 0.30]
  let worse = [0.31, 0.35, 0.29, 0.40, 0.33, 0.36]
  return zip(base, worse).enumerated().map { i, pair in
    func arm(_ name: String, _ m: Int, _ f: Double) -> ReplayArmOutcome {
      ReplayArmOutcome(
        name: name, memory: m, examples: [], accuracyAfter: [0.9 - f], forgetting: f,
        newTaskAccuracy: 0.95)
    }
    return ReplaySeedOutcome(
      seed: UInt64(i), accuracyBefore: [0.9],
      arms: [arm("m=0", 0, pair.0), arm("m=2", 2, pair.1), arm("m=5", 5, pair.0)])
  }
}

@Suite("Replay study results")
struct StudyTests {
  @Test("paired and Welch tests agree with scipy; harmful needs Welch p below alpha")
  func statistics() throws {
    let study = StudyResult.network(
      study: "count", title: "t", xLabel: "m", outcomes: syntheticOutcomes(),
      x: { Double($1.memory) })
    let points = study.series[0].points
    #expect(points.map(\.x) == [0, 2, 5])
    // scipy.stats.ttest_rel / ttest_ind(equal_var=False) on the same numbers
    #expect(abs((points[1].pairedPValue ?? 0) - 0.012874342364487161) < 1e-9)
    #expect(abs((points[1].pValue ?? 0) - 0.0662387849517955) < 1e-9)
    #expect(abs((points[1].difference ?? 0) - 0.038333333333333333) < 1e-12)
    #expect(abs((points[1].differenceHigh ?? 0) - (0.0383333333 + 0.02606039811812299)) < 1e-9)
    // Welch p = 0.066: not significant at 0.05, significant at 0.1
    #expect(!points[1].harmful && study.harmfulLabels.isEmpty)
    let loose = StudyResult.network(
      study: "count", title: "t", xLabel: "m", outcomes: syntheticOutcomes(),
      x: { Double($1.memory) }, alpha: 0.1)
    #expect(loose.harmfulLabels == ["m=2"])
    #expect(points[0].pValue == 1 && points[2].pValue == 1 && !points[2].harmful)
    #expect(points[0].difference == 0 && points[0].pairedPValue == 1)
  }

  @Test("a study is stored with tidy points, exported, reported; version-1 stores are upgraded")
  func storeAndReport() throws {
    let folder = try Fixtures.temporaryDirectory("study-store")
    let path = folder.appendingPathComponent("results.sqlite").path
    // A version-1 store with one run in it.
    let old = try ResultsStore(path: path)
    let oldID = try old.insert(sampleRecord())
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
      try db.execute(sql: "DROP TABLE study_points")
      try db.execute(sql: "PRAGMA user_version = 1")
    }
    try queue.close()

    let store = try ResultsStore(path: path)
    #expect(
      try store.record(id: oldID) == sampleRecord().withTimes(of: try store.record(id: oldID)))
    let study = StudyResult.network(
      study: "count", title: "Split (0, 6) → (1, 7)", xLabel: "replayed samples m",
      outcomes: syntheticOutcomes(), x: { Double($1.memory) }, alpha: 0.1)
    let record = try NetworkReplayStudy.record(
      study, config: NetworkReplayStudy.split([[0, 6], [1, 7]], dataset: "synthetic"),
      settings: ["memory": "0,2,5"], seed: 0, started: Date())
    let id = try store.insert(record)
    #expect(try store.record(id: id) == record)
    let rows = try DatabaseQueue(path: path).read { db in
      try Row.fetchAll(
        db, sql: "SELECT x, harmful FROM study_points WHERE run_id = ? ORDER BY x", arguments: [id])
    }
    #expect(rows.map { $0["x"] as Double } == [0, 2, 5])
    #expect(rows.map { $0["harmful"] as Bool } == [false, true, false])
    let written = try store.exportCSV(to: folder.appendingPathComponent("csv"))
    #expect(written.first { $0.file == "study_points.csv" }?.rows == 3)
    // Every seed × arm behind those points, so per-seed differences can be recomputed.
    #expect(written.first { $0.file == "study_seeds.csv" }?.rows == 6 * 3)
    let seeds = try String(
      contentsOf: folder.appendingPathComponent("csv/study_seeds.csv"), encoding: .utf8
    ).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    #expect(seeds[0].first == "run_id" && seeds[0][5] == "forgetting")
    let m2 = seeds.dropFirst().filter { $0[2] == "m=2" }.map { Double($0[5])! }
    #expect(m2.count == 6 && abs(Statistics.mean(m2) - study.series[0].points[1].mean) < 1e-12)

    let section = Report.studySection(record, id: id)
    #expect(section.html.contains("<svg") && section.html.contains("replay hurts"))
    #expect(section.html.contains("m=2"))
    let summaries = try store.summaries()
    #expect(summaries.last?.kind == .study)
  }
}

extension RunRecord {
  /// This record with `other`'s timestamps (dates lose sub-second precision in the store).
  func withTimes(of other: RunRecord) -> RunRecord {
    var copy = self
    copy.startedAt = other.startedAt
    copy.finishedAt = other.finishedAt
    return copy
  }
}
