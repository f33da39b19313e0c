import ArgumentParser
import EngramContinual
import EngramLab
import EngramLinalg
import EngramNN
import EngramRandom
import Foundation

/// `engram replay-advice`: will replaying m samples help or hurt the next task?
struct ReplayAdviceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay-advice",
    abstract: "Predict, before training, whether replaying m old samples helps or hurts.",
    discussion: """
      Takes a network trained on the previous task (--checkpoint, e.g. from engram train \
      --save; by default the previous task is trained here with the study protocol and \
      --seed, exactly as seed --seed of engram replay-study count trains it), linearises it at \
      its last layer (penultimate features + bias), represents each task by the principal \
      subspace of its features, and computes with the theory engine the expected forgetting \
      with m random replayed samples against none (averaged over targets w* ~ N(0, I), \
      Proposition 3.6). A ratio above 1 means replay is predicted to increase forgetting. \
      Confidence: high when the call holds for energies 0.9, 0.95 and 0.99 and is > 3 standard \
      errors from 1, medium when two of three energies agree, low otherwise.
      --compare RUN_ID checks the advice against a stored replay-study count run and prints \
      how often the direction is right. --json prints {"advice": [{"memory", "ratio", \
      "standard_error", "direction", "confidence", "ratios"}], "cannot_hurt", "agreement"}.
      """)

  @OptionGroup var sequence: StudySequenceOptions

  @Option(help: "A checkpoint of the trained network (its architecture is --model).")
  var checkpoint: String?

  @Option(parsing: .unconditional, help: "Replayed samples: a list or A:B[:STEP].")
  var memory: ValueList = ValueList(argument: "0:10")!

  @Option(help: "Feature rows taken from each task.")
  var samples = 2000

  @Option(parsing: .unconditional, 
    help:
      "Feature energies whose principal subspaces stand for the tasks (the middle one is the headline)."
  )
  var energies: ValueList = ValueList(argument: "0.9,0.95,0.99")!

  @Option(help: "Random targets w* averaged over (the standard error of a ratio is over these).")
  var targets = 64

  @Option(help: "Random memories per target and m.")
  var draws = 64

  @Option(parsing: .unconditional, help: "A stored replay-study count run to validate the advice against.")
  var compare: Int64?

  @Flag(help: "Print JSON.")
  var json = false

  struct Output: Encodable {
    let advice: [ReplayAdvisor.Advice]
    let cannotHurt: Bool
    let agreement: Agreement?
  }

  /// How often the advice calls the measured direction right.
  struct Agreement: Encodable {
    let run: Int64
    /// m > 0 where the measured paired difference is significant, and how many were called.
    let significant: Int
    let significantRight: Int
    /// All m > 0: predicted sign of (ratio − 1) against the sign of the measured mean difference.
    let all: Int
    let allRight: Int
  }

  func validate() throws {
    try FlagCheck.whole("--samples", samples, in: 10...10_000_000)
    try FlagCheck.whole("--targets", targets, in: 2...10_000_000)
    try FlagCheck.whole("--draws", draws, in: 1...10_000_000)
    // An energy is a fraction of the features' variance: 0 keeps no direction.
    guard energies.values.allSatisfy({ $0 > 0 && $0 <= 1 }) else {
      throw ValidationError(
        "--energies \(energies.values.map(ValueList.text).joined(separator: ",")): expected fractions of variance in (0, 1]")
    }
  }

  func run() throws {
    try reportingErrors {
      let memories = try memory.memorySizes()
      // One BLAS thread, as each study worker trains: the network is the study's seed and the
      // advice is the same whatever the environment's thread count.
      BLASThreads.set(1)
      let started = Date()
      let (config, title) = try sequence.resolved()
      let design = try NetworkReplayStudy.design(
        config: config, arms: .counts([0]), seeds: [sequence.seed],
        withinTaskOutputs: !sequence.allOutputs)
      let stream = design.stream
      let model: Model
      if let checkpoint {
        model = try design.architecture.build(input: stream.input, outputs: stream.outputCount)
        let file = try CheckpointFile.read(from: URL(fileURLWithPath: checkpoint))
        try model.load(from: file, file: checkpoint)
      } else {
        FileHandle.standardError.write(
          Data("training the previous task (seed \(sequence.seed))…\n".utf8))
        model = try ReplayStudy.trainEarlierTasks(design, seed: sequence.seed)
      }
      var rng = RandomStreams(seed: sequence.seed).stream("advice-samples")
      let last = stream.tasks.count - 1
      let advisor = ReplayAdvisor(
        model: model, stream: stream, previousTask: last - 1, nextTask: last, samples: samples,
        rng: &rng)
      let (advice, cannotHurt, dimensions) = try advisor.advise(
        memories: memories, energies: energies.values, targets: targets, draws: draws,
        seed: sequence.seed)
      FileHandle.standardError.write(
        Data(
          "previous task's principal dimensions at energies \(energies.values): \(dimensions)\n"
            .utf8))
      var agreement: Agreement?
      if let compare {
        agreement = try Self.agreement(
          advice, run: compare, store: sequence.storage.store ?? ResultsStore.defaultPath)
      }
      let result = Self.studyResult(
        advice, energies: energies.values, title: title, cannotHurt: cannotHurt)
      let id = try sequence.storage.insert(
        try NetworkReplayStudy.record(
          result, config: config,
          settings: [
            "memory": memories.map(String.init).joined(separator: ","),
            "samples": "\(samples)", "targets": "\(targets)", "draws": "\(draws)",
            "checkpoint": checkpoint ?? "trained here",
          ], seed: sequence.seed, started: started))
      if json {
        try printJSON(Output(advice: advice, cannotHurt: cannotHurt, agreement: agreement))
        return
      }
      print("\(title): replay advice from the linearised network")
      var table = TextTable([
        "memory", "ratio", "± SE", "prediction", "confidence",
        energies.values.map { ValueList.text($0) }.joined(separator: "/"),
      ])
      for a in advice {
        table.add([
          "m=\(a.memory)", String(format: "%.4f", a.ratio), String(format: "%.4f", a.standardError),
          a.direction, a.confidence,
          a.ratios.map { String(format: "%.3f", $0) }.joined(separator: " / "),
        ])
      }
      print(table.rendered)
      print(
        cannotHurt
          ? "‖P₂P₁‖ ≤ √2/2 on the principal subspaces: by Proposition 3.6 replay cannot raise the expected forgetting of the linearised model."
          : "‖P₂P₁‖ > √2/2: the linearised tasks are close enough that replay can raise forgetting."
      )
      if let agreement {
        print(
          "against run \(agreement.run): right on \(agreement.significantRight) of \(agreement.significant) significant m, \(agreement.allRight) of \(agreement.all) by the sign of the mean difference"
        )
      }
      if let id { print(sequence.storage.storedLine(id)) }
    }
  }

  /// The advice as a study curve: predicted forgetting ratio against m.
  static func studyResult(
    _ advice: [ReplayAdvisor.Advice], energies: [Double], title: String, cannotHurt: Bool
  ) -> StudyResult {
    let headline = ReplayAdvisor.headline(of: energies.count)
    var series: [StudySeries] = []
    for (e, energy) in energies.enumerated() {
      series.append(
        StudySeries(
          name: "energy \(energy)",
          points: advice.map { a in
            var p = StudyPoint(x: Double(a.memory), label: "m=\(a.memory)", values: [a.ratios[e]])
            if e == headline {
              p.ciLow = a.ratio - 1.96 * a.standardError
              p.ciHigh = a.ratio + 1.96 * a.standardError
              p.harmful = a.direction == "hurts"
              p.helpful = a.direction == "helps"
            }
            return p
          }))
    }
    series.swapAt(0, headline)
    return StudyResult(
      study: "advice", title: "\(title): predicted forgetting ratio (replay / none)",
      xLabel: "replayed samples m", yLabel: "predicted forgetting / no-replay forgetting",
      series: series,
      notes: [
        "Linearised at the last layer; tasks as principal feature subspaces (energy \(energies[headline]) headline; the others for robustness).",
        cannotHurt
          ? "Proposition 3.6 holds on the principal subspaces: replay cannot hurt the linearised model."
          : "Proposition 3.6 does not apply (‖P₂P₁‖ > √2/2).",
      ])
  }

  /// Compares advice with a stored count study.
  static func agreement(_ advice: [ReplayAdvisor.Advice], run: Int64, store path: String) throws
    -> Agreement
  {
    let record = try ResultsStore(path: path, create: false).record(id: run)
    guard let study = record.study, study.study == "count", let points = study.series.first?.points
    else {
      throw CommandError(
        message:
          "run \(run) is not a replay-study count run; engram runs list shows the stored studies")
    }
    var significant = 0
    var significantRight = 0
    var all = 0
    var allRight = 0
    for a in advice where a.memory > 0 {
      guard let p = points.first(where: { Int($0.x) == a.memory }), let d = p.difference else {
        continue
      }
      let predictedUp = a.ratio > 1
      all += 1
      if (d > 0) == predictedUp { allRight += 1 }
      if p.harmful || p.helpful {
        significant += 1
        if p.harmful == (a.direction == "hurts") && p.helpful == (a.direction == "helps") {
          significantRight += 1
        }
      }
    }
    return Agreement(
      run: run, significant: significant, significantRight: significantRight, all: all,
      allRight: allRight)
  }
}
