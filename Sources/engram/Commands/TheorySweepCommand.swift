import ArgumentParser
import EngramLab
import EngramTheory
import Foundation

/// `engram theory sweep`: forgetting against m, the angle, T or ε.
struct TheorySweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Forgetting with and without replay across memory sizes, angles, task counts or ε.",
    discussion: """
      The swept parameter is the one given as a list (1,2,5) or range (A:B or A:B:STEP, \
      inclusive): --memory for any construction, --angle for two-lines/hyperplanes, --tasks for \
      worst-case, --epsilon for three-d/subspace. A row is harmful when replay raises forgetting \
      above the no-replay value by more than 1.96 standard errors; peak/valley mark where the \
      curve turns (steps smaller than 2 standard errors are not counted).
      --json prints an array of {"memory": m, "expected_forgetting", "ratio", "stderr", \
      "harmful", "no_replay", "turn"} (the first key is the swept parameter's name).
      """)

  @OptionGroup var shape: ConstructionOptions

  @Option(parsing: .unconditional, help: "Replayed samples: one value, a list, or A:B[:STEP].")
  var memory: ValueList?

  @Option(parsing: .unconditional, help: "Seed for task samples and replay draws.")
  var seed: UInt64 = 0

  @OptionGroup var expectation: ExpectationOptions

  @Flag(help: "Print a JSON array.")
  var json = false

  @Flag(help: "Print CSV.")
  var csv = false

  @OptionGroup var common: TheoryCommonOptions

  @OptionGroup var storage: StoreOptions

  struct Row: Encodable {
    let parameterName: String
    let parameter: Double
    let point: SweepPoint

    func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: DynamicKey.self)
      if parameterName == "memory" || parameterName == "tasks" {
        try c.encode(Int(parameter), forKey: DynamicKey(parameterName))
      } else {
        try c.encode(parameter, forKey: DynamicKey(parameterName))
      }
      try c.encode(point.withReplay.mean, forKey: DynamicKey("expected_forgetting"))
      try c.encode(point.ratio, forKey: DynamicKey("ratio"))
      try c.encode(point.withReplay.standardError, forKey: DynamicKey("stderr"))
      try c.encode(point.harmful, forKey: DynamicKey("harmful"))
      try c.encode(point.noReplay, forKey: DynamicKey("no_replay"))
      try c.encode(point.turn?.rawValue, forKey: DynamicKey("turn"))
    }
  }

  func validate() throws {
    try FlagCheck.seed(seed)
  }

  func run() throws {
    try reportingErrors {
      common.apply()
      guard !(json && csv) else { throw CommandError(message: "choose one of --json and --csv") }
      try shape.validateNames()
      let lists = shape.given.filter { $0.value.isList }
      if lists.count > 1 || (lists.count == 1 && memory?.isList == true) {
        let names = (lists.keys.sorted() + (memory?.isList == true ? ["memory"] : [])).map {
          "--\($0)"
        }
        throw CommandError(
          message:
            "sweep one parameter at a time; \(names.joined(separator: " and ")) are all lists")
      }
      let parameter: SweepParameter
      let values: [Double]
      var fixedMemory = 1
      if let (name, list) = lists.first {
        guard let swept = SweepParameter(rawValue: name) else {
          throw CommandError(
            message: "--\(name) cannot be swept; sweep --memory, --angle, --tasks or --epsilon")
        }
        parameter = swept
        values = list.values
        if let m = memory?.values.first { fixedMemory = Int(m) }
      } else {
        parameter = .memory
        values = memory?.values ?? [0, 1]
      }
      let sweep = TheorySweep(
        construction: try shape.build(), parameter: parameter, values: values, memory: fixedMemory,
        draws: expectation.draws, seed: seed, measure: expectation.measure,
        normalization: expectation.normalization)
      let progress = ProgressReporter(label: "sweep", quiet: values.count < 2)
      let started = Date()
      let points = try sweep.run(progress: progress.update)
      if let id = try storage.insert(
        RunRecord.theorySweep(
          points, sweep: sweep, parameters: shape.given.mapValues(\.values), started: started)),
        !json && !csv
      {
        FileHandle.standardError.write(Data("stored as run \(id) in \(storage.path ?? "")\n".utf8))
      }
      let rows = points.map {
        Row(parameterName: parameter.rawValue, parameter: $0.parameter, point: $0)
      }
      if json { return try printJSON(rows) }
      if csv {
        print("\(parameter.rawValue),expected_forgetting,stderr,no_replay,ratio,harmful,turn")
        for p in points {
          print(
            [
              "\(p.parameter)", "\(p.withReplay.mean)", "\(p.withReplay.standardError)",
              "\(p.noReplay)",
              p.ratio.map { "\($0)" } ?? "", "\(p.harmful)", p.turn?.rawValue ?? "",
            ].joined(separator: ","))
        }
        return
      }
      print(
        SweepTable.render(
          points, parameter: parameter, memory: fixedMemory, draws: expectation.draws, seed: seed,
          construction: sweep.construction.name))
    }
  }
}

/// The human-readable sweep table, shared with `theory demo`.
enum SweepTable {
  static func render(
    _ points: [SweepPoint], parameter: SweepParameter, memory: Int, draws: Int, seed: UInt64,
    construction: String
  ) -> String {
    var lines: [String] = []
    let fixed = parameter == .memory ? "" : ", m = \(memory)"
    lines.append(
      "\(construction): forgetting against \(parameter.rawValue)\(fixed) (\(draws) draws per point, seed \(seed))"
    )
    var table = TextTable([
      parameter.rawValue, "with replay", "± stderr", "no replay", "ratio", "", "",
    ])
    for p in points {
      let value =
        parameter == .memory || parameter == .tasks ? "\(Int(p.parameter))" : formatted(p.parameter)
      table.add([
        value, formatted(p.withReplay.mean),
        p.withReplay.standardError > 0 ? formatted(p.withReplay.standardError, digits: 2) : "exact",
        formatted(p.noReplay), formatted(p.ratio, digits: 4), p.harmful ? "HARMFUL" : "",
        p.turn?.rawValue ?? "",
      ])
    }
    lines.append(table.rendered)
    let harmful = points.filter(\.harmful).map { formatted($0.parameter) }
    lines.append("")
    lines.append(
      harmful.isEmpty
        ? "Replay never significantly increases forgetting on this grid."
        : "Replay increases forgetting at \(parameter.rawValue) = \(harmful.joined(separator: ", "))."
    )
    if SweepAnalysis.isNonMonotonic(points) {
      let turns = points.compactMap { p in
        p.turn.map { "\($0.rawValue) at \(formatted(p.parameter))" }
      }
      lines.append(
        "Forgetting is non-monotonic in \(parameter.rawValue): \(turns.joined(separator: ", ")).")
    } else {
      lines.append("Forgetting is monotonic in \(parameter.rawValue) on this grid (within noise).")
    }
    return lines.joined(separator: "\n")
  }
}
