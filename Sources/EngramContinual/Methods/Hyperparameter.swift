/// A hyperparameter's value as it arrives from a configuration, before it is typed.
public enum HyperparameterValue: Sendable, Hashable, Codable, CustomStringConvertible {
  case int(Int)
  case double(Double)
  case bool(Bool)
  case string(String)

  public var description: String {
    switch self {
    case .int(let v): return "\(v)"
    case .double(let v): return "\(v)"
    case .bool(let v): return "\(v)"
    case .string(let v): return v
    }
  }
}

/// The values a hyperparameter accepts.
public enum HyperparameterKind: Sendable, Equatable {
  /// Whole numbers in a range.
  case int(ClosedRange<Int>)
  /// Finite numbers in a range.
  case double(ClosedRange<Double>)
  /// true or false.
  case bool
  /// One of a fixed set of names.
  case choice([String])

  /// Whether `value` has this kind and lies in its range.
  public func accepts(_ value: HyperparameterValue) -> Bool {
    switch (self, value) {
    case (.int(let range), .int(let v)): return range.contains(v)
    case (.double(let range), .double(let v)): return v.isFinite && range.contains(v)
    case (.bool, .bool): return true
    case (.choice(let names), .string(let v)): return names.contains(v)
    default: return false
    }
  }
}

/// What a method declares about one hyperparameter: the schema the CLI, YAML, help, JSON and
/// docs are generated from.
public struct HyperparameterSpec: Sendable, Equatable {
  /// The snake_case key (`--kebab-case` on the command line).
  public let key: String
  /// Accepted values.
  public let kind: HyperparameterKind
  /// The default (nil: derived from other settings, as `defaultText` says).
  public let defaultValue: HyperparameterValue?
  /// The default as the docs show it ("500", "the batch size").
  public let defaultText: String
  /// One line of documentation.
  public let doc: String
}

/// A typed hyperparameter: its spec and how to read its value from `MethodSettings`.
///
/// Methods declare these as static constants next to their code and read them with
/// `settings[parameter]`, so a key is spelt once and its value arrives typed.
public struct Hyperparameter<Value: Sendable>: Sendable {
  /// The schema entry.
  public let spec: HyperparameterSpec
  let decode: @Sendable (HyperparameterValue) -> Value?
  let fallback: Value

  /// The key.
  public var key: String { spec.key }
}

extension Hyperparameter where Value == Int {
  /// A whole-number hyperparameter.
  public init(_ key: String, default value: Int, in range: ClosedRange<Int>, _ doc: String) {
    spec = HyperparameterSpec(
      key: key, kind: .int(range), defaultValue: .int(value), defaultText: "\(value)", doc: doc)
    decode = { if case .int(let v) = $0 { v } else { nil } }
    fallback = value
  }
}

extension Hyperparameter where Value == Int? {
  /// A whole-number hyperparameter whose default is derived (`derived` says from what).
  public init(_ key: String, derived: String, in range: ClosedRange<Int>, _ doc: String) {
    spec = HyperparameterSpec(
      key: key, kind: .int(range), defaultValue: nil, defaultText: derived, doc: doc)
    decode = { if case .int(let v) = $0 { v } else { nil } }
    fallback = nil
  }
}

extension Hyperparameter where Value == Float {
  /// A real-valued hyperparameter used in single precision.
  public init(_ key: String, default value: Float, in range: ClosedRange<Double>, _ doc: String) {
    spec = HyperparameterSpec(
      key: key, kind: .double(range), defaultValue: .double(Double(value)),
      defaultText: "\(value)", doc: doc)
    decode = { if case .double(let v) = $0 { Float(v) } else { nil } }
    fallback = value
  }
}

extension Hyperparameter where Value == Double {
  /// A real-valued hyperparameter.
  public init(_ key: String, default value: Double, in range: ClosedRange<Double>, _ doc: String)
  {
    spec = HyperparameterSpec(
      key: key, kind: .double(range), defaultValue: .double(value), defaultText: "\(value)",
      doc: doc)
    decode = { if case .double(let v) = $0 { v } else { nil } }
    fallback = value
  }
}

extension Hyperparameter where Value == Bool {
  /// A switch.
  public init(_ key: String, default value: Bool, _ doc: String) {
    spec = HyperparameterSpec(
      key: key, kind: .bool, defaultValue: .bool(value), defaultText: "\(value)", doc: doc)
    decode = { if case .bool(let v) = $0 { v } else { nil } }
    fallback = value
  }
}

extension Hyperparameter where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
  /// A choice among an enumeration's cases, by their raw names.
  public init(_ key: String, default value: Value, _ doc: String) {
    spec = HyperparameterSpec(
      key: key, kind: .choice(Value.allCases.map(\.rawValue)),
      defaultValue: .string(value.rawValue), defaultText: value.rawValue, doc: doc)
    decode = { if case .string(let v) = $0 { Value(rawValue: v) } else { nil } }
    fallback = value
  }
}

/// Hyperparameters several replay methods share; each method picks its own default size.
public enum ReplayHyperparameters {
  /// Examples the replay memory holds.
  public static func memory(default value: Int) -> Hyperparameter<Int> {
    Hyperparameter("memory", default: value, in: 1...10_000_000, "Replay memory in examples")
  }
  /// Replayed rows per step.
  public static let replayBatch = Hyperparameter<Int?>(
    "replay_batch", derived: "the batch size", in: 1...1_000_000, "Replayed examples per step")
  /// Examples kept per task by the gradient-episodic methods.
  public static func memoryPerTask(default value: Int) -> Hyperparameter<Int> {
    Hyperparameter(
      "memory_per_task", default: value, in: 1...10_000_000, "GEM / A-GEM examples per task")
  }
}
