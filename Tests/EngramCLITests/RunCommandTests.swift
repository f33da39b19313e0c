import EngramData
import EngramLab
import EngramTestSupport
import Foundation
import Testing

/// A Fashion-MNIST slice shared by the run tests (1 000 training, 500 test images).
let fmnistSlice: URL? =
  Fixtures.hasFashionMNIST ? try? Fixtures.fashionMNISTSlice(train: 1000, test: 500) : nil

@Suite("engram run")
struct RunCommandTests {
  func slice() throws -> String {
    try #require(fmnistSlice, "dataset-fashion-mnist is not installed").path
  }

  @Test(
    "--json has the documented keys; replay keeps more than naive; continual evaluation gives min-ACC and WC-ACC"
  )
  func runJSON() throws {
    let data = try slice()
    // 200 images per task: batch 16 and 3 epochs give ~40 steps per task, enough to learn and forget.
    let common = [
      "run", "--dataset", data, "--class-outputs", "all", "--batch", "16", "--epochs", "3",
      "--threads", "1", "--json",
    ]
    let naive = try CLI.run(common)
    #expect(naive.status == 0)
    let n = try JSONSerialization.jsonObject(with: Data(naive.stdout.utf8)) as? [String: Any] ?? [:]
    for key in [
      "accuracy_matrix", "average_accuracy", "forgetting", "bwt", "fwt", "min_acc", "wc_acc",
      "seconds", "peak_memory_bytes", "config", "training_flops", "memory_buffer_bytes",
    ] {
      #expect(n.keys.contains(key), "missing \(key)")
    }
    #expect((n["accuracy_matrix"] as? [[Double]])?.count == 5)
    #expect((n["config"] as? [String: Any])?["strategy"] as? String == "naive")
    let replay = try CLI.run(
      common + ["--strategy", "replay", "--memory", "200", "--eval-every", "5"])
    let r =
      try JSONSerialization.jsonObject(with: Data(replay.stdout.utf8)) as? [String: Any] ?? [:]
    #expect((n["average_accuracy"] as? Double ?? 1) < 0.3)
    #expect((r["average_accuracy"] as? Double ?? 0) > 0.6)
    #expect(r["min_acc"] is Double && r["wc_acc"] is Double)
    #expect((r["memory_buffer_bytes"] as? Int ?? 0) > 0)
  }

  @Test("a YAML config is read and flags override it")
  func config() throws {
    let data = try slice()
    let file = try Fixtures.temporaryDirectory().appendingPathComponent("run.yaml")
    try "dataset: \(data)\nstrategy: ewc\ntasks: 2\nepochs: 1\n".write(
      to: file, atomically: true, encoding: .utf8)
    let result = try CLI.run(["run", "--config", file.path, "--tasks", "5", "--json"])
    #expect(result.status == 0)
    let object =
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    let config = object["config"] as? [String: Any]
    #expect(config?["strategy"] as? String == "ewc" && config?["tasks"] as? Int == 5)
  }

