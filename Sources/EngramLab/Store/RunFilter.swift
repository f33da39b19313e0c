import Foundation

/// `--where KEY=VALUE` filters of stored runs (`engram runs list`, the dashboard's run list):
/// a run column (id, status, kind, label, strategy, seed, sweep) or any configuration key,
/// compared as the key's type.
public struct RunFilter: Sendable {
  /// The conditions, all of which must hold.
  public let conditions: [(key: String, value: String)]

  /// Keys that name run columns rather than configuration keys.
  public static let columns = ["id", "status", "kind", "label", "strategy", "seed", "sweep"]

  /// Conditions from `KEY=VALUE` texts.
  /// - Throws: `ConfigError` for a text without `=` or an unknown key.
  public init(_ texts: [String]) throws {
    conditions = try texts.map { text in
      let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].isEmpty else {
        throw ConfigError.invalidValue(
          key: "--where", value: text, expected: "KEY=VALUE, e.g. strategy=replay")
      }
      let key = parts[0].replacingOccurrences(of: "-", with: "_")
      guard Self.columns.contains(key) || RunConfig.field(named: key) != nil else {
        throw ConfigError.unknownKey(
          key: key, file: "--where", line: nil, valid: Self.columns + RunConfig.keys)
      }
      return (key, parts[1])
    }
  }

  /// Whether `run` meets every condition.
  public func matches(_ run: RunSummary) -> Bool {
    conditions.allSatisfy { key, value in
      switch key {
      case "id": return "\(run.id)" == value
      case "status": return run.status.rawValue == value
      case "kind": return run.kind.rawValue == value
      case "label", "strategy": return run.label == value
      case "seed": return "\(run.seed)" == value
      case "sweep": return run.sweepID.map { "\($0)" } == value
      default:
        // Compare as the key's type: `lr=0.01` matches 0.010 and `memory=500` matches 500.
        // The value goes through a configuration too, so Float keys round the same way.
        var probe = RunConfig()
        guard run.kind == .network, let field = RunConfig.field(named: key),
          (try? probe.set(field.key, text: value)) != nil,
          let config = try? RunConfig(json: run.config, file: "run \(run.id)")
        else { return false }
        let wanted = probe.resolved.first { $0.0 == field.key }?.1
        return config.resolved.first { $0.0 == field.key }?.1 == wanted
      }
    }
  }
}
