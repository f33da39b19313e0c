import EngramIO
import EngramLinalg
import EngramRandom

/// The task sequences from the papers, as built-ins with their parameters.
///
/// Each builds a `ConstructionInstance`: the tasks, the order, where replay goes and where it
/// comes from, the measure and normalisation the paper uses, and the closed-form values where
/// the paper (or reference/replay-theory.md) gives them. The standard basis plays the role of
/// the papers' orthonormal basis v₁…v_d; forgetting does not depend on that choice. w\* is
/// scaled so that a = 1 (a is the component of w\* that the construction forgets), so values
/// for another w\* are these times a².
///
/// Every parameter has a default — the papers' values where a figure or theorem uses one —
/// so `.threeD()` is Figure 1a's task pair and `Construction.standard(named:)` gives each
/// construction by name at its defaults (what `engram theory` uses for omitted options).
public enum Construction: Sendable, Equatable {
  /// Mahdaviyeh et al. Theorem 3.2 (appendix C.1): T tasks in R^d (d ≥ 3) whose forgetting
  /// is 3/(28(T−1)) without replay and 3/14 when x₂ is replayed in the last task. Defaults:
  /// the smallest instance, T = 2, d = 3.
  case worstCase(tasks: Int = 2, dimension: Int = 3)
  /// Mahdaviyeh et al. Theorem C.1: d = 3, task 1 = span{v₁, εv₂ + √(1−ε²)v₃}, task 2 =
  /// span{v₃}, `samples` Gaussian samples per task; one random replay sample raises expected
  /// forgetting by the factor 1/(2ε). Defaults: Figure 1a, ε = 0.2, n = 10.
  case threeD(epsilon: Double = 0.2, samples: Int = 10)
  /// Mahdaviyeh et al. Theorem 3.5 / Figure 1b: task 1 of dimension d−1 spanning
  /// {εv₂ + √(1−ε²)v_d, v₁, v₃, …, v_{d−1}}, task 2 = span{v_d}. Defaults: Figure 1b,
  /// d = 50, ε = 0.4, n = 100.
  case subspace(dimension: Int = 50, epsilon: Double = 0.4, samples: Int = 100)
  /// Evron et al.'s two rank-1 tasks in R²: x₁ = (1, 0), x₂ = (cos θ, sin θ), w\* = (0, 1).
  /// Default: θ = 45°, where forgetting without replay, cos²θ·sin²θ, peaks.
  case twoLines(angleDegrees: Double = 45)
  /// Mahdaviyeh et al. Figure 9: two (d−1)-dimensional tasks in R^d whose one-dimensional null
  /// spaces meet at angle θ; `samples` Gaussian samples per task. Defaults: d = 10, θ = 45°
  /// (the peak of Figure 9's arch), n = 100.
  case hyperplanes(dimension: Int = 10, angleDegrees: Double = 45, samples: Int = 100)
  /// Evron et al. Theorem 7: rank-1 tasks in R² in the identity order whose forgetting
  /// (E22 normalisation) exceeds 1 − ε. Default: ε = 0.1.
  case evronIdentity(epsilon: Double = 0.1)
  /// Evron et al. Theorem 10: two tasks at sin²θ = 1/k, cycled for k iterations, attaining the
  /// worst case ½(1 − 1/k)^{k−1}/k (E22 normalisation). Default: k = 8.
  case evronCyclic(iterations: Int = 8)

  /// Command-line names of the constructions, in the order help lists them.
  public static let names = standards.map(\.name)

  /// Every construction at its defaults, in the order of `names`.
  public static let standards: [Construction] = [
    .worstCase(), .threeD(), .subspace(), .twoLines(), .hyperplanes(), .evronIdentity(),
    .evronCyclic(),
  ]

  /// The construction called `name`, at its defaults.
  /// - Throws: `TheoryError.unknownConstruction` (with a did-you-mean) for another name.
  public static func standard(named name: String) throws -> Construction {
    guard let found = standards.first(where: { $0.name == name }) else {
      throw TheoryError.unknownConstruction(name: name, valid: names)
    }
    return found
  }

  /// Refuses a construction whose d × d projections or samples × d data would not fit in
  /// memory, before any is built.
  /// - Throws: `MemoryLimitError`.
  public func checkSize() throws {
    let (d, rows): (Int, Int)
    switch self {
    case .worstCase(let tasks, let dimension): (d, rows) = (dimension, tasks)
    case .subspace(let dimension, _, let samples), .hyperplanes(let dimension, _, let samples):
      (d, rows) = (dimension, samples)
    case .threeD(_, let samples): (d, rows) = (3, samples)
    case .evronCyclic(let iterations): (d, rows) = (2, iterations)
    case .twoLines, .evronIdentity: return
    }
    try MemoryLimit.check(
      count: CheckedSize.sum([CheckedSize.product(d, d, 4), CheckedSize.product(rows, d, 2)]),
      bytesEach: 8, for: "the \(name) construction of dimension \(d)")
    // Each task or sample is a least-squares step: more than a million is hours, not a study.
    guard rows <= TaskOrder.maximumLength else {
      throw TheoryError.parameterOutOfRange(
        name: "tasks or samples", value: "\(rows)", allowed: "at most \(TaskOrder.maximumLength)")
    }
  }

