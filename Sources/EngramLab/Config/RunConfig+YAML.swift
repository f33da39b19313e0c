import EngramIO
import Foundation
import Yams

extension RunConfig {
  /// Reads a YAML configuration file over the defaults.
  /// - Throws: `ConfigError.unreadable` for a missing file or bad YAML; `.unknownKey` (with
  ///   the line and the nearest valid key), `.duplicateKey` (a setting given twice) and
  ///   `.invalidValue` (naming the key and the expected type) for bad entries.
  public static func load(_ url: URL) throws -> RunConfig {
    var config = RunConfig()
    try config.apply(contentsOf: url)
    return config
  }

  /// Applies a YAML config file on top of this configuration (e.g. on top of a protocol's
  /// defaults).
  /// - Throws: as `load(_:)`.
  public mutating func apply(contentsOf url: URL) throws {
    let text: String
    do {
      text = try InputFile.text(url.path, limit: YAMLLimits.maximumBytes, what: "a YAML config")
    } catch let error as InputFileError {
      throw ConfigError.unreadable(file: url.path, reason: error.reason)
    }
    try apply(yaml: text, file: url.lastPathComponent)
  }

  /// Applies YAML text (a mapping of keys to values) on top of this configuration.
  /// - Throws: as `load(_:)`.
  public mutating func apply(yaml text: String, file: String) throws {
    let root: Node?
    try YAMLLimits.check(text, file: file)
    do {
      root = try Yams.compose(yaml: text)
    } catch {
      throw ConfigError.unreadable(file: file, reason: "is not valid YAML (\(error))")
    }
    // An empty file and a `---`-only document (a null node) both mean "the defaults".
    guard let root, !YAMLScalar.isNull(root) else { return }
    try apply(node: root, file: file)
  }

  /// Applies a YAML mapping node of keys to values (a config file, or part of a sweep file).
  /// - Throws: `ConfigError` naming the file, line and key.
  mutating func apply(node: Node, file: String) throws {
    guard case .mapping(let mapping) = node else {
      throw ConfigError.unreadable(
        file: file,
        reason:
          "line \(node.mark?.line ?? 0): must be a mapping of keys to values (key: value per line)")
    }
    try YAMLKeys.requireUnique(mapping, file: file) { Self.field(named: $0)?.key ?? $0 }
    for (keyNode, valueNode) in mapping {
      try apply(key: keyNode, value: valueNode, file: file)
    }
  }

  /// Sets one key from YAML nodes.
  /// - Throws: `ConfigError` naming the file, line and key.
  mutating func apply(key keyNode: Node, value valueNode: Node, file: String) throws {
    guard let key = keyNode.string else {
      throw ConfigError.unreadable(
        file: file, reason: "line \(keyNode.mark?.line ?? 0): keys must be text")
    }
    let line = keyNode.mark?.line
    guard let field = Self.field(named: key) else {
      throw ConfigError.unknownKey(key: key, file: file, line: line, valid: Self.keys)
    }
    let place = "\(field.key) (\(file), line \(valueNode.mark?.line ?? line ?? 0))"
    try set(
      field.key, try Self.value(of: valueNode, kind: field.kind, key: place), file: file,
      line: line)
  }

  /// Converts a YAML node to a value of the field's kind.
  static func value(of node: Node, kind: ConfigKind, key: String) throws -> ConfigValue {
    if YAMLScalar.isNull(node) { return .null }
    let fail = ConfigError.invalidValue(
      key: key, value: Self.describe(node), expected: kind.expected)
    switch kind {
    case .bool:
      guard let v = node.bool else { throw fail }
      return .bool(v)
    case .int:
      guard let v = YAMLScalar.int(node) else { throw fail }
      return try kind.check(.int(v), key: key)
    case .double:
      guard let v = YAMLScalar.double(node) else { throw fail }
      return try kind.check(.double(v), key: key)
    case .string, .choice, .methods, .architecture, .activation:
      guard case .scalar = node, let v = node.string else { throw fail }
      return try kind.check(.string(v), key: key)
    case .ints:
      if case .sequence(let items) = node {
        let values = items.map(YAMLScalar.int)
        guard values.allSatisfy({ $0 != nil }) else { throw fail }
        return .ints(values.compactMap { $0 })
      }
      guard let text = node.string else { throw fail }
      return try kind.parse(text, key: key)
    case .doubles:
      if case .sequence(let items) = node {
        let values = items.map(YAMLScalar.double)
        guard values.allSatisfy({ $0 != nil }) else { throw fail }
        return .doubles(values.compactMap { $0 })
      }
      guard let text = node.string else { throw fail }
      return try kind.parse(text, key: key)
    case .groups:
      if case .sequence(let groups) = node {
        var result: [[Int]] = []
        for group in groups {
          guard case .sequence(let items) = group, !items.isEmpty,
            items.allSatisfy({ YAMLScalar.int($0) != nil })
          else { throw fail }
          result.append(items.compactMap(YAMLScalar.int))
        }
        return .groups(result)
      }
      guard let text = node.string else { throw fail }
      return try kind.parse(text, key: key)
    case .tasks:
      guard case .sequence(let items) = node, !items.isEmpty else { throw fail }
      return .tasks(try items.enumerated().map { try customTask($1, index: $0, key: key) })
    }
  }

  /// One entry of `custom_tasks`: a mapping with `dataset` (default: the run's) and the
  /// optional `classes`, `rotation`, `permute`.
  private static func customTask(_ node: Node, index: Int, key: String) throws -> CustomTaskConfig {
    let place = "\(key), task \(index)"
    guard case .mapping(let mapping) = node else {
      throw ConfigError.invalidValue(
        key: place, value: describe(node),
        expected: "a mapping such as {dataset: fashion-mnist, classes: [0, 1]}")
    }
    try YAMLKeys.requireUnique(mapping, file: place)
    var task = CustomTaskConfig()
    for (keyNode, value) in mapping {
      let name = keyNode.string ?? ""
      let fieldPlace = "\(place) \(name)"
      switch name {
      case "dataset":
        guard case .scalar = value, let v = value.string else {
          throw ConfigError.invalidValue(
            key: fieldPlace, value: describe(value), expected: ConfigKind.string.expected)
        }
        task.dataset = v
      case "classes":
        guard case .ints(let v) = try Self.value(of: value, kind: .ints, key: fieldPlace) else {
          throw ConfigError.invalidValue(
            key: fieldPlace, value: describe(value), expected: ConfigKind.ints.expected)
        }
        task.classes = v
      case "rotation":
        guard let v = YAMLScalar.double(value), v.isFinite else {
          throw ConfigError.invalidValue(
            key: fieldPlace, value: describe(value), expected: "an angle in degrees")
        }
        task.rotation = v
      case "permute":
        guard let v = value.bool else {
          throw ConfigError.invalidValue(
            key: fieldPlace, value: describe(value), expected: ConfigKind.bool.expected)
        }
        task.permute = v
      default:
        throw ConfigError.unknownKey(
          key: name, file: place, line: keyNode.mark?.line,
          valid: ["dataset", "classes", "rotation", "permute"])
      }
    }
    return task
  }

  private static func describe(_ node: Node) -> String {
    switch node {
    case .scalar(let s): return "'\(s.string)'"
    case .sequence: return "a list"
    case .mapping: return "a mapping"
    }
  }
}
