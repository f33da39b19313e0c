import EngramData
import EngramTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Inputs that used to crash or hang: each must end with one clear error line and status 1.
@Suite("Hostile inputs")
struct HostileInputTests {
  /// An IDX folder of tiny images; `replace` swaps one file for something else.
  func idxFolder(replacing file: String? = nil, with make: ((URL) throws -> Void)? = nil) throws
    -> URL
  {
    let folder = try Fixtures.idxFolder(trainSide: 8, testSide: 8, pixel: 3)
    if let file, let make {
      let url = folder.appendingPathComponent(file)
      try FileManager.default.removeItem(at: url)
      try make(url)
    }
    return folder
  }

  func fifo(_ url: URL) throws {
    guard mkfifo(url.path, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
  }

  func folder(_ url: URL) throws {
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
  }

  @Test("a folder or a named pipe where an IDX file should be: an error, no trap and no hang")
  func idxNotAFile() throws {
    for (make, words) in [(folder, "is a folder"), (fifo, "is a named pipe")] as [((URL) throws -> Void, String)] {
      let dir = try idxFolder(replacing: "t10k-labels-idx1-ubyte", with: make)
      let result = try CLI.run(["run", "--no-store", "--tasks", "1", "--dataset", dir.path])
      #expect(result.status == 1)
      #expect(
        result.stderr.contains("t10k-labels-idx1-ubyte") && result.stderr.contains(words),
        "\(result.stderr)")
    }
  }

