import EngramTestSupport
import Foundation
import Testing

@Suite("engram runs")
struct RunsCommandTests {
  func slice() throws -> String {
    try #require(fmnistSlice, "dataset-fashion-mnist is not installed").path
  }

  @Test("four processes recording into one store at once; list, filter, show, export, delete")
  func concurrentRunsAndQueries() throws {
    let work = try Fixtures.temporaryDirectory("runs")
    let store = work.appendingPathComponent("lab.sqlite").path
    var processes: [Process] = []
    for (i, strategy) in ["naive", "replay", "ewc", "replay"].enumerated() {
      let process = Process()
      process.executableURL = CLI.executable
      process.arguments = [
        "run", "--dataset", try slice(), "--store", store, "--strategy", strategy, "--seed", "\(i)",
        "--batch", "64", "--threads", "1",
      ]
      process.currentDirectoryURL = work
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      processes.append(process)
    }
    for process in processes {
      process.waitUntilExit()
      #expect(process.terminationStatus == 0)
    }
    let all = try CLI.run(["runs", "list", "--store", store, "--json"], in: work)
    let runs = try #require(
      try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [[String: Any]])
    #expect(runs.count == 4)
    #expect(runs.allSatisfy { $0["status"] as? String == "complete" })

    let replay = try CLI.run(
      [
        "runs", "list", "--store", store, "--where", "strategy=replay", "--where", "seed=3",
        "--csv",
      ],
      in: work)
    let lines = replay.stdout.split(separator: "\n")
    #expect(lines.count == 2 && lines[1].contains(",replay,3,"))
    let byConfig = try CLI.run(
      ["runs", "list", "--store", store, "--where", "momentum=0.90", "--where", "batch=64"],
      in: work)
    #expect(byConfig.stdout.contains("4 runs in"))
    let typo = try CLI.run(["runs", "list", "--store", store, "--where", "strategyy=x"], in: work)
    #expect(typo.status == 1 && typo.stderr.contains("did you mean 'strategy'?"))

    let id = try #require(runs.first?["id"] as? Int)
    let show = try CLI.run(["runs", "show", "\(id)", "--store", store], in: work)
    #expect(show.stdout.contains("after task") && show.stdout.contains("average accuracy"))
    let export = try CLI.run(
      ["runs", "export", "--store", store, "--csv", work.appendingPathComponent("csv").path],
      in: work)
    #expect(export.stdout.contains("accuracies.csv: 100 rows"))
    #expect(try CLI.run(["runs", "delete", "\(id)", "--store", store], in: work).status == 0)
    let again = try CLI.run(["runs", "show", "\(id)", "--store", store], in: work)
    #expect(again.status == 1 && again.stderr.contains("no run \(id) in the store"))
    let missing = try CLI.run(["runs", "list", "--store", "nowhere.sqlite"], in: work)
    #expect(missing.status == 1 && missing.stderr.contains("nowhere.sqlite: no results store here"))
  }
}