  /// The command-line name.
  public var name: String {
    switch self {
    case .worstCase: return "worst-case"
    case .threeD: return "three-d"
    case .subspace: return "subspace"
    case .twoLines: return "two-lines"
    case .hyperplanes: return "hyperplanes"
    case .evronIdentity: return "evron-identity"
    case .evronCyclic: return "evron-cyclic"
    }
  }

  /// Builds the tasks; Gaussian samples (if any) come from `stream`.
  /// - Throws: `TheoryError.parameterOutOfRange` naming the parameter and its allowed range.
  public func instance(using stream: inout RandomStream) throws -> ConstructionInstance {
    try checkSize()
    switch self {
    case .worstCase(let tasks, let dimension):
      return try WorstCaseConstruction(tasks: tasks, dimension: dimension).instance()
    case .threeD(let epsilon, let samples):
      return try SubspaceConstruction(dimension: 3, epsilon: epsilon, samples: samples)
        .instance(name: name, using: &stream)
    case .subspace(let dimension, let epsilon, let samples):
      return try SubspaceConstruction(dimension: dimension, epsilon: epsilon, samples: samples)
        .instance(name: name, using: &stream)
    case .twoLines(let angle):
      return try TwoLinesConstruction(angleDegrees: angle).instance()
    case .hyperplanes(let dimension, let angle, let samples):
      return try HyperplanesConstruction(
        dimension: dimension, angleDegrees: angle, samples: samples
      )
      .instance(using: &stream)
    case .evronIdentity(let epsilon):
      return try EvronIdentityConstruction(epsilon: epsilon).instance()
    case .evronCyclic(let iterations):
      return try EvronCyclicConstruction(iterations: iterations).instance()
    }
  }
}

/// A built construction: everything needed to compute its forgetting with and without replay.
public struct ConstructionInstance: Sendable {
  /// The construction's command-line name.
  public let name: String
  /// The tasks and w\*.
  public let sequence: TaskSequence
  /// How each task's samples were made (explicit rows, or a subspace and a sample count).
  public let sources: [TaskSource]
  /// The training order.
  public let order: [Int]
  /// The task that receives replay.
  public let replayTask: Int
  /// Where replayed samples come from.
  public let pool: ReplayPool
  /// The task the pool belongs to.
  public let poolTask: Int
  /// The measure the paper states its values in.
  public let measure: ForgettingMeasure
  /// The normalisation the paper states its values in.
  public let normalization: ForgettingNormalization
  /// Exact forgetting without replay, where known in closed form.
  public let closedFormNoReplay: Double?
  /// Exact expected forgetting with m replayed samples, where known in closed form.
  public let closedFormReplay: [Int: Double]

  /// The replay experiment of this instance.
  /// - Throws: as `ReplayExperiment.init`.
  public func experiment(
    measure: ForgettingMeasure? = nil, normalization: ForgettingNormalization? = nil
  ) throws -> ReplayExperiment {
    try ReplayExperiment(
      sequence: sequence, order: order, replayTask: replayTask, pool: pool, poolTask: poolTask,
      measure: measure ?? self.measure, normalization: normalization ?? self.normalization)
  }
}

/// Checks 0 < ε < 1.
func requireOpenUnitInterval(_ value: Double, name: String) throws {
  guard value > 0, value < 1, value.isFinite else {
    throw TheoryError.parameterOutOfRange(
      name: name, value: "\(value)", allowed: "must lie strictly between 0 and 1")
  }
}

/// Checks an integer lower bound.
func requireAtLeast(_ value: Int, _ minimum: Int, name: String, why: String = "") throws {
  guard value >= minimum else {
    throw TheoryError.parameterOutOfRange(
      name: name, value: "\(value)",
      allowed: "must be at least \(minimum)\(why.isEmpty ? "" : " (\(why))")")
  }
}

/// Checks an angle in degrees.
func requireAngle(_ degrees: Double) throws {
  guard degrees.isFinite, degrees >= 0, degrees <= 90 else {
    throw TheoryError.parameterOutOfRange(
      name: "angle", value: "\(degrees)", allowed: "must lie in [0, 90] degrees")
  }
}

/// The unit vector e_i in R^d.
func unitVector(_ i: Int, _ d: Int) -> [Double] {
  var v = [Double](repeating: 0, count: d)
  v[i] = 1
  return v
}

/// Samples every source in order from one stream.
func sampleAll(_ sources: [TaskSource], using stream: inout RandomStream) throws -> [Matrix<Double>]
{
  var tasks: [Matrix<Double>] = []
  for source in sources { tasks.append(try source.sample(using: &stream)) }
  return tasks
}