  @Test(
    "bad input: one error line, exit status 1",
    arguments: [
      (
        ["--strategy", "replai"],
        "error: strategy = replai (did you mean 'replay'?) is not valid: expected one of"
      ),
      (
        ["--benchmark", "shuffled"],
        "error: benchmark = shuffled is not valid: expected one of split, permuted, rotated"
      ),
      (["--tasks", "3"], "error: tasks = 3 is out of range: must divide the 10 classes evenly"),
      (
        ["--strategy", "replay", "--memory", "5000"],
        "error: memory = 5000 is out of range: must lie in 1…1000"
      ),
      (
        ["--eval-every", "0"],
        "error: eval_every = 0 is not valid: expected a whole number in 1…100000000"
      ),
      (["--ewc-lamda", "3"], "error: unknown key '--ewc-lamda' (did you mean '--ewc-lambda'?)"),
      (
        ["--strategy", "replay+der"],
        "error: strategy = replay+der is not valid: replay and der cannot be combined: both composes the batch; choose one of them"
      ),
      (
        ["--strategy", "der+icarl"],
        "error: strategy = der+icarl is not valid: der and icarl cannot be combined: both shapes the loss"
      ),
      (
        ["--strategy", "er-ace", "--replay-loss", "sum"],
        "error: replay_loss = sum cannot be used with strategy er-ace: er-ace weighs replayed rows itself; drop replay_loss"
      ),
      (["--strategy", ""], "error: strategy =  is not valid: '' holds an empty strategy name"),
      (["--strategy", "replay+replay"], "error: strategy = replay+replay is not valid: 'replay' is named twice"),
    ])
  func badInput(arguments: [String], message: String) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "engram-bad-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("results.sqlite").path
    let checkpoints = folder.appendingPathComponent("ckpt").path
    let result = try CLI.run(
      ["run", "--dataset", try slice(), "--store", store, "--checkpoint-dir", checkpoints]
        + arguments)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix(message), "got \(result.stderr)")
    // Refused before anything is written: no run row left `running`, no checkpoint folder.
    if FileManager.default.fileExists(atPath: store) {
      #expect(try ResultsStore(path: store).summaries().isEmpty)
    }
    #expect(!FileManager.default.fileExists(atPath: checkpoints))
  }

  @Test("a diverging run stops with a message, keeps the rows it finished, and exits 1")
  func divergence() throws {
    let result = try CLI.run(["run", "--dataset", try slice(), "--lr", "90", "--momentum", "0.99"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("training diverged"))
    #expect(result.stderr.contains("lower the learning rate"))
  }

  @Test("with --json a diverging run still prints its partial results and the reason")
  func divergenceJSON() throws {
    let result = try CLI.run(
      ["run", "--dataset", try slice(), "--lr", "90", "--momentum", "0.99", "--json"])
    #expect(result.status == 1)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect((object["interrupted"] as? String)?.contains("training diverged") == true)
    #expect((object["accuracy_matrix"] as? [[Double]]).map { $0.count < 5 } == true)
    #expect(object["config"] != nil)
  }

  @Test("images of another size (test set, custom task) are refused before any copy")
  func shapeMismatch() throws {
    for side in [56, 200] {
      let dir = try Fixtures.idxFolder(trainSide: 28, testSide: side)
      for command in [["run", "--no-store", "--tasks", "1"], ["train"]] {
        let result = try CLI.run(command + ["--dataset", dir.path])
        #expect(result.status == 1, "\(command) \(side): \(result.stderr)")
        #expect(result.stderr.contains("holds \(side)×\(side) images"), "\(result.stderr)")
      }
    }
    let other = try Fixtures.idxFolder(trainSide: 14, testSide: 14)
    let config = try Fixtures.temporaryDirectory("custom").appendingPathComponent("c.yaml")
    try """
      benchmark: custom
      custom_tasks:
        - {classes: [0, 1]}
        - {dataset: \(other.path), classes: [0, 1]}
      """.write(to: config, atomically: true, encoding: .utf8)
    let result = try CLI.run([
      "run", "--no-store", "--dataset", try Fixtures.idxFolder(trainSide: 28, testSide: 28).path,
      "--config", config.path,
    ])
    #expect(result.status == 1)
    #expect(
      result.stderr.contains("holds 14×14×1 images but")
        && result.stderr.contains("holds 28×28×1 images"), "\(result.stderr)")
  }


  @Test("a hyperparameter the chosen strategy does not read is named in a note")
  func unreadSetting() throws {
    let result = try CLI.run([
      "run", "--no-store", "--dataset", try slice(), "--strategy", "replay", "--ewc-lambda", "5",
      "--tasks", "1", "--iterations", "1",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.hasPrefix("note: ewc_lambda has no effect on strategy replay"))
  }

}
