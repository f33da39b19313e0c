import ArgumentParser
import EngramTheory
import Foundation

/// `engram theory angles --spec FILE`: the geometry of two tasks.
struct TheoryAngles: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "angles",
    abstract: "Principal angles between two tasks of a spec (default: tasks 0 and 1).",
    discussion: """
      Reports the principal angles between the row spaces (the non-zero ones equal those \
      between the null spaces; Evron et al. Claim 19), the Friedrichs and Dixmier angles, \
      whether forgetting is zero for every w* (Evron et al. Theorem 6: all angles 0° or 90°) \
      and whether replay cannot increase the forgetting expected over w* ~ N(0, I) \
      (Mahdaviyeh et al. Proposition 3.6: every null-space angle ≥ 45°).
      """)

  @OptionGroup var input: SpecOptions

  @Option(help: "The two task indices, e.g. 0,1.")
  var pair: String = "0,1"

  @Flag(help: "Print one JSON object instead of a table.")
  var json = false

  @OptionGroup var common: TheoryCommonOptions

  struct Report: Encodable {
    let tasks: [Int]
    let radians: [Double]
    let degrees: [Double]
    let nullSpaceDegrees: [Double]
    let friedrichsDegrees: Double?
    let dixmierDegrees: Double?
    let nullProductNorm: Double
    let forgetsNothing: Bool
    let replayCannotHurtOnAverage: Bool

    func encode(to encoder: Encoder) throws {
      // Nil angles are written as null rather than left out, so the keys are always there.
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(tasks, forKey: .tasks)
      try c.encode(radians, forKey: .radians)
      try c.encode(degrees, forKey: .degrees)
      try c.encode(nullSpaceDegrees, forKey: .nullSpaceDegrees)
      try c.encode(friedrichsDegrees, forKey: .friedrichsDegrees)
      try c.encode(dixmierDegrees, forKey: .dixmierDegrees)
      try c.encode(nullProductNorm, forKey: .nullProductNorm)
      try c.encode(forgetsNothing, forKey: .forgetsNothing)
      try c.encode(replayCannotHurtOnAverage, forKey: .replayCannotHurtOnAverage)
    }

    enum CodingKeys: String, CodingKey {
      case tasks, radians, degrees, nullSpaceDegrees, friedrichsDegrees, dixmierDegrees
      case nullProductNorm, forgetsNothing, replayCannotHurtOnAverage
    }
  }

  func run() throws {
    try reportingErrors {
      common.apply()
      let (_, sequence) = try input.load()
      let indices = pair.split(separator: ",").compactMap {
        Int($0.trimmingCharacters(in: .whitespaces))
      }
      guard indices.count == 2, indices.allSatisfy({ $0 >= 0 && $0 < sequence.count }),
        indices[0] != indices[1]
      else {
        throw CommandError(
          message:
            "--pair must name two different tasks of the spec, e.g. 0,1 (the spec has \(sequence.count) task\(sequence.count == 1 ? "" : "s"))"
        )
      }
      let geometry = try TwoTaskGeometry(
        first: sequence.tasks[indices[0]], second: sequence.tasks[indices[1]])
      let toDegrees = { (x: Double) in x * 180 / .pi }
      let report = Report(
        tasks: indices, radians: geometry.rowSpaceAngles.radians,
        degrees: geometry.rowSpaceAngles.degrees,
        nullSpaceDegrees: geometry.nullSpaceAngles.degrees,
        friedrichsDegrees: geometry.rowSpaceAngles.friedrichs().map(toDegrees),
        dixmierDegrees: geometry.rowSpaceAngles.dixmier.map(toDegrees),
        nullProductNorm: geometry.nullProductNorm, forgetsNothing: geometry.forgetsNothing,
        replayCannotHurtOnAverage: geometry.replayCannotHurtOnAverage)
      if json { return try printJSON(report) }
      print("Principal angles between tasks \(indices[0]) and \(indices[1])")
      var table = TextTable(["#", "row spaces (deg)", "radians"])
      for (i, r) in report.radians.enumerated() {
        table.add(["\(i + 1)", formatted(report.degrees[i]), formatted(r)])
      }
      print(table.rendered)
      print("")
      print(
        "Null-space angles (deg): \(report.nullSpaceDegrees.map { formatted($0) }.joined(separator: ", "))"
      )
      print(
        "Friedrichs angle: \(formatted(report.friedrichsDegrees))°   Dixmier angle: \(formatted(report.dixmierDegrees))°"
      )
      print("‖P₂P₁‖ = \(formatted(report.nullProductNorm))")
      print(
        report.forgetsNothing
          ? "Every angle is 0° or 90°: no forgetting for any w* (Evron et al. Theorem 6)."
          : "Some angle lies strictly between 0° and 90°: some w* is forgotten (Evron et al. Theorem 6)."
      )
      print(
        report.replayCannotHurtOnAverage
          ? "Every null-space angle ≥ 45°: replay cannot raise forgetting averaged over w* ~ N(0, I) (Proposition 3.6)."
          : "Some null-space angle < 45°: replay may raise forgetting (Proposition 3.6 does not apply)."
      )
    }
  }
}
