import EngramLinalg
import EngramRandom

/// The parameter a theory sweep varies.
public enum SweepParameter: String, Sendable, CaseIterable, Codable {
  /// The number m of replayed samples.
  case memory
  /// The angle between the tasks, in degrees (`two-lines`, `hyperplanes`).
  case angle
  /// The number of tasks T (`worst-case`).
  case tasks
  /// ε (`three-d`, `subspace`).
  case epsilon

  /// The constructions whose sweeps can vary this parameter, by name; nil for every one.
  public var constructions: [String]? {
    switch self {
    case .memory: return nil
    case .angle: return ["two-lines", "hyperplanes"]
    case .tasks: return ["worst-case"]
    case .epsilon: return ["three-d", "subspace"]
    }
  }

  /// The parameters in the order messages list them: those of particular constructions
  /// first, then those every construction has.
  public static var listed: [SweepParameter] {
    allCases.filter { $0.constructions != nil } + allCases.filter { $0.constructions == nil }
  }
}

/// Forgetting against one parameter of a construction, with and without replay.
///
/// Random numbers follow fixed streams so that every point is reproducible on its own: the
/// tasks' Gaussian samples come from stream `.noise` (worker = index of the value for
/// non-memory sweeps, 0 otherwise) and the replay draws for memory m from `.replay` with
/// worker m. `engram theory expected` uses the same streams, so a sweep's row for m equals
/// the `expected` result for m with the same seed.
public struct TheorySweep: Sendable {
  /// The construction at its base parameters.
  public let construction: Construction
  /// What is varied.
  public let parameter: SweepParameter
  /// The values, in any order (results come sorted).
  public let values: [Double]
  /// Replayed samples for sweeps over something other than memory.
  public let memory: Int
  /// Monte Carlo draws per point.
  public let draws: Int
  /// The seed.
  public let seed: UInt64
  /// Measure and normalisation; nil means the construction's own.
  public let measure: ForgettingMeasure?
  /// Normalisation; nil means the construction's own.
  public let normalization: ForgettingNormalization?

  /// Describes a sweep.
  public init(
    construction: Construction, parameter: SweepParameter, values: [Double], memory: Int = 1,
    draws: Int = 1000, seed: UInt64 = 0, measure: ForgettingMeasure? = nil,
    normalization: ForgettingNormalization? = nil
  ) {
    self.construction = construction
    self.parameter = parameter
    self.values = values
    self.memory = memory
    self.draws = draws
    self.seed = seed
    self.measure = measure
    self.normalization = normalization
  }

  /// Runs the sweep; `progress` is called after each point with (done, total).
  /// - Throws: `TheoryError.parameterOutOfRange` for an empty list or a value the
  ///   construction rejects; `TheoryError.unsupportedSweep` for a parameter the
  ///   construction does not have (`SweepParameter.constructions`); `TheoryError.memoryTooLarge`.
  public func run(progress: (Int, Int) -> Void = { _, _ in }) throws -> [SweepPoint] {
    guard !values.isEmpty else {
      throw TheoryError.parameterOutOfRange(
        name: parameter.rawValue, value: "[]", allowed: "give at least one value")
    }
    let streams = RandomStreams(seed: seed)
    var points: [SweepPoint] = []
    if parameter == .memory {
      var noise = streams.stream(.noise)
      let experiment = try construction.instance(using: &noise)
        .experiment(measure: measure, normalization: normalization)
      let baseline = experiment.noReplayForgetting
      for (i, value) in values.enumerated() {
        let m = try integer(value, name: "memory")
        var replay = streams.stream(.replay, worker: m)
        let estimate = try experiment.expectedForgetting(memory: m, draws: draws, using: &replay)
        points.append(SweepPoint(parameter: value, withReplay: estimate, noReplay: baseline))
        progress(i + 1, values.count)
      }
    } else {
      for (i, value) in values.enumerated() {
        var noise = streams.stream(.noise, worker: i)
        let experiment = try varied(value).instance(using: &noise)
          .experiment(measure: measure, normalization: normalization)
        var replay = streams.stream(.replay, worker: memory)
        let estimate = try experiment.expectedForgetting(
          memory: memory, draws: draws, using: &replay)
        points.append(
          SweepPoint(
            parameter: value, withReplay: estimate, noReplay: experiment.noReplayForgetting))
        progress(i + 1, values.count)
      }
    }
    return SweepAnalysis.annotate(points)
  }

  /// The construction with the swept parameter set to `value`.
  func varied(_ value: Double) throws -> Construction {
    switch (parameter, construction) {
    case (.angle, .twoLines): return .twoLines(angleDegrees: value)
    case (.angle, .hyperplanes(let d, _, let n)):
      return .hyperplanes(dimension: d, angleDegrees: value, samples: n)
    case (.tasks, .worstCase(_, let d)):
      return .worstCase(tasks: try integer(value, name: "tasks"), dimension: d)
    case (.epsilon, .threeD(_, let n)): return .threeD(epsilon: value, samples: n)
    case (.epsilon, .subspace(let d, _, let n)):
      return .subspace(dimension: d, epsilon: value, samples: n)
    default:
      throw TheoryError.unsupportedSweep(parameter: parameter, construction: construction.name)
    }
  }

  private func integer(_ value: Double, name: String) throws -> Int {
    guard value.isFinite, value == value.rounded(), value >= 0 else {
      throw TheoryError.parameterOutOfRange(
        name: name, value: "\(value)", allowed: "must be a whole number ≥ 0")
    }
    return Int(value)
  }
}
