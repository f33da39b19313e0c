import EngramTestSupport
import Foundation
import Testing

/// Outputs never replace the store, nor a file Engram did not write for that purpose, unless
/// forced; Engram's own earlier outputs are replaced as before.
@Suite("Output safety")
struct OutputSafetyTests {
  /// A folder with a store holding one quick run.
  func storeWithRun() throws -> (work: URL, store: String) {
    let data = try #require(fmnistSlice, "dataset-fashion-mnist is not installed").path
    let work = try Fixtures.temporaryDirectory("outputs")
    let store = work.appendingPathComponent("results.sqlite").path
    let run = try CLI.run(
      ["run", "--store", store, "--dataset", data, "--batch", "256", "--tasks", "5"], in: work)
    #expect(run.status == 0, "\(run.stderr)")
    return (work, store)
  }

  @Test("report --out: never the store; not someone else's file without --force; its own again")
  func report() throws {
    let (work, store) = try storeWithRun()
    let storeBytes = try Data(contentsOf: URL(fileURLWithPath: store))
    for target in [store, store + "-wal"] {
      let result = try CLI.run(["report", "--store", store, "--out", target, "--force"], in: work)
      #expect(result.status == 1)
      #expect(result.stderr.contains("is the results store itself"), "\(result.stderr)")
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == storeBytes)
    let notes = work.appendingPathComponent("notes.html")
    try "my notes".write(to: notes, atomically: true, encoding: .utf8)
    let refused = try CLI.run(["report", "--store", store, "--out", notes.path], in: work)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("notes.html: exists and was not written by Engram"))
    #expect(try String(contentsOf: notes, encoding: .utf8) == "my notes")
    let forced = try CLI.run(["report", "--store", store, "--out", notes.path, "--force"], in: work)
    #expect(forced.status == 0, "\(forced.stderr)")
    let again = try CLI.run(["report", "--store", store, "--out", notes.path], in: work)
    #expect(again.status == 0, "an earlier report is replaced: \(again.stderr)")
  }

  @Test("runs export: another program's CSV is kept unless --force; an earlier export is replaced")
  func export() throws {
    let (work, store) = try storeWithRun()
    let folder = work.appendingPathComponent("csv")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let mine = folder.appendingPathComponent("runs.csv")
    try "name,score\nalice,3\n".write(to: mine, atomically: true, encoding: .utf8)
    let refused = try CLI.run(["runs", "export", "--store", store, "--csv", folder.path], in: work)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("runs.csv: exists and was not written by Engram"))
    #expect(try String(contentsOf: mine, encoding: .utf8) == "name,score\nalice,3\n")
    let forced = try CLI.run(
      ["runs", "export", "--store", store, "--csv", folder.path, "--force"], in: work)
    #expect(forced.status == 0, "\(forced.stderr)")
    let again = try CLI.run(["runs", "export", "--store", store, "--csv", folder.path], in: work)
    #expect(again.status == 0, "\(again.stderr)")
  }

  @Test("output paths that cannot be written are named, with the reason")
  func unwritable() throws {
    let (work, store) = try storeWithRun()
    let file = work.appendingPathComponent("afile")
    try "x".write(to: file, atomically: true, encoding: .utf8)
    let cases: [([String], String)] = [
      (["run", "--no-store", "--checkpoint-dir", file.path + "/ckpt", "--tasks", "1"],
       "\(file.path)/ckpt: cannot be created: \(file.path) is a file, not a folder"),
      (["report", "--store", store, "--out", file.path + "/r.html"], "\(file.path)/r.html: cannot be created: \(file.path) is a file"),
      (["runs", "export", "--store", store, "--csv", file.path + "/csv"], "is a file, not a folder"),
    ]
    for (arguments, message) in cases {
      let result = try CLI.run(arguments, in: work)
      #expect(result.status == 1, "\(arguments)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    }
  }

}