  @Test("a named pipe as a config, sweep, spec or checkpoint: refused at once")
  func pipes() throws {
    let dir = try Fixtures.temporaryDirectory("pipes")
    let pipe = dir.appendingPathComponent("input.yaml")
    try fifo(pipe)
    let checkpoints = dir.appendingPathComponent("ckpt")
    try FileManager.default.createDirectory(at: checkpoints, withIntermediateDirectories: true)
    try "{}".write(to: checkpoints.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
    try fifo(checkpoints.appendingPathComponent("run.ckpt"))
    for arguments in [
      ["run", "--no-store", "--config", pipe.path],
      ["sweep", "start", "--config", pipe.path, "--store", dir.appendingPathComponent("s.sqlite").path],
      ["theory", "forgetting", "--spec", pipe.path],
      ["run", "--no-store", "--resume", checkpoints.path],
    ] {
      let result = try CLI.run(arguments)
      #expect(result.status != 0, "\(arguments)")
      #expect(result.stderr.contains("is a named pipe"), "\(arguments): \(result.stderr)")
    }
  }

  @Test("YAML nested thousands deep is refused before the parser recurses")
  func deepYAML() throws {
    for text in [
      "batch: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000),
      (0..<300).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n"),
      String(repeating: "- ", count: 5000) + "x",
    ] {
      let file = try CLI.temporaryFile(text, name: "deep.yaml")
      let result = try CLI.run(["run", "--no-store", "--config", file])
      #expect(result.status == 1)
      #expect(result.stderr.contains("nested more than 64 levels deep"), "\(result.stderr.prefix(300))")
    }
  }

  @Test("a 5 MB config is refused by size, and no error line echoes it")
  func hugeYAML() throws {
    let file = try CLI.temporaryFile(
      "batch: " + String(repeating: "9", count: 5 << 20), name: "huge.yaml")
    let result = try CLI.run(["run", "--no-store", "--config", file])
    #expect(result.status == 1)
    #expect(result.stderr.contains("bytes allowed for a YAML config"))
    #expect(result.stderr.utf8.count < 1000)
  }

  @Test("sizes from input that cannot be allocated are refused with what they would need")
  func impossibleSizes() throws {
    let wide = try CLI.temporaryFile(
      "{\"w_star\": [" + Array(repeating: "0", count: 100_000).joined(separator: ",")
        + "], \"tasks\": [{\"rows\": [[" + (["1"] + Array(repeating: "0", count: 99_999))
        .joined(separator: ",") + "]]}]}")
    let small = try CLI.temporaryFile(
      #"{"w_star": [0, 1], "tasks": [{"rows": [[1, 0]]}, {"rows": [[0, 1]]}]}"#)
    let cases: [([String], String)] = [
      (["run", "--no-store", "--model", "mlp:100000,100000"], "the model mlp:100000,100000 would need"),
      (["run", "--no-store", "--model", "cnn:100000,100000,100000"], "would need"),
      (["train", "--model", "mlp:1000000,1000000"], "would need"),
      (["run", "--no-store", "--model", "cnn", "--batch", "1000000"], "batches of 1000000 examples"),
      (["theory", "forgetting", "--spec", wide], "a spec of dimension 100000"),
      (["theory", "angles", "--spec", wide], "a spec of dimension 100000"),
      (["theory", "forgetting", "--spec", small, "--order", "random:1000000000000"], "at most 1000000"),
      (["theory", "forgetting", "--spec", small, "--order", "cyclic:100000000"], "at most 1000000"),
      (["theory", "sweep", "--construction", "subspace", "--dimension", "200000"], "would need"),
    ]
    for (arguments, message) in cases {
      let result = try CLI.run(arguments)
      #expect(result.status == 1, "\(arguments)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    }
  }


  @Test("silent acceptance is gone: one validation table, contradictions and repeats refused")
  func noSilentAcceptance() throws {
    let huge = try CLI.temporaryFile(
      #"{"w_star": [1e300, 1e300], "tasks": [{"rows": [[1e300, 0]]}, {"rows": [[0, 1e300]]}]}"#)
    let grid = try CLI.temporaryFile(
      "name: g\ngrid: {lr: [0.01, 0.1, 1e-2]}\n", name: "grid.yaml")
    let seeds = try CLI.temporaryFile("name: s\nseeds: [1, 2, 1]\n", name: "seeds.yaml")
    // Twelve grids of 100 values: 10²⁴ runs, more than an Int counts.
    let keys = [
      "batch", "epochs", "eval_subset", "memory_bytes", "iterations", "memory", "replay_batch",
      "agem_batch", "gdumb_epochs", "memory_per_task", "fisher_samples", "tasks",
    ]
    let overflow = try CLI.temporaryFile(
      "name: o\ngrid:\n"
        + keys.map { "  \($0): [" + (1...100).map(String.init).joined(separator: ", ") + "]" }
        .joined(separator: "\n") + "\n", name: "overflow.yaml")
    let cases: [([String], String)] = [
      (["train", "--momentum", "2"], "momentum = 2.0 is not valid: expected a number in 0.0…0.9999"),
      (["train", "--threads", "10000"], "threads = 10000 is not valid"),
      (["train", "--lr", "-0.1"], "lr = -0.1"),
      (["run", "--no-store", "--momentum", "-1"], "momentum = -1"),
      (["theory", "sweep", "--construction", "subspace", "--dimension", "-5"], "dimension = -5"),
      (["run", "--store", "x.sqlite", "--no-store"], "--store and --no-store contradict"),
      (["theory", "forgetting", "--spec", huge], "spec numbers must lie within"),
      (["theory", "forgetting", "--spec", huge, "--json"], "spec numbers must lie within"),
      (["sweep", "start", "--config", grid, "--store", "g.sqlite"], "0.01 twice"),
      (["sweep", "start", "--config", seeds, "--store", "s.sqlite"], "1 twice"),
      (["sweep", "start", "--config", overflow, "--store", "o.sqlite"], "more runs than can be counted"),
    ]
    for (arguments, message) in cases {
      let result = try CLI.run(arguments)
      #expect(result.status != 0, "\(arguments)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
      #expect(!result.stderr.contains("Missing value"), "\(arguments)")
    }
  }


  @Test("the harness's findings: each instance ends in a clear error and touches nothing")
  func harnessFindings() throws {
    let work = try Fixtures.temporaryDirectory("findings")
    func file(_ name: String, _ text: String) throws -> String {
      let url = work.appendingPathComponent(name)
      try text.write(to: url, atomically: true, encoding: .utf8)
      return url.path
    }
    let quoted = try file(
      "q.yaml", "angles: [a', " + String(repeating: "[", count: 20_000)
        + String(repeating: "]", count: 20_001) + "\n")
    let spanning = try file(
      "m.yaml", "a: \"x\n y\" " + String(repeating: "[", count: 2000) + "\n")
    let laughs = try file(
      "l.yaml", "groups: [&g [1, 2], " + Array(repeating: "*g", count: 5000).joined(separator: ", ")
        + "]\n")
    let notes = try file("notes.txt", "mine")
    let folder = work.appendingPathComponent("ck")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let stray = try file("ck/run.ckpt", "not engram's")
    let cases: [([String], String)] = [
      (["run", "--no-store", "--config", quoted], "nested more than 64 levels deep"),
      (["run", "--no-store", "--config", spanning], "nested more than 64 levels deep"),
      (["run", "--no-store", "--config", laughs], "more than 1000 aliases"),
      (["run", "--no-store", "--benchmark", "rotated", "--angles", "0,1e300"], "angles"),
      (["theory", "expected", "--construction", "worst-case", "--tasks", "100000000"], "at most 1000000"),
      (["train", "--save", notes, "--epochs", "1"], "notes.txt: exists and was not written by Engram"),
      (["run", "--no-store", "--checkpoint-dir", folder.path], "but no config.json"),
    ]
    for (arguments, message) in cases {
      let result = try CLI.run(arguments, in: work)
      #expect(result.status == 1, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr.prefix(300))")
    }
    #expect(try String(contentsOfFile: notes, encoding: .utf8) == "mine")
    #expect(try String(contentsOfFile: stray, encoding: .utf8) == "not engram's")
    // Brackets in a comment are text: a valid config.
    let commented = try file("c.yaml", "lr: 0.02 # " + String(repeating: "{", count: 70) + "\n")
    let valid = try CLI.run(
      ["run", "--no-store", "--config", commented, "--tasks", "1", "--iterations", "1"], in: work)
    #expect(valid.status == 0, "\(valid.stderr)")
  }


  @Test("the second harness run's findings: clear errors, nothing launched, nothing touched")
  func secondHarnessRun() throws {
    let work = try Fixtures.temporaryDirectory("findings2")
    let data = try Fixtures.idxFolder(trainSide: 8, testSide: 8, pixel: 3).path
    func file(_ name: String, _ text: String) throws -> String {
      let url = work.appendingPathComponent(name)
      try text.write(to: url, atomically: true, encoding: .utf8)
      return url.path
    }
    let base = "base: {dataset: \(data), tasks: 1, iterations: 2, batch: 8, model: 'mlp:8'}\n"
    let cannotStart = try file("bad.yaml", "name: bad\nbase: {dataset: \(data), tasks: 3}\nseeds: 2\n")
    let repeated = try file("rep.yaml", "name: r\n" + base + "list:\n  - {}\n  - {momentum: 0.9}\n")
    let fine = try file("ok.yaml", "name: ok\n" + base)
    let notes = try file("f.txt", "user data\n")
    let emptyText = try file("empty.yaml", "dataset: ''\n")
    let emptyRate = try file("rate.yaml", "lr: ''\n")
    let tiny = try file("d.csv", "label,a,b\n0,1,2\n1,3,4\n")
    let long = try file(
      "long.csv", "0,1,2\n1,3,4\n0,5,6\n1," + String(repeating: "9", count: 100_000) + ",1\n")
    let cases: [([String], String)] = [
      (["sweep", "--config", cannotStart, "--store", "s.sqlite"], "its first run cannot start"),
      (["sweep", "--config", repeated, "--store", "s.sqlite"], "give the same settings"),
      (["sweep", "--config", fine, "--store", "s.sqlite", "--sweep-dir", notes], "f.txt"),
      (["demo", "--out", notes + "/r.html", "--store", "d.sqlite"], "f.txt is a file"),
      (["run", "--store", notes + "/s.sqlite", "--tasks", "1"], "f.txt is a file, not a folder"),
      (["demo", "--dataset", "nope", "--store", "d.sqlite"], "nope"),
      (["run", "--no-store", "--config", emptyText], "dataset"),
      (["run", "--no-store", "--config", emptyRate], "lr"),
      (["run", "--no-store", "--dataset", data, "--groups", "0,1;;2"], "groups"),
      (["train", "--dataset", tiny, "--epochs", "1"], "d.csv: holds 2 examples"),
      (["train", "--dataset", long, "--epochs", "1"], "long.csv: line 4"),
    ]
    for (arguments, message) in cases {
      let result = try CLI.run(arguments, in: work)
      #expect(result.status == 1, "\(arguments): \(result.stderr.prefix(300))")
      let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
      #expect(errors.count == 1, "\(arguments): \(result.stderr.prefix(300))")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr.prefix(300))")
      #expect(result.stderr.count < 2000, "\(arguments): an error line of \(result.stderr.count)")
      for leak in ["NSCocoaErrorDomain", "The operation could not be completed", "DecodingError"] {
        #expect(!result.stderr.contains(leak), "\(arguments): \(result.stderr.prefix(300))")
      }
    }
    #expect(try String(contentsOfFile: notes, encoding: .utf8) == "user data\n")
    // Neither refused sweep left a sweep behind, and the demo stored nothing.
    let sweeps = try CLI.run(["sweep", "summary", "--store", "s.sqlite"], in: work)
    #expect(sweeps.status == 1 && sweeps.stderr.contains("no sweep at all"), "\(sweeps.stderr)")
    #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("d.sqlite").path))
  }

  @Test("resuming a folder whose result.json or config.json is damaged or another run's")
  func damagedResultFiles() throws {
    let work = try Fixtures.temporaryDirectory("result-files")
    let data = try Fixtures.idxFolder(trainSide: 8, testSide: 8, pixel: 3).path
    let settings = ["--no-store", "--dataset", data, "--tasks", "2", "--iterations", "2", "--model", "mlp:8"]
    for (folder, seed) in [("a", "0"), ("b", "1")] {
      let result = try CLI.run(
        ["run", "--checkpoint-dir", folder, "--seed", seed] + settings, in: work)
      #expect(result.status == 0, "\(result.stderr)")
    }
    let a = work.appendingPathComponent("a")
    let b = work.appendingPathComponent("b")
    // b's result in a's folder: another run's, refused instead of reported as a's.
    try FileManager.default.removeItem(at: a.appendingPathComponent("result.json"))
    try FileManager.default.copyItem(
      at: b.appendingPathComponent("result.json"), to: a.appendingPathComponent("result.json"))
    var result = try CLI.run(["run", "--no-store", "--resume", "a"], in: work)
    #expect(result.status == 1)
    #expect(result.stderr.contains("result.json: belongs to another run"), "\(result.stderr)")
    try "{\"status\": 3".write(
      to: a.appendingPathComponent("result.json"), atomically: true, encoding: .utf8)
    result = try CLI.run(["run", "--no-store", "--resume", "a"], in: work)
    #expect(result.status == 1)
    #expect(result.stderr.contains("result.json: the finished run's result is damaged"), "\(result.stderr)")
    #expect(!result.stderr.contains("DecodingError"))
    try "".write(to: b.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
    result = try CLI.run(["run", "--no-store", "--resume", "b"], in: work)
    #expect(result.status == 1)
    #expect(result.stderr.contains("config.json: is empty"), "\(result.stderr)")
  }
}
