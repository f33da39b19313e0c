/// Everything Engram needs to know about a continual-learning method, declared in the method's
/// own file: its command-line name, hyperparameters, roles, whether it needs a stream's stored
/// task data, and how to build it from settings.
///
/// `MethodRegistry.all` lists the descriptors; the CLI flags, YAML keys, `--help`, the JSON
/// config, the learner's allow-list and docs/strategies.md are generated from them, so adding
/// a method is one file (plus its test) and one line in the registry.
public struct MethodDescriptor: Sendable {
  /// The command-line name ("replay").
  public let name: String
  /// One line on what the method does, with its source.
  public let summary: String
  /// The hyperparameters it reads.
  public let parameters: [HyperparameterSpec]
  /// The parts of the training step it transforms (checked for conflicts before a run).
  public let roles: StrategyRoles
  /// Whether it reads a stream's stored task data (Fisher passes, exemplar selection,
  /// retraining), which an embedded learner fed batch by batch does not have.
  public let needsStoredData: Bool
  /// Whether its replay memory also stores each example's logits (sizes `memory_bytes`).
  public let storesLogits: Bool
  let build: (@Sendable (MethodSettings) throws -> any Strategy)?

  /// A descriptor; `build` nil for a method with nothing to build (naive) or one that is
  /// assembled in code only (study strategies).
  /// Whether the method reads class labels or softmax outputs (replay, distillation, Fisher):
  /// methods that do not also train regression streams (bit-flipping).
  public let usesLabels: Bool

  public init(
    name: String, summary: String, parameters: [HyperparameterSpec] = [],
    roles: StrategyRoles = [], needsStoredData: Bool = false, storesLogits: Bool = false,
    usesLabels: Bool = true,
    build: (@Sendable (MethodSettings) throws -> any Strategy)?
  ) {
    self.usesLabels = usesLabels
    self.name = name
    self.summary = summary
    self.parameters = parameters
    self.roles = roles
    self.needsStoredData = needsStoredData
    self.storesLogits = storesLogits
    self.build = build
  }

  /// Whether the method reads hyperparameter `key`.
  public func reads(_ key: String) -> Bool { parameters.contains { $0.key == key } }

  /// Plain fine-tuning: no strategy at all.
  public static let naive = MethodDescriptor(
    name: "naive", summary: "Fine-tuning on each task in turn, no remedy against forgetting",
    usesLabels: false, build: nil)
}

/// Hyperparameter values set explicitly (by YAML or flags); everything else takes the
/// reading method's default.
public struct MethodSettings: Sendable, Equatable {
  /// The values set, by key.
  public private(set) var values: [String: HyperparameterValue] = [:]

  /// No values set: every method's defaults.
  public init() {}

  /// The value of `parameter`: the one set, else the parameter's default.
  public subscript<Value>(_ parameter: Hyperparameter<Value>) -> Value {
    values[parameter.key].flatMap(parameter.decode) ?? parameter.fallback
  }

  /// Sets `key` (nil: back to the default). Values are checked by the caller against the
  /// registry's spec for the key.
  public mutating func set(_ key: String, _ value: HyperparameterValue?) {
    values[key] = value
  }
}

/// The method of a run: one descriptor, or several composed with `+` (e.g. `replay+ewc`);
/// empty is naive fine-tuning.
public struct StrategySelection: Sendable, Equatable, CustomStringConvertible {
  /// The methods in the order their hooks run.
  public let methods: [MethodDescriptor]

  /// The methods named in `text` ("naive", "replay", "replay+ewc").
  /// - Throws: `MethodSelectionError` for an unknown name, a repeated one, naive composed
  ///   with others, or two methods claiming the same role.
  public init(parsing text: String, registry: [MethodDescriptor] = MethodRegistry.all) throws {
    let names = text.split(separator: "+", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    var methods: [MethodDescriptor] = []
    for name in names {
      guard !name.isEmpty else { throw MethodSelectionError.empty(text) }
      if name == MethodDescriptor.naive.name {
        guard names.count == 1 else { throw MethodSelectionError.naiveComposed(text) }
        continue
      }
      guard let method = registry.first(where: { $0.name == name }) else {
        throw MethodSelectionError.unknown(name: name, known: registry.map(\.name))
      }
      guard !methods.contains(where: { $0.name == name }) else {
        throw MethodSelectionError.repeated(name)
      }
      if let other = methods.first(where: { !$0.roles.intersection(method.roles).isEmpty }) {
        throw MethodSelectionError.conflictingRoles(
          first: other.name, second: name,
          role: other.roles.intersection(method.roles).names.joined(separator: ", "))
      }
      methods.append(method)
    }
    self.methods = methods
  }

  /// Naive fine-tuning.
  public static let naive = StrategySelection(methods: [])

  private init(methods: [MethodDescriptor]) { self.methods = methods }

  public static func == (a: Self, b: Self) -> Bool {
    a.methods.map(\.name) == b.methods.map(\.name)
  }

  /// The names joined by `+` ("naive" when empty).
  public var description: String {
    methods.isEmpty ? MethodDescriptor.naive.name : methods.map(\.name).joined(separator: "+")
  }

  /// The roles of all methods together.
  public var roles: StrategyRoles { methods.reduce([]) { $0.union($1.roles) } }

  /// Whether any method reads hyperparameter `key`.
  public func reads(_ key: String) -> Bool { methods.contains { $0.reads(key) } }

  /// The strategies, built from `settings`.
  /// - Throws: a method's construction error.
  public func make(_ settings: MethodSettings) throws -> [any Strategy] {
    try methods.compactMap { try $0.build?(settings) }
  }
}

/// Why a `--strategy` value names no valid combination of methods.
public enum MethodSelectionError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A name no method has.
  case unknown(name: String, known: [String])
  /// An empty name (`--strategy ''`, `a+`).
  case empty(String)
  /// A method named twice.
  case repeated(String)
  /// naive composed with other methods.
  case naiveComposed(String)
  /// Two methods transforming the same part of the step.
  case conflictingRoles(first: String, second: String, role: String)

  public var description: String {
    switch self {
    case .unknown(let name, let known):
      return
        "'\(name)' is not a strategy; expected one of \(known.joined(separator: ", ")), or several joined by +"
    case .empty(let text):
      return "'\(text)' holds an empty strategy name; name one (naive for none)"
    case .repeated(let name): return "'\(name)' is named twice; name each strategy once"
    case .naiveComposed(let text):
      return "'\(text)': naive means no strategy and cannot be combined; drop naive"
    case .conflictingRoles(let first, let second, let role):
      return
        "\(first) and \(second) cannot be combined: both \(role); choose one of them"
    }
  }
}
