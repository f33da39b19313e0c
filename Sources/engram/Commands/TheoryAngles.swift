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
    let friedrichsDegrees: Nullable<Double>
    let dixmierDegrees: Nullable<Double>
    let nullProductNorm: Double
    let forgetsNothing: Bool
    let replayCannotHurtOnAverage: Bool
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
        friedrichsDegrees: Nullable(geometry.rowSpaceAngles.friedrichs().map(toDegrees)),
        dixmierDegrees: Nullable(geometry.rowSpaceAngles.dixmier.map(toDegrees)),
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
        "Friedrichs angle: \(formatted(report.friedrichsDegrees.value))°   Dixmier angle: \(formatted(report.dixmierDegrees.value))°"
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
