import EngramContinual
import EngramIO
import EngramNN
import EngramSpelling
/// A configuration value after parsing, before it is checked against its field.
public enum ConfigValue: Sendable, Equatable, Encodable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case ints([Int])
  case doubles([Double])
  case groups([[Int]])
  case tasks([CustomTaskConfig])

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .null: try c.encodeNil()
    case .bool(let v): try c.encode(v)
    case .int(let v): try c.encode(v)
    case .double(let v): try c.encode(v)
    case .string(let v): try c.encode(v)
    case .ints(let v): try c.encode(v)
    case .doubles(let v): try c.encode(v)
    case .groups(let v): try c.encode(v)
    case .tasks(let v): try c.encode(v)
    }
  }

  /// The value as command-line or YAML text.
  public var text: String {
    switch self {
    case .null: return "null"
    case .bool(let v): return "\(v)"
    case .int(let v): return "\(v)"
    case .double(let v): return "\(v)"
    case .string(let v): return v
    case .ints(let v): return v.map(String.init).joined(separator: ",")
    case .doubles(let v): return v.map { "\($0)" }.joined(separator: ",")
    case .groups(let v):
      return v.map { $0.map(String.init).joined(separator: ",") }.joined(separator: ";")
    case .tasks(let v):
      return v.map(\.text).joined(separator: "; ")
    }
  }
}

/// The type a configuration field accepts.
public enum ConfigKind: Sendable, Equatable {
  case bool
  case int(ClosedRange<Int>)
  case double(ClosedRange<Double>)
  case string
  case choice([String])
  /// Method names from `MethodRegistry`, one or several joined by `+`.
  case methods
  /// A network architecture (`Architecture(parsing:)`).
  case architecture
  /// A hidden activation (`Activation.Kind(parsing:)`).
  case activation
  case ints
  case doubles
  case groups
  case tasks

  /// How the type reads in messages.
  public var expected: String {
    switch self {
    case .bool: return "true or false"
    case .int(let r): return "a whole number in \(r.lowerBound)…\(r.upperBound)"
    case .double(let r): return "a number in \(r.lowerBound)…\(r.upperBound)"
    case .string: return "text"
    case .choice(let values): return "one of \(values.joined(separator: ", "))"
    case .methods:
      return "one of \(MethodRegistry.names.joined(separator: ", ")), or several joined by +"
    case .architecture: return "mlp:W1,W2,… (e.g. mlp:400,400), linear, cnn or cnn:C1,C2,H"
    case .activation: return "relu, elephant or elephant:WIDTH,STEEPNESS,HEIGHT"
    case .ints: return "a list of whole numbers (e.g. 0,1,2)"
    case .doubles: return "a list of numbers (e.g. 0,45,90)"
    case .groups: return "class groups (e.g. 0,1;2,3 or [[0,1],[2,3]])"
    case .tasks: return "a YAML list of tasks, each {dataset, classes, rotation, permute}"
    }
  }

