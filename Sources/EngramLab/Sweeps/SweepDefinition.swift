import EngramIO
import Foundation
import Yams

/// A study: configurations × seeds, read from a sweep file.
///
/// ```yaml
/// name: replay-vs-ewc        # optional; default: the file's name
/// base:                      # settings every run shares (or `config: base.yaml`)
///   epochs: 1
///   scenario: class
/// grid:                      # every combination of these
///   strategy: [naive, replay, ewc]
///   lr: [0.01, 0.05]
/// list:                      # and/or explicit variants (each combined with the grid)
///   - {strategy: replay, memory: 100}
///   - {strategy: replay, memory: 1000}
/// seeds: 3                   # or a list: [0, 1, 2]
/// ```
/// Runs are ordered variant by variant, then grid point by grid point, then seed by seed.
public struct SweepDefinition: Sendable {
  /// The study's name.
  public let name: String
  /// Every run, in order.
  public let runs: [RunConfig]
  /// The keys that vary between configurations (seed excluded), in file order.
  public let varying: [String]
  /// The file's content as JSON (what the store keeps).
  public let json: String

  /// Top-level keys of a sweep file.
  public static let keys = ["name", "base", "config", "grid", "list", "seeds"]

  /// Reads a sweep file.
  /// - Throws: `ConfigError` naming the file, line and key for unknown keys, wrong types,
  ///   empty grids or lists, or more runs than `limit`.
  public static func load(_ url: URL, limit: Int = 100_000) throws -> SweepDefinition {
    let text: String
    do {
      text = try InputFile.text(url.path, limit: YAMLLimits.maximumBytes, what: "a sweep file")
    } catch let error as InputFileError {
      throw ConfigError.unreadable(file: url.path, reason: error.reason)
    }
    return try parse(
      text, file: url.lastPathComponent, folder: url.deletingLastPathComponent(), limit: limit)
  }

