import EngramContinual
import EngramIO
import EngramSpelling

/// Errors in experiment configurations; each names the key and what it accepts.
public enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A key that is not part of the configuration.
  case unknownKey(key: String, file: String?, line: Int?, valid: [String])
  /// A value of the wrong type or outside its allowed set.
  case invalidValue(key: String, value: String, expected: String)
  /// A file that is not YAML or cannot be read.
  case unreadable(file: String, reason: String)
  /// A `--strategy` value that names no valid combination of methods.
  case invalidMethods(key: String, value: String, reason: MethodSelectionError)
  /// Two settings that cannot go together.
  case conflict(key: String, value: String, with: String, fix: String)

  /// What went wrong and what to do about it.
  public var description: String {
    switch self {
    case .unknownKey(let key, let file, let line, let valid):
      let place = [file, line.map { "line \($0)" }].compactMap { $0 }.joined(separator: ", ")
      let hint = nearest(to: key, in: valid).map { " (did you mean '\($0)'?)" } ?? ""
      return
        "\(place.isEmpty ? "" : "\(place): ")unknown key '\(abbreviated(key))'\(hint); valid keys: \(valid.joined(separator: ", "))"
    case .invalidValue(let key, let value, let expected):
      return "\(key) = \(abbreviated(value)) is not valid: expected \(expected)"
    case .unreadable(let file, let reason):
      return "\(file): \(reason)"
    case .invalidMethods(let key, let value, let reason):
      return "\(key) = \(abbreviated(value)) is not valid: \(reason)"
    case .conflict(let key, let value, let other, let fix):
      return "\(key) = \(value) cannot be used with \(other): \(fix)"
    }
  }
}
