/// Bounds on YAML input, checked before the parser sees it: the parser recurses once per
/// nesting level, so a file nested thousands deep would overflow the stack.
enum YAMLLimits {
  /// The largest config or sweep file read (4 MiB; real ones are a few hundred bytes).
  static let maximumBytes = 4 << 20
  /// The deepest nesting accepted (real configs nest three levels).
  static let maximumDepth = 64

  /// Throws when `text` nests deeper than `maximumDepth`. Three things open a level: a block
  /// indentation deeper than the lines above; an indicator before a line's content — `- `
  /// (sequence entry), `? ` (explicit key) or `: ` (explicit value), with any anchors (`&a`)
  /// and tags (`!t`) between them, so `- ? - &a ? x` is four levels on one line; and a flow
  /// bracket (`[`, `{`) outside quotes. Block and flow depth are bounded separately.
  /// - Throws: `ConfigError.unreadable` naming the file and line.
  static func check(_ text: String, file: String) throws {
    var indents: [Int] = []
    var flow = 0
    let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    let space = [UInt8(ascii: " "), UInt8(ascii: "\t")]
    let levelIndicators = [UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":")]
    let properties = [UInt8(ascii: "&"), UInt8(ascii: "!")]
    for (index, line) in lines.enumerated() {
      func fail() -> ConfigError {
        .unreadable(
          file: file,
          reason:
            "line \(index + 1): nested more than \(maximumDepth) levels deep; a run config or sweep needs a few"
        )
      }
      let start = line.prefix { $0 == UInt8(ascii: " ") }.count
      var rest = line.dropFirst(start)
      var indicators = 0
      while let first = rest.first {
        let token = rest.prefix { !space.contains($0) }
        let opensLevel = token.count == 1 && levelIndicators.contains(first)
        guard opensLevel || properties.contains(first) else { break }
        if opensLevel { indicators += 1 }
        rest = rest.dropFirst(token.count).drop { space.contains($0) }
      }
      let blank =
        rest.isEmpty || rest.first == UInt8(ascii: "#") || rest.first == UInt8(ascii: "\r")
      if !(blank && indicators == 0) {
        while let last = indents.last, last >= start { indents.removeLast() }
        indents.append(start)
        guard indents.count + indicators <= maximumDepth else { throw fail() }
      }
      var quote: UInt8? = nil
      for byte in rest {
        if let open = quote {
          if byte == open { quote = nil }
          continue
        }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
        case UInt8(ascii: "["), UInt8(ascii: "{"):
          flow += 1
          guard flow <= maximumDepth else { throw fail() }
        case UInt8(ascii: "]"), UInt8(ascii: "}"): flow = max(0, flow - 1)
        default: break
        }
      }
    }
  }
}
