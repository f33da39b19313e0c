import EngramTheory
import Foundation

extension RunRecord {
  /// The settings that define a theory sweep, as stored.
  struct TheorySettings: Encodable {
    let command = "theory sweep"
    let construction: String
    let parameters: [String: [Double]]
    let swept: String
    let values: [Double]
    let memory: Int
    let draws: Int
    let seed: UInt64
    let measure: String?
    let normalization: String?
  }

  /// A finished theory sweep as a run of kind `theory`; `parameters` are the construction's
  /// options as given (for the record).
  public static func theorySweep(
    _ points: [SweepPoint], sweep: TheorySweep, parameters: [String: [Double]], started: Date
  ) -> RunRecord {
    let settings = TheorySettings(
      construction: sweep.construction.name, parameters: parameters,
      swept: sweep.parameter.rawValue, values: sweep.values, memory: sweep.memory,
      draws: sweep.draws, seed: sweep.seed, measure: sweep.measure.map { "\($0)" },
      normalization: sweep.normalization.map { "\($0)" })
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let json = String(decoding: (try? encoder.encode(settings)) ?? Data("{}".utf8), as: UTF8.self)
    return RunRecord(
      kind: .theory, status: .complete, runKey: key(json), label: sweep.construction.name,
      seed: sweep.seed, config: json, startedAt: started, finishedAt: Date(),
      theory: points.map {
        TheoryPoint(
          parameterName: sweep.parameter.rawValue, parameter: $0.parameter,
          expectedForgetting: $0.withReplay.mean, standardError: $0.withReplay.standardError,
          noReplay: $0.noReplay, ratio: $0.ratio, harmful: $0.harmful, turn: $0.turn?.rawValue)
      })
  }
}
