import Foundation

extension RunConfig {
  /// Every key with its value as one JSON object (keys sorted, nulls for documented
  /// defaults) — the form kept in the results store, checkpoints and result files. It reads
  /// back with `RunConfig(json:)`.
  public var json: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    // Encoding ConfigValues cannot fail: they are strings, numbers, lists and plain structs.
    let data = (try? encoder.encode(ResolvedConfig(self))) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
  }

  /// The configuration a `json` string describes (JSON is YAML, so the same checks apply).
  /// - Throws: `ConfigError` naming `file`.
  public init(json: String, file: String) throws {
    self.init()
    // An empty YAML config means "all defaults"; a saved configuration is never empty.
    guard !json.allSatisfy(\.isWhitespace) else {
      throw ConfigError.unreadable(
        file: file, reason: "is empty; it should hold the run's settings as a JSON object")
    }
    try apply(yaml: json, file: file)
  }

  /// The run's identity: a hash of every setting except the thread count, which does not
  /// change what a run computes. Sweeps skip configurations whose key is already complete.
  public var runKey: String {
    var copy = self
    copy.threads = 1
    return FNV1a.hex(copy.json)
  }
}

/// The resolved configuration as a keyed JSON object.
public struct ResolvedConfig: Encodable {
  let entries: [(String, ConfigValue)]

  /// Every key of `config`.
  public init(_ config: RunConfig) {
    entries = config.resolved
  }

  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    for (key, value) in entries { try c.encode(value, forKey: Key(key)) }
  }
}

/// 64-bit FNV-1a, for short stable identities of text.
enum FNV1a {
  static func hex(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return String(hash, radix: 16).leftPadded(to: 16)
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
