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
  /// One key given twice in one mapping (YAML would keep the last and drop the first without a
  /// word); `key` is the second spelling, `earlier` the first (they differ for `memory-size`
  /// and `memory_size`, or `data_dir` and `dataset`).
  case duplicateKey(key: String, earlier: String, file: String, line: Int?, firstLine: Int?)

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
    case .duplicateKey(let key, let earlier, let file, let line, let firstLine):
      let place = line.map { "\(file), line \($0)" } ?? file
      let first = firstLine.map { "line \($0)" } ?? "an earlier line"
      if key == earlier {
        return "\(place): key '\(key)' is given twice (first on \(first)); give each key once"
      }
      return
        "\(place): key '\(key)' sets the same setting as '\(earlier)' on \(first); give it once"
    }
  }
}
