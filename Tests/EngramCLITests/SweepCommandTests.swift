import EngramTestSupport
import Foundation
import Testing

/// Whether a Slurm cluster answers here (scripts/start-slurm starts one; CI runs it).
let slurmIsUp: Bool = {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["sinfo", "-h", "-o", "%T"]
  let out = Pipe()
  process.standardOutput = out
  process.standardError = FileHandle.nullDevice
  guard (try? process.run()) != nil else { return false }
  let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  return process.terminationStatus == 0
    && text.split(separator: "\n").contains { ["idle", "mixed", "allocated"].contains(String($0)) }
}()

@Suite("engram sweep")
struct SweepCommandTests {
  func sweepFile(_ work: URL, extra: String = "") throws -> String {
    let data = try #require(fmnistSlice, "dataset-fashion-mnist is not installed").path
    let text = """
      name: small
      base: {dataset: \(data), batch: 64, threads: 1}
      grid:
        strategy: [naive, replay]
      seeds: 2
      \(extra)
      """
    let url = work.appendingPathComponent("sweep.yaml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  func summary(_ store: String, in work: URL) throws -> [String: Any] {
    let result = try CLI.run(["sweep", "summary", "--store", store, "--json"], in: work)
    return try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  @Test("a local sweep runs grid × seeds in parallel workers, summarises, and skips what is done")
  func local() throws {
    let work = try Fixtures.temporaryDirectory("sweep")
    let file = try sweepFile(work)
    let first = try CLI.run(["sweep", "--config", file, "--workers", "2"], in: work)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("4 runs — 4 run now, 0 already complete, 0 failed"))
    let store = work.appendingPathComponent(".engram/results.sqlite").path
    let groups = try #require(try summary(store, in: work)["groups"] as? [[String: Any]])
    #expect(groups.count == 2)
    for group in groups {
      let metrics = try #require(group["metrics"] as? [String: [String: Double]])
      let accuracy = try #require(metrics["average_accuracy"])
      #expect(accuracy["n"] == 2)
      #expect(try #require(accuracy["ci_low"]) <= accuracy["mean"]!)
    }
    let again = try CLI.run(["sweep", "--config", file], in: work)
    #expect(again.stdout.contains("0 run now, 4 already complete"))
    #expect(
      again.stdout.split(separator: "\n").contains {
        $0.hasPrefix("replay") && $0.split(separator: " ").dropFirst().first == "2"
      }, "the summary still counts the earlier runs")
  }

  @Test("failed runs are listed with their error, and the sweep exits 1")
  func localFailure() throws {
    let work = try Fixtures.temporaryDirectory("sweep")
    let file = try sweepFile(
      work, extra: "list:\n  - {lr: 0.01}\n  - {lr: 90, momentum: 0.99}\n")
    let result = try CLI.run(["sweep", "--config", file, "--workers", "2"], in: work)
    #expect(result.status == 1)
    #expect(result.stdout.contains("4 failed"))
    #expect(result.stdout.contains("training diverged"))
  }

  @Test("without sbatch on PATH the Slurm backend says what to do")
  func noSbatch() throws {
    let work = try Fixtures.temporaryDirectory("sweep")
    let result = try CLI.run(
      ["sweep", "--config", try sweepFile(work), "--backend", "slurm"], in: work,
      environment: ["PATH": "/nonexistent"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("sbatch is not on PATH"))
    #expect(result.stderr.contains("--backend local"))
  }

  @Test(
    "on a real Slurm cluster: an array job, collected into the store; failures resubmitted",
    .enabled(if: slurmIsUp, "no Slurm cluster answers here: run scripts/start-slurm (needs root)"))
  func slurm() throws {
    let work = try Fixtures.temporaryDirectory("slurm")
    let file = try sweepFile(work, extra: "list:\n  - {lr: 0.01}\n  - {dataset: /no/such/data}\n")
    let store = work.appendingPathComponent("lab.sqlite").path
    let submit = try CLI.run(
      ["sweep", "--config", file, "--backend", "slurm", "--store", store], in: work)
    #expect(submit.status == 0, "\(submit.stderr)")
    #expect(submit.stdout.contains("submitted Slurm job"))
    var report = ""
    let deadline = Date().addingTimeInterval(300)
    while Date() < deadline {
      report = try CLI.run(["sweep", "collect", "--store", store], in: work).stdout
      if report.contains(" 0 queued or running") && report.contains(" 0 missing") { break }
      Thread.sleep(forTimeInterval: 2)
    }
    #expect(
      report.contains("8 runs: 4 complete, 0 queued or running, 4 failed, 0 missing"), "\(report)")
    #expect(report.contains("/no/such/data"))
    let listed = try CLI.run(
      ["runs", "list", "--store", store, "--where", "status=complete", "--json"], in: work)
    let runs = try #require(
      try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    #expect(runs.count == 4 && runs.allSatisfy { $0["sweep_id"] as? Int == 1 })
    let resubmit = try CLI.run(["sweep", "resubmit", "--store", store], in: work)
    #expect(
      resubmit.stdout.contains("submitted Slurm job")
        && resubmit.stdout.contains("for runs 4, 5, 6, 7"))
    let summary = try summary(store, in: work)
    #expect((summary["groups"] as? [Any])?.count == 2)
  }
}