  /// Parses command-line text.
  /// - Throws: `ConfigError.invalidValue` naming `key`.
  public func parse(_ text: String, key: String) throws -> ConfigValue {
    let fail = ConfigError.invalidValue(key: key, value: text, expected: expected)
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    // "none" is a value of some choices (preprocess: none) before it is a null.
    if case .choice(let values) = self, values.contains(trimmed) { return .string(trimmed) }
    if trimmed == "null" || trimmed == "none" { return .null }
    switch self {
    case .bool:
      switch trimmed.lowercased() {
      case "true", "yes", "1": return .bool(true)
      case "false", "no", "0": return .bool(false)
      default: throw fail
      }
    case .int:
      guard let v = Int(trimmed) else { throw fail }
      return try check(.int(v), key: key, text: text)
    case .double:
      guard let v = DecimalText.double(trimmed), v.isFinite else { throw fail }
      return try check(.double(v), key: key, text: text)
    case .string: return try check(.string(trimmed), key: key, text: text)
    case .choice(let values):
      guard values.contains(trimmed) else { throw fail }
      return .string(trimmed)
    case .methods, .architecture, .activation:
      return try check(.string(trimmed), key: key, text: text)
    case .ints:
      let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
      guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { throw fail }
      return .ints(parts.compactMap { $0 })
    case .doubles:
      let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false).map {
        DecimalText.double($0.trimmingCharacters(in: .whitespaces))
      }
      guard !parts.isEmpty, parts.allSatisfy({ $0?.isFinite == true }) else { throw fail }
      return .doubles(parts.compactMap { $0 })
    case .tasks:
      throw ConfigError.invalidValue(
        key: key, value: text,
        expected: "custom tasks are given in a YAML config (--config FILE), as a list")
    case .groups:
      // Empty parts (`0,1;;2`, `0,,1`) are refused, not dropped: they are typos.
      let groups = trimmed.split(separator: ";", omittingEmptySubsequences: false).map { group in
        group.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
      }
      guard !groups.isEmpty, groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 != nil } })
      else { throw fail }
      return .groups(groups.map { $0.compactMap { $0 } })
    }
  }

  /// Checks a value of the right shape against the field's range.
  /// - Throws: `ConfigError.invalidValue`.
  public func check(_ value: ConfigValue, key: String, text: String? = nil) throws -> ConfigValue {
    let fail = ConfigError.invalidValue(key: key, value: text ?? value.text, expected: expected)
    switch (self, value) {
    case (_, .null): return value
    case (.string, .string(let v)):
      guard !v.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail }
      return value
    case (.bool, .bool), (.ints, .ints), (.doubles, .doubles),
      (.groups, .groups), (.tasks, .tasks):
      return value
    case (.int(let range), .int(let v)):
      guard range.contains(v) else { throw fail }
      return value
    case (.double(let range), .double(let v)):
      guard range.contains(v) else { throw fail }
      return value
    case (.double(let range), .int(let v)):
      guard range.contains(Double(v)) else { throw fail }
      return .double(Double(v))
    case (.choice(let values), .string(let v)):
      guard values.contains(v) else { throw fail }
      return value
    case (.activation, .string(let v)):
      do {
        return .string(try Activation.Kind(parsing: v).name)
      } catch {
        throw ConfigError.invalidValue(key: key, value: v, expected: "\(error)")
      }
    case (.architecture, .string(let v)):
      do {
        return .string(try Architecture(parsing: v).description)
      } catch {
        throw ConfigError.invalidValue(key: key, value: v, expected: "\(error)")
      }
    case (.methods, .string(let v)):
      do {
        return .string(try StrategySelection(parsing: v).description)
      } catch MethodSelectionError.unknown(let name, let known) {
        let hint = nearest(to: name, in: known).map { " (did you mean '\($0)'?)" } ?? ""
        throw ConfigError.invalidValue(key: key, value: name + hint, expected: expected)
      } catch let error as MethodSelectionError {
        throw ConfigError.invalidMethods(key: key, value: v, reason: error)
      }
    case (.doubles, .ints(let v)): return .doubles(v.map(Double.init))
    case (.ints, .int(let v)): return .ints([v])
    case (.doubles, .int(let v)): return .doubles([Double(v)])
    case (.doubles, .double(let v)): return .doubles([v])
    default: throw fail
    }
  }
}

/// One task of a custom stream, as configured.
public struct CustomTaskConfig: Sendable, Equatable, Encodable {
  /// fashion-mnist, an IDX folder or a CSV file (nil: the run's `dataset`).
  public var dataset: String?
  /// Classes to keep (nil: all).
  public var classes: [Int]?
  /// Rotation in degrees (nil: none).
  public var rotation: Double?
  /// Apply a random pixel permutation.
  public var permute: Bool

  /// The task as one line of text, e.g. `fashion-mnist classes=0,1 rotation=90 permute`.
  public var text: String {
    var parts = [dataset ?? "dataset"]
    if let classes { parts.append("classes=" + classes.map(String.init).joined(separator: ",")) }
    if let rotation { parts.append("rotation=\(rotation)") }
    if permute { parts.append("permute") }
    return parts.joined(separator: " ")
  }

  /// A custom task.
  public init(
    dataset: String? = nil, classes: [Int]? = nil, rotation: Double? = nil, permute: Bool = false
  ) {
    self.dataset = dataset
    self.classes = classes
    self.rotation = rotation
    self.permute = permute
  }
}
