import ArgumentParser
import EngramLinalg
import EngramRandom
import EngramTheory
import Foundation

/// `engram theory demo`: a guided tour of when replay increases forgetting.
struct TheoryDemo: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "A tour: the worst case, the d = 3 and d = 50 average cases, a replay-count sweep.")

  @Option(parsing: .unconditional, help: "Monte Carlo draws per point.")
  var draws: Int = 1000

  @Option(parsing: .unconditional, help: "Seed.")
  var seed: UInt64 = 0

  @OptionGroup var common: TheoryCommonOptions

  func validate() throws {
    try FlagCheck.whole("--draws", draws, in: 1...100_000_000)
    try FlagCheck.seed(seed)
  }

  func run() throws {
    try reportingErrors {
      common.apply()
      print(try TheoryTour(draws: draws, seed: seed).render().text)
    }
  }
}

/// The text of the theory tour (also part of `engram demo`).
struct TheoryTour {
  let draws: Int
  let seed: UInt64

  /// The tour's text, and its d = 50 sweep (for the results store and reports).
  func render() throws -> (
    text: String, sweep: TheorySweep, points: [SweepPoint], started: Date
  ) {
    var out: [String] = []
    out.append("REPLAY CAN PROVABLY INCREASE FORGETTING — exact continual linear regression")
    out.append(
      "(Mahdaviyeh et al., CoLLAs 2025). Each task is trained to convergence; forgetting is")
    out.append("the loss on earlier tasks at the end. w* is scaled so that a = 1.")
    out.append("")
    out.append(
      "1. Worst case (Theorem 3.2): replaying ONE sample turns vanishing forgetting into Θ(1).")
    var worst = TextTable(["tasks T", "no replay", "3/(28(T−1))", "replay x₂", "3/14"])
    var stream = RandomStreams(seed: seed).stream(.noise)
    for t in [2, 5, 10, 50] {
      let instance = try Construction.worstCase(tasks: t, dimension: 3).instance(using: &stream)
      let experiment = try instance.experiment()
      let replayed = try experiment.forgetting(replayingPoolRows: [0])
      worst.add([
        "\(t)", formatted(experiment.noReplayForgetting), formatted(instance.closedFormNoReplay),
        formatted(replayed), formatted(instance.closedFormReplay[1]),
      ])
    }
    out.append(worst.rendered)
    out.append("")

    out.append("2. Average case, d = 3 (Theorem C.1, ε = 0.2): one random replay sample multiplies")
    out.append("   expected forgetting by 1/(2ε) = 2.5; two samples span task 1 and remove it.")
    let threeD = try expectedTable(.threeD(epsilon: 0.2, samples: 10), memories: [0, 1, 2])
    out.append(threeD)
    out.append("")

    out.append(
      "3. Average case, d = 50 (Theorem 3.5 / Figure 1b, ε = 0.4): expected forgetting against m.")
    let started = Date()
    let sweep = TheorySweep(
      construction: .subspace(dimension: 50, epsilon: 0.4, samples: 100), parameter: .memory,
      values: stride(from: 0, through: 50, by: 5).map(Double.init), draws: draws, seed: seed)
    let points = try sweep.run()
    let seconds = Date().timeIntervalSince(started)
    out.append(
      SweepTable.render(
        points, parameter: .memory, memory: 0, draws: draws, seed: seed,
        construction: "subspace d = 50"))
    out.append(String(format: "(%d memories in %.2f s)", points.count * draws, seconds))
    out.append("")
    out.append(
      "4. When replay cannot hurt: if every angle between the tasks' null spaces is at least")
    out.append("   45°, no replay set raises forgetting averaged over w* (Proposition 3.6). Try")
    out.append("   'engram theory angles --spec FILE' on your own tasks, and 'engram theory sweep")
    out.append("   --construction hyperplanes --angle 0:90:10' for the arch peaking at 45°.")
    return (out.joined(separator: "\n"), sweep, points, started)
  }

  private func expectedTable(_ construction: Construction, memories: [Int]) throws -> String {
    let streams = RandomStreams(seed: seed)
    var noise = streams.stream(.noise)
    let instance = try construction.instance(using: &noise)
    let experiment = try instance.experiment()
    var table = TextTable(["memory m", "expected forgetting", "± stderr", "closed form", "ratio"])
    let baseline = experiment.noReplayForgetting
    for m in memories {
      var replay = streams.stream(.replay, worker: m)
      let estimate = try experiment.expectedForgetting(memory: m, draws: draws, using: &replay)
      let closed = m == 0 ? instance.closedFormNoReplay : instance.closedFormReplay[m]
      table.add([
        "\(m)", formatted(estimate.mean),
        estimate.standardError > 0 ? formatted(estimate.standardError, digits: 2) : "exact",
        formatted(closed), formatted(baseline > 0 ? estimate.mean / baseline : nil, digits: 4),
      ])
    }
    return table.rendered
  }
}
