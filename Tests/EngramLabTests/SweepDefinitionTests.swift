import EngramLab
import Foundation
import Testing

@Suite("Sweep files")
struct SweepDefinitionTests {
  func parse(_ text: String) throws -> SweepDefinition {
    try SweepDefinition.parse(text, file: "s.yaml", folder: URL(fileURLWithPath: "/tmp"))
  }

  @Test("variants × grid × seeds, in order; base applies to all; varying keys are listed")
  func expansion() throws {
    let sweep = try parse(
      """
      name: study
      base: {epochs: 2, batch: 32}
      list:
        - {strategy: replay, memory: 100}
        - {strategy: ewc}
      grid:
        lr: [0.01, 0.1]
      seeds: [4, 5]
      """)
    #expect(sweep.name == "study" && sweep.runs.count == 8)
    #expect(
      sweep.runs.map(\.strategy.description) == Array(repeating: "replay", count: 4)
        + Array(repeating: "ewc", count: 4))
    #expect(sweep.runs.prefix(4).map(\.lr) == [0.01, 0.01, 0.1, 0.1])
    #expect(sweep.runs.prefix(4).map(\.seed) == [4, 5, 4, 5])
    #expect(sweep.runs.allSatisfy { $0.epochs == 2 && $0.batch == 32 })
    #expect(
      sweep.runs[0].method.values["memory"] == .int(100)
        && sweep.runs[4].method.values["memory"] == nil)
    #expect(sweep.varying == ["strategy", "memory", "lr"])
  }

  @Test("a sweep of a long stream gives each run the protocol's defaults for keys it leaves unset")
  func longStreamDefaults() throws {
    let sweep = try parse(
      """
      name: plasticity
      base: {benchmark: bit-flipping, tasks: 3}
      list:
        - {strategy: naive, model: linear}
        - {strategy: cbp}
      seeds: 2
      """)
    #expect(sweep.runs.count == 4)
    #expect(sweep.runs.allSatisfy { $0.scenario == .domain && $0.batch == 1 && $0.tasks == 3 })
    #expect(sweep.runs.map(\.model.description) == ["linear", "linear", "mlp:5", "mlp:5"])
    #expect(sweep.runs.allSatisfy { $0.taskExamples == 10_000 })
  }

  @Test(
    "bad sweep files are refused with the file, line and fix",
    arguments: [
      (
        "grid:\n  strategy: [naive]\nsedes: 3\n",
        "s.yaml, line 3: unknown key 'sedes' (did you mean 'seeds'?)"
      ),
      ("grid: {}\n", "grid (s.yaml, line 1) = an empty grid is not valid"),
      ("grid:\n  memory: []\n", "grid.memory (s.yaml, line 2) = an empty list is not valid"),
      (
        "grid:\n  strategyy: [naive]\n",
        "s.yaml, line 2: unknown key 'strategyy' (did you mean 'strategy'?)"
      ),
      ("grid:\n  batch: [32, many]\n", "batch (s.yaml, line 2) = 'many' is not valid"),
      ("list: []\n", "list (s.yaml, line 1) = an empty list is not valid"),
      ("seeds: 0\n", "seeds (s.yaml, line 1) = 0 is not valid"),
      ("grid:\n  strategy: [naive, replai]\n", "did you mean 'replay'?"),
      ("grid:\n  seed: [1, 2]\n", "seeds under the top-level seeds: key"),
      ("grid:\n  memory: [1, 2, 3]\n  lr: [1, 2, 3]\nseeds: 20\n", "at most 100 runs"),
    ])
  func refusals(text: String, message: String) {
    do {
      _ = try SweepDefinition.parse(
        text, file: "s.yaml", folder: URL(fileURLWithPath: "/tmp"), limit: 100)
      Issue.record("accepted \(text)")
    } catch {
      #expect("\(error)".contains(message), "\(error)")
    }
  }

  @Test("list entries that give the same settings are refused, naming the entries")
  func repeatedVariants() throws {
    for list in ["  - {momentum: 0.5}\n  - {momentum: 0.5}\n", "  - {}\n  - {momentum: 0.9}\n"] {
      do {
        _ = try parse("name: r\nlist:\n" + list)
        Issue.record("repeated variants accepted: \(list)")
      } catch let error as ConfigError {
        #expect("\(error)".contains("entries 1 and 2 give the same settings"), "\(error)")
      }
    }
    #expect(try parse("name: r\nlist:\n  - {momentum: 0.5}\n  - {momentum: 0.8}\n").runs.count == 2)
  }
}
