import Yams

/// The one check every YAML mapping Engram reads goes through before its keys are used.
///
/// A YAML mapping that gives a key twice composes without complaint, and whichever pair is
/// applied last wins: `lr: 0.1` on line 3 would silently lose to `lr: 0.5` on line 30. Every
/// reader of a mapping (run configs, `config.json`, custom tasks, and a sweep's top level,
/// `base:`, `grid:` and `list:` entries) calls ``requireUnique(_:file:canonical:)`` first.
enum YAMLKeys {
  /// Throws when two keys of `mapping` are equal after `canonical` (which maps each spelling of
  /// a key to the setting it names: `memory-size` and `memory_size` are one setting). Keys that
  /// are not text are left to the caller's own checks.
  /// - Throws: `ConfigError.duplicateKey` naming the file, both lines and both spellings.
  static func requireUnique(
    _ mapping: Node.Mapping, file: String, canonical: (String) -> String = { $0 }
  ) throws {
    var seen: [String: (spelling: String, line: Int?)] = [:]
    for keyNode in mapping.keys {
      guard let key = keyNode.string else { continue }
      let name = canonical(key)
      if let earlier = seen[name] {
        throw ConfigError.duplicateKey(
          key: key, earlier: earlier.spelling, file: file, line: keyNode.mark?.line,
          firstLine: earlier.line)
      }
      seen[name] = (key, keyNode.mark?.line)
    }
  }
}
