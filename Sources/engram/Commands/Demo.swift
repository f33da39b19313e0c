import ArgumentParser
import EngramContinual
import EngramLab
import EngramLinalg
import EngramTheory
import Foundation

/// `engram demo`: the main job — a small study with a report.
struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "A small study in a few minutes: the theory tour, strategies and replay sizes on Split Fashion-MNIST, one HTML report.",
    discussion: """
      Runs the theory tour (when replay provably increases forgetting), then two sweeps on \
      Split Fashion-MNIST, class-incremental, 5 tasks, one epoch each (the reference \
      protocol; synthetic images when Fashion-MNIST is not installed): naive, replay (500), \
      EWC and ER-ACE over 3 seeds with continual evaluation, and replay with 20 to 2000 \
      stored examples. Everything is recorded in the store (a second run reuses what is \
      complete) and summarised in one self-contained HTML report.
      """)

  @Option(help: "The HTML report to write.")
  var out: String = "engram-demo.html"

  @Flag(help: "Replace --out even when Engram did not write it.")
  var force = false

  @Option(help: "The results store.")
  var store: String = ResultsStore.defaultPath

  @Option(parsing: .unconditional, help: "Seeds per configuration.")
  var seeds: Int = 3

  @Option(parsing: .unconditional, help: "Worker processes (default: the number of cores).")
  var workers: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(parsing: .unconditional, help: "Monte Carlo draws per point of the theory tour.")
  var draws: Int = 1000

  @Option(help: "The dataset (default: fashion-mnist, or synthetic images when it is missing).")
  var dataset: String?

  func validate() throws {
    try FlagCheck.whole("--seeds", seeds, in: 1...50)
    try FlagCheck.whole("--workers", workers, in: 1...1024)
    try FlagCheck.whole("--draws", draws, in: 1...100_000_000)
  }

  func run() throws {
    try reportingErrors {
      try OutputFile.check(
        URL(fileURLWithPath: out), marker: Report.marker, force: force, store: store, flag: "--out")
      // A dataset the runs cannot read is refused before the store holds anything of the demo.
      let examples = try dataset.map { try DatasetResolver.load($0, seed: 0).train.count }
      let results = try ResultsStore(path: store)
      BLASThreads.set(1)
      let tour = try TheoryTour(draws: draws, seed: 0).render()
      print(tour.text)
      let theoryID = try results.insert(
        RunRecord.theorySweep(
          tour.points, sweep: tour.sweep, parameters: ["dimension": [50], "epsilon": [0.4]],
          started: tour.started))
      print("")

      let dataset =
        self.dataset ?? (DatasetResolver.hasFashionMNIST ? "fashion-mnist" : "synthetic")
      if self.dataset == nil && dataset == "synthetic" {
        print(
          "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); using synthetic images."
        )
      }
      var base = RunConfig()
      base.dataset = dataset
      base.classOutputs = .all
      let strategies = try ["naive", "replay", "ewc", "er-ace"].flatMap { strategy in
        try (0..<seeds).map { seed -> RunConfig in
          var config = base
          config.strategy = try StrategySelection(parsing: strategy)
          config.seed = UInt64(seed)
          config.evalEvery = 10
          return config
        }
      }
      // A memory larger than the training set cannot be filled: such sizes are left out.
      let (memories, tooLarge) = [20, 100, 500, 2000].reduce(into: ([Int](), [Int]())) {
        if $1 <= examples ?? .max { $0.0.append($1) } else { $0.1.append($1) }
      }
      if !tooLarge.isEmpty {
        print(
          "memory \(tooLarge.map(String.init).joined(separator: ", ")) left out: \(dataset) has \(examples ?? 0) training examples"
        )
      }
      let sizes = try memories.flatMap { memory in
        try (0..<seeds).map { seed -> RunConfig in
          var config = base
          config.strategy = try StrategySelection(parsing: "replay")
          config.method.set("memory", .int(memory))
          config.seed = UInt64(seed)
          return config
        }
      }
      let datasetName = URL(fileURLWithPath: dataset).lastPathComponent
      var sections: [Report.Section] = []
      var firstReplay: Int64? = nil
      var failed = 0
      for (name, runs, varying) in [
        ("demo: strategies on split \(datasetName)", strategies, ["strategy"]),
        ("demo: replay size on split \(datasetName)", sizes, ["memory"]),
      ] {
        print("\(name): \(runs.count) runs on \(workers) workers")
        let reporter = ProgressReporter(label: "runs")
        let launch = try LocalBackend(workers: workers).run(
          SweepDefinition(name: name, runs: runs, varying: varying), store: results
        ) { done, total, _ in if total > 0 { reporter.update(done, total) } }
        for failure in launch.failed { print("  run \(failure.index) failed: \(failure.log)") }
        failed += launch.failed.count
        let summary = try SweepSummary.make(store: results, sweep: launch.sweepID)
        print(SweepTables.summary(summary))
        print("")
        var records: [Int64: RunRecord] = [:]
        for group in summary.groups {
          for id in group.runIDs { records[id] = try results.record(id: id) }
        }
        if firstReplay == nil {
          firstReplay =
            summary.groups.first { $0.settings["strategy"] == "replay" }?.runIDs.first
        }
        sections.append(Report.sweepSection(summary, records: records))
      }
      if let id = firstReplay {
        sections.insert(Report.runSection(try results.record(id: id), id: id), at: 1)
      }
      sections.append(Report.theorySection(try results.record(id: theoryID), id: theoryID))
      let html = Report.page(title: "Engram demo", sections: sections, store: store)
      let url = URL(fileURLWithPath: out)
      try writeAtomically(html, to: url)
      print("report: \(url.standardizedFileURL.path)")
      print("results: \(store) (engram runs list, engram sweep summary, engram report)")
      if failed > 0 {
        throw CommandError(message: "\(failed) of the demo's runs failed; their errors are listed above")
      }
    }
  }
}
