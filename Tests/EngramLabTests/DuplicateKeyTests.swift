import EngramLab
import Foundation
import Testing

/// YAML keeps the last of two equal keys and drops the first without a word; each of these
/// files was accepted before with one of its settings silently lost (issue 14).
@Suite("A setting given twice is an error naming the file, both lines and the key")
struct DuplicateKeyTests {
  func configError(_ yaml: String) -> String? {
    var config = RunConfig()
    do {
      try config.apply(yaml: yaml, file: "c.yaml")
      return nil
    } catch {
      return "\(error)"
    }
  }

  func sweepError(_ yaml: String) -> String? {
    do {
      _ = try SweepDefinition.parse(yaml, file: "s.yaml", folder: URL(fileURLWithPath: "/tmp"))
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test(
    "run configs",
    arguments: [
      (
        "lr: 0.1\nepochs: 2\nlr: 0.5\n",
        "c.yaml, line 3: key 'lr' is given twice (first on line 1); give each key once"
      ),
      (
        "eval-every: 2\neval_every: 3\n",
        "c.yaml, line 2: key 'eval_every' sets the same setting as 'eval-every' on line 1; give it once"
      ),
      (
        "dataset: a\ndata_dir: b\n",
        "c.yaml, line 2: key 'data_dir' sets the same setting as 'dataset' on line 1; give it once"
      ),
      (
        "{lr: 0.1, lr: 0.2}",
        "c.yaml, line 1: key 'lr' is given twice (first on line 1); give each key once"
      ),
      (
        "benchmark: custom\ncustom_tasks:\n  - classes: [0, 1]\n    classes: [2, 3]\n",
        "custom_tasks (c.yaml, line 3), task 0, line 4: key 'classes' is given twice (first on line 3); give each key once"
      ),
    ])
  func runConfigs(yaml: String, expected: String) {
    #expect(configError(yaml) == expected)
  }

  @Test("a run's config.json (JSON is YAML) is checked the same way")
  func configJSON() {
    #expect(
      throws: ConfigError.duplicateKey(
        key: "lr", earlier: "lr", file: "config.json", line: 1, firstLine: 1)
    ) {
      try RunConfig(json: #"{"epochs": 1, "lr": 0.1, "lr": 0.2}"#, file: "config.json")
    }
  }

  @Test(
    "sweep files: the top level, base, grid, list items, and a key in both grid and list",
    arguments: [
      (
        "grid:\n  lr: [0.1]\nseeds: 2\nseeds: 3\n",
        "s.yaml, line 4: key 'seeds' is given twice (first on line 3); give each key once"
      ),
      (
        "grid:\n  lr: [0.1]\ngrid:\n  batch: [8]\n",
        "s.yaml, line 3: key 'grid' is given twice (first on line 1); give each key once"
      ),
      (
        "base: {epochs: 1, epochs: 2}\n",
        "s.yaml, line 1: key 'epochs' is given twice (first on line 1); give each key once"
      ),
      (
        "grid:\n  lr: [0.1]\n  memory: [10]\n  lr: [0.2]\n",
        "s.yaml, line 4: key 'lr' is given twice (first on line 2); give each key once"
      ),
      (
        "list:\n  - {strategy: replay, memory: 10, memory: 20}\n",
        "s.yaml, line 2: key 'memory' is given twice (first on line 2); give each key once"
      ),
      (
        "grid:\n  lr: [0.1, 0.2]\nlist:\n  - {strategy: replay, lr: 0.5}\n",
        "s.yaml, line 4: key 'lr' sets the same setting as 'grid.lr' on line 2; give it once"
      ),
    ])
  func sweeps(yaml: String, expected: String) {
    #expect(sweepError(yaml) == expected)
  }

  @Test("a key in base and again in a list item or the grid is an override, as documented")
  func overridesStillWork() throws {
    let sweep = try SweepDefinition.parse(
      "base: {lr: 0.1, memory: 5}\ngrid:\n  lr: [0.2]\nlist:\n  - {strategy: replay, memory: 10}\n",
      file: "s.yaml", folder: URL(fileURLWithPath: "/tmp"))
    #expect(sweep.runs.map(\.lr) == [0.2])
    #expect(sweep.runs[0].method.values["memory"] == .int(10))
  }

  @Test("numbers in text values are plain decimals: no trailing NUL, no hexadecimal")
  func strictNumbers() {
    #expect(configError("angles: \"0,45\\0abc\"\n")?.hasPrefix("angles (c.yaml, line 1)") == true)
    #expect(configError("angles: \"0x10\"\n")?.hasPrefix("angles (c.yaml, line 1)") == true)
    #expect(configError("angles: \"0, 45.5, 1e1\"\n") == nil)
  }
}

/// Nesting the YAML parser would recurse into without bound (found by reading the depth check
/// while writing the fuzz seeds, then confirmed on the run-config fuzz target: a stack
/// overflow in Yams' Parser.loadMapping for 2 000 explicit-key indicators in 4 000 bytes).
@Suite("YAML nesting is bounded before parsing, whatever opens the levels")
struct YAMLNestingTests {
  @Test(
    "indicators on one line: explicit keys, explicit values, entries, with anchors and tags",
    arguments: [
      String(repeating: "? ", count: 2000) + "x\n",
      String(repeating: "- ? ", count: 1000) + "x\n",
      String(repeating: "? &a !!map ", count: 1000) + "x\n",
      String(repeating: "- : ", count: 1000) + "x\n",
    ])
  func indicators(yaml: String) {
    var config = RunConfig()
    #expect(
      throws: ConfigError.unreadable(
        file: "c.yaml",
        reason: "line 1: nested more than 64 levels deep; a run config or sweep needs a few")
    ) {
      try config.apply(yaml: yaml, file: "c.yaml")
    }
    #expect(throws: ConfigError.self) {
      try SweepDefinition.parse(yaml, file: "s.yaml", folder: URL(fileURLWithPath: "/tmp"))
    }
  }

  @Test("ordinary nesting still reads: lists of mappings, explicit keys, comments, CRLF")
  func ordinary() throws {
    var config = RunConfig()
    try config.apply(
      yaml:
        "# a config\r\nbenchmark: custom\r\ncustom_tasks:\r\n  - classes: [0, 1]\r\n    rotation: 90\r\n  - {classes: [2, 3]}\r\n? epochs\r\n: 2\r\n",
      file: "c.yaml")
    #expect(config.epochs == 2)
  }
}
