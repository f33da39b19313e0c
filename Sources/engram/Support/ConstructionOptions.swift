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

  @Option(parsing: .unconditional, help: "ε in (0, 1) (\(defaultsHelp("epsilon"))).")
  var epsilon: ValueList?

  @Option(parsing: .unconditional, help: "Ambient dimension d (\(defaultsHelp("dimension"))).")
  var dimension: ValueList?

  @Option(parsing: .unconditional, help: "Number of tasks T (\(defaultsHelp("tasks"))).")
  var tasks: ValueList?

  @Option(parsing: .unconditional, help: "Angle between the tasks in degrees (\(defaultsHelp("angle"))).")
  var angle: ValueList?

  @Option(parsing: .unconditional, help: "Training samples per task (\(defaultsHelp("samples"))).")
  var samples: ValueList?

  @Option(parsing: .unconditional, help: "Iterations k, even (\(defaultsHelp("iterations"))).")
  var iterations: ValueList?

  /// A construction's parameters by option name, in the order help lists them.
  static func options(of construction: Construction) -> [(name: String, value: Double)] {
    switch construction {
    case .worstCase(let t, let d): return [("tasks", Double(t)), ("dimension", Double(d))]
    case .threeD(let e, let n): return [("epsilon", e), ("samples", Double(n))]
    case .subspace(let d, let e, let n):
      return [("dimension", Double(d)), ("epsilon", e), ("samples", Double(n))]
    case .twoLines(let a): return [("angle", a)]
    case .hyperplanes(let d, let a, let n):
      return [("dimension", Double(d)), ("angle", a), ("samples", Double(n))]
    case .evronIdentity(let e): return [("epsilon", e)]
    case .evronCyclic(let k): return [("iterations", Double(k))]
    }
  }

  /// The parameters each construction takes.
  static let parameters: [String: Set<String>] = Dictionary(
    uniqueKeysWithValues: Construction.standards.map { ($0.name, Set(options(of: $0).map(\.name))) }
  )

  /// "three-d: 0.2, subspace: 0.4": the library's default of option `name` in each construction
  /// that has it.
  static func defaultsHelp(_ name: String) -> String {
    Construction.standards.compactMap { construction in
      options(of: construction).first { $0.name == name }.map {
        "\(construction.name): \($0.value == $0.value.rounded() ? "\(Int($0.value))" : "\($0.value)")"
      }
    }.joined(separator: ", ")
  }

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

  /// The construction with single values (the first of each list) or the library's defaults.
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
    // Omitted options take the library's defaults (Construction.standard(named:)).
    switch try Construction.standard(named: construction ?? "") {
    case .worstCase(let t, let d):
      return .worstCase(tasks: try whole("tasks", t), dimension: try whole("dimension", d))
    case .threeD(let e, let n):
      return .threeD(epsilon: real("epsilon", e), samples: try whole("samples", n))
    case .subspace(let d, let e, let n):
      return .subspace(
        dimension: try whole("dimension", d), epsilon: real("epsilon", e),
        samples: try whole("samples", n))
    case .twoLines(let a):
      return .twoLines(angleDegrees: real("angle", a))
    case .hyperplanes(let d, let a, let n):
      return .hyperplanes(
        dimension: try whole("dimension", d), angleDegrees: real("angle", a),
        samples: try whole("samples", n))
    case .evronIdentity(let e):
      return .evronIdentity(epsilon: real("epsilon", e))
    case .evronCyclic(let k):
      return .evronCyclic(iterations: try whole("iterations", k))
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
  @Option(parsing: .unconditional, help: "Monte Carlo draws (memories averaged) per value.")
  var draws: Int = 1000

  @Option(help: "expected-test or training-samples (default: the construction's).")
  var measure: ForgettingMeasure?

  @Option(help: "m25 or e22 (default: the construction's).")
  var normalization: ForgettingNormalization?

  func validate() throws {
    try FlagCheck.whole("--draws", draws, in: 1...100_000_000)
  }
}
