import ArgumentParser
import EngramLinalg
import EngramRandom
import EngramTheory

/// `engram theory construction NAME`: a built-in construction written out as a spec.
struct TheoryConstruction: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "construction",
    abstract:
      "Print a built-in construction as a JSON spec for 'theory forgetting' and 'theory angles'.",
    discussion: """
      Gaussian samples are drawn with --seed exactly as 'theory expected' draws them. With \
      --memory M the spec replays M samples of the construction's source task (picked at \
      random from its rows) in the construction's replay task.
      """)

  @OptionGroup var shape: ConstructionOptions

  @Option(parsing: .unconditional, help: "Replayed samples to include in the spec (0: none).")
  var memory: Int = 0

  @Option(parsing: .unconditional, help: "Seed for task samples and the replay choice.")
  var seed: UInt64 = 0

  @Flag(help: "Write average-case tasks as {\"basis\", \"samples\"} instead of sampled rows.")
  var bases = false

  func validate() throws {
    try FlagCheck.whole("--memory", memory, in: 0...Int.max)
    try FlagCheck.seed(seed)
  }

  func run() throws {
    try reportingErrors {
      try shape.requireSingleValues()
      let streams = RandomStreams(seed: seed)
      var noise = streams.stream(.noise)
      let instance = try shape.build().instance(using: &noise)
      var replay: Replay? = nil
      if memory > 0 {
        let candidates: Matrix<Double>
        switch instance.pool {
        case .rows(let rows): candidates = rows
        case .subspace: candidates = instance.sequence.tasks[instance.poolTask]
        }
        guard memory <= candidates.rows else {
          throw TheoryError.memoryTooLarge(
            requested: memory, available: candidates.rows, task: instance.poolTask)
        }
        var stream = streams.stream(.replay, worker: memory)
        let picked = stream.sampleWithoutReplacement(memory, from: candidates.rows)
        replay = Replay(task: instance.replayTask, rows: candidates.selectingRows(picked))
      }
      let spec =
        bases
        ? try RegressionSpec(
          sources: instance.sources, groundTruth: instance.sequence.groundTruth,
          order: instance.order,
          replay: replay)
        : try RegressionSpec(sequence: instance.sequence, order: instance.order, replay: replay)
      try printJSON(spec)
    }
  }
}
