import ArgumentParser
import EngramData
import EngramTheory

/// The options that pick a built-in construction and its parameters.
///
/// Numeric parameters accept lists and ranges so that `theory sweep` can vary one of them;
/// commands that need single values reject lists. A parameter the construction does not have
/// is an error, not silently ignored.
struct ConstructionOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The construction: \(Construction.names.joined(separator: ", ")).",
      discussion: """
        worst-case (Theorem 3.2: --tasks, --dimension), three-d (Theorem C.1: --epsilon, \
        --samples), subspace (Theorem 3.5 / Figure 1b: --dimension, --epsilon, --samples), \
        two-lines (Evron's two rank-1 tasks in R²: --angle), hyperplanes (Figure 9: \
        --dimension, --angle, --samples), evron-identity (Evron Theorem 7: --epsilon), \
        evron-cyclic (Evron Theorem 10: --iterations). w* is scaled so that a = 1.
        """))
  var construction: String?

  @Option(help: "ε in (0, 1) (three-d: 0.2, subspace: 0.4, evron-identity: 0.1).")
  var epsilon: ValueList?

  @Option(help: "Ambient dimension d (worst-case: 3, subspace: 50, hyperplanes: 10).")
  var dimension: ValueList?

  @Option(help: "Number of tasks T (worst-case: 2).")
  var tasks: ValueList?

  @Option(help: "Angle between the tasks in degrees (two-lines, hyperplanes: 45).")
  var angle: ValueList?

  @Option(help: "Training samples per task (three-d: 10, subspace: 100, hyperplanes: 100).")
  var samples: ValueList?

  @Option(help: "Iterations k, even (evron-cyclic: 8).")
  var iterations: ValueList?

  /// The parameters each construction takes.
  static let parameters: [String: Set<String>] = [
    "worst-case": ["tasks", "dimension"],
    "three-d": ["epsilon", "samples"],
    "subspace": ["dimension", "epsilon", "samples"],
    "two-lines": ["angle"],
    "hyperplanes": ["dimension", "angle", "samples"],
    "evron-identity": ["epsilon"],
    "evron-cyclic": ["iterations"],
  ]

  /// The options that were given, by name.
  var given: [String: ValueList] {
    var result: [String: ValueList] = [:]
    result["epsilon"] = epsilon
    result["dimension"] = dimension
    result["tasks"] = tasks
    result["angle"] = angle
    result["samples"] = samples
    result["iterations"] = iterations
    return result
  }

  /// Checks the name and that every given parameter belongs to the construction.
  func validateNames() throws {
    guard let construction else {
      throw CommandError(
        message:
          "--construction is required; choose one of \(Construction.names.joined(separator: ", "))")
    }
    guard let allowed = Self.parameters[construction] else {
      throw TheoryError.unknownConstruction(name: construction, valid: Construction.names)
    }
    for name in given.keys.sorted() where !allowed.contains(name) {
      let list = allowed.sorted().map { "--\($0)" }.joined(separator: ", ")
      throw TheoryError.unsupportedParameter(
        name: "--\(name)", context: "the \(construction) construction",
        hint: allowed.isEmpty ? "it takes no parameters" : "it takes \(list)")
    }
  }

  /// The construction with single values (the first of each list) or defaults.
  func build(overriding name: String? = nil, with value: Double? = nil) throws -> Construction {
    try validateNames()
    func real(_ key: String, _ fallback: Double) -> Double {
      if key == name, let value { return value }
      return given[key]?.values.first ?? fallback
    }
    func whole(_ key: String, _ fallback: Int) throws -> Int {
      let x = real(key, Double(fallback))
      guard x == x.rounded(), abs(x) < 1e9 else {
        throw TheoryError.parameterOutOfRange(
          name: key, value: "\(x)", allowed: "must be a whole number")
      }
      return Int(x)
    }
    switch construction ?? "" {
    case "worst-case":
      return .worstCase(tasks: try whole("tasks", 2), dimension: try whole("dimension", 3))
    case "three-d":
      return .threeD(epsilon: real("epsilon", 0.2), samples: try whole("samples", 10))
    case "subspace":
      return .subspace(
        dimension: try whole("dimension", 50), epsilon: real("epsilon", 0.4),
        samples: try whole("samples", 100))
    case "two-lines":
      return .twoLines(angleDegrees: real("angle", 45))
    case "hyperplanes":
      return .hyperplanes(
        dimension: try whole("dimension", 10), angleDegrees: real("angle", 45),
        samples: try whole("samples", 100))
    case "evron-identity":
      return .evronIdentity(epsilon: real("epsilon", 0.1))
    default:
      return .evronCyclic(iterations: try whole("iterations", 8))
    }
  }

  /// Rejects lists where single values are needed.
  func requireSingleValues() throws {
    if let (name, _) = given.first(where: { $0.value.isList }) {
      throw CommandError(
        message: "--\(name) takes one value here; use 'engram theory sweep' to vary it")
    }
  }
}

extension ForgettingNormalization: ExpressibleByArgument {}
extension ForgettingMeasure: ExpressibleByArgument {}
extension ReplayPolicy: ExpressibleByArgument {}
extension Preprocessing: ExpressibleByArgument {}

/// How an expectation over replay draws is computed and reported.
struct ExpectationOptions: ParsableArguments {
  @Option(help: "Monte Carlo draws (memories averaged) per value.")
  var draws: Int = 1000

  @Option(help: "expected-test or training-samples (default: the construction's).")
  var measure: ForgettingMeasure?

  @Option(help: "m25 or e22 (default: the construction's).")
  var normalization: ForgettingNormalization?
}