  /// Reads sweep text; `folder` resolves a relative `config:` path.
  /// - Throws: as `load`.
  public static func parse(
    _ text: String, file: String, folder: URL, limit: Int = 100_000
  ) throws -> SweepDefinition {
    let root: Node?
    try YAMLLimits.check(text, file: file)
    do {
      root = try Yams.compose(yaml: text)
    } catch {
      throw ConfigError.unreadable(file: file, reason: "is not valid YAML (\(error))")
    }
    guard case .mapping(let mapping)? = root else {
      throw ConfigError.unreadable(
        file: file, reason: "must be a mapping with grid:, list:, base: and seeds:")
    }
    try YAMLKeys.requireUnique(mapping, file: file)
    var name = (file as NSString).deletingPathExtension
    var base = RunConfig()
    var grid: [(key: String, values: [Node], line: Int)] = []
    var variants: [Node] = []
    var seeds: [UInt64] = [0]
    var baseNode: Node? = nil
    for (keyNode, value) in mapping {
      let key = keyNode.string ?? ""
      let line = keyNode.mark?.line ?? 0
      switch key {
      case "name":
        guard let v = value.string, !v.isEmpty else {
          throw ConfigError.invalidValue(
            key: "name (\(file), line \(line))", value: "\(value)", expected: "text")
        }
        name = v
      case "config":
        guard let path = value.string else {
          throw ConfigError.invalidValue(
            key: "config (\(file), line \(line))", value: "\(value)",
            expected: "the path of a run config (YAML)")
        }
        base = try RunConfig.load(URL(fileURLWithPath: path, relativeTo: folder))
      case "base":
        baseNode = value
      case "grid":
        guard case .mapping(let entries) = value, !entries.isEmpty else {
          throw ConfigError.invalidValue(
            key: "grid (\(file), line \(line))", value: "an empty grid",
            expected: "a mapping of keys to lists of values, e.g. strategy: [naive, replay]")
        }
        try YAMLKeys.requireUnique(entries, file: file) { RunConfig.field(named: $0)?.key ?? $0 }
        for (gridKey, list) in entries {
          let keyName = gridKey.string ?? ""
          guard let field = RunConfig.field(named: keyName) else {
            throw ConfigError.unknownKey(
              key: keyName, file: file, line: gridKey.mark?.line, valid: RunConfig.keys)
          }
          guard field.key != "seed" else {
            throw ConfigError.invalidValue(
              key: "grid.seed (\(file), line \(gridKey.mark?.line ?? 0))", value: "a seed grid",
              expected: "seeds under the top-level seeds: key")
          }
          guard case .sequence(let items) = list, !items.isEmpty else {
            throw ConfigError.invalidValue(
              key: "grid.\(field.key) (\(file), line \(gridKey.mark?.line ?? 0))",
              value: list.sequence?.isEmpty == true
                ? "an empty list" : "\(list.string ?? "a mapping")",
              expected: "a non-empty list of values, e.g. [0.01, 0.1]")
          }
          // A value listed twice would run the same configurations twice.
          var seen = Set<String>()
          for item in items {
            let value = try RunConfig.value(
              of: item, kind: field.kind,
              key: "\(field.key) (\(file), line \(item.mark?.line ?? gridKey.mark?.line ?? 0))")
            guard seen.insert(value.text).inserted else {
              throw ConfigError.invalidValue(
                key: "grid.\(field.key) (\(file), line \(item.mark?.line ?? 0))",
                value: "\(value.text) twice", expected: "each value once")
            }
          }
          grid.append((field.key, Array(items), gridKey.mark?.line ?? 0))
        }
      case "list":
        guard case .sequence(let items) = value, !items.isEmpty else {
          throw ConfigError.invalidValue(
            key: "list (\(file), line \(line))", value: "an empty list",
            expected: "a list of settings mappings, e.g. - {strategy: replay, memory: 100}")
        }
        variants = Array(items)
      case "seeds":
        if let count = YAMLScalar.int(value) {
          guard (1...10_000).contains(count) else {
            throw ConfigError.invalidValue(
              key: "seeds (\(file), line \(line))", value: "\(count)",
              expected: "a number of seeds in 1…10000, or a list of seeds")
          }
          seeds = (0..<count).map(UInt64.init)
        } else if case .sequence(let items) = value, !items.isEmpty,
          items.allSatisfy({ (YAMLScalar.int($0) ?? -1) >= 0 })
        {
          seeds = items.compactMap(YAMLScalar.int).map(UInt64.init)
          var distinct = Set<UInt64>()
          if let repeated = seeds.first(where: { !distinct.insert($0).inserted }) {
            throw ConfigError.invalidValue(
              key: "seeds (\(file), line \(line))", value: "\(repeated) twice",
              expected: "each seed once")
          }
        } else {
          throw ConfigError.invalidValue(
            key: "seeds (\(file), line \(line))", value: value.string ?? "a list",
            expected: "a number of seeds (3 → 0, 1, 2) or a non-empty list of seeds")
        }
      default:
        throw ConfigError.unknownKey(key: key, file: file, line: line, valid: keys)
      }
    }
    // `base:` applies over `config:` wherever the two appear in the file.
    if let baseNode { try base.apply(node: baseNode, file: file) }
    try requireGridOnly(grid, notIn: variants, file: file)
    let total = CheckedSize.product(
      [max(variants.count, 1), seeds.count] + grid.map { Optional($0.values.count) })
    guard let total, total <= limit else {
      throw ConfigError.invalidValue(
        key: "sweep \(file)", value: total.map { "\($0) runs" } ?? "more runs than can be counted",
        expected: "at most \(limit) runs; split the study or shrink the grid")
    }
    var runs: [RunConfig] = []
    var varying: [String] = []
    // Two list entries that resolve to the same settings (`{}` next to `{momentum: 0.9}`, the
    // default) would run everything twice under two names.
    var variantRuns: [String: Int] = [:]
    for (number, variant) in (variants.isEmpty ? [nil] : variants.map(Optional.some)).enumerated() {
      var withVariant = base
      if let variant {
        try withVariant.apply(node: variant, file: file)
        if let earlier = variantRuns.updateValue(number, forKey: withVariant.runKey) {
          throw ConfigError.invalidValue(
            key: "list (\(file), line \(variant.mark?.line ?? 0))",
            value: "entries \(earlier + 1) and \(number + 1) give the same settings",
            expected: "each run once; remove one of them or make them differ")
        }
        if case .mapping(let m) = variant {
          for key in m.keys.compactMap(\.string) {
            let k = RunConfig.field(named: key)?.key ?? key
            if !varying.contains(k) { varying.append(k) }
          }
        }
      }
      var points = [withVariant]
      for (key, values, _) in grid {
        if !varying.contains(key) { varying.append(key) }
        var next: [RunConfig] = []
        for point in points {
          for value in values {
            var config = point
            try config.apply(key: Node(key), value: value, file: file)
            next.append(config)
          }
        }
        points = next
      }
      for point in points {
        // A long stream's protocol defaults become each run's settings here, before the
        // settings are written for the workers (which read every key as set).
        let resolved = try point.withProtocolDefaults()
        for seed in seeds {
          var config = resolved
          config.seed = seed
          runs.append(config)
        }
      }
    }
    for (i, run) in runs.enumerated() {
      do {
        try run.validate()
      } catch let error as ConfigError {
        throw ConfigError.invalidValue(
          key: "run \(i) of \(file)", value: run.strategy.description, expected: "\(error)")
      }
    }
    return SweepDefinition(
      name: name, runs: runs, varying: varying,
      json: "{\"name\":\(jsonString(name)),\"text\":\(jsonString(text))}")
  }

  /// A key both in the grid and in a `list:` variant would be set by the variant and then
  /// silently replaced by every grid value; it belongs in one of the two.
  /// - Throws: `ConfigError.duplicateKey` naming the variant's line and the grid's.
  private static func requireGridOnly(
    _ grid: [(key: String, values: [Node], line: Int)], notIn variants: [Node], file: String
  ) throws {
    for case .mapping(let variant) in variants {
      for keyNode in variant.keys {
        guard let key = keyNode.string, let field = RunConfig.field(named: key),
          let entry = grid.first(where: { $0.key == field.key })
        else { continue }
        throw ConfigError.duplicateKey(
          key: key, earlier: "grid.\(entry.key)", file: file, line: keyNode.mark?.line,
          firstLine: entry.line)
      }
    }
  }

  /// A sweep built in code (e.g. `engram demo`'s studies).
  public init(name: String, runs: [RunConfig], varying: [String]) {
    self.init(
      name: name, runs: runs, varying: varying,
      json: "{\"name\":\(jsonString(name)),\"runs\":\(runs.count),\"built_in\":true}")
  }

  init(name: String, runs: [RunConfig], varying: [String], json: String) {
    self.name = name
    self.runs = runs
    self.varying = varying
    self.json = json
  }
}

/// `text` as a JSON string literal.
func jsonString(_ text: String) -> String {
  String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
}
