/// Bounds on YAML input, checked before the parser sees it: the parser recurses once per
/// nesting level, so a file nested thousands deep would overflow the stack.
enum YAMLLimits {
  /// The largest config or sweep file read (4 MiB; real ones are a few hundred bytes).
  static let maximumBytes = 4 << 20
  /// The deepest nesting accepted (real configs nest three levels).
  static let maximumDepth = 64

  /// Throws when `text` nests deeper than `maximumDepth`: flow collections (`[`, `{`), block
  /// indentation levels and sequence dashes on one line all count.
  /// - Throws: `ConfigError.unreadable` naming the file and line.
  static func check(_ text: String, file: String) throws {
    var flow = 0
    var quote: Character? = nil
    var line = 1
    var indents: [Int] = []
    var atLineStart = true
    var column = 0
    var dashes = 0
    func fail() -> ConfigError {
      .unreadable(
        file: file,
        reason:
          "line \(line): nested more than \(maximumDepth) levels deep; a run config or sweep needs a few"
      )
    }
    for c in text {
      if c == "\n" {
        line += 1
        atLineStart = true
        column = 0
        dashes = 0
        quote = nil
        continue
      }
      if atLineStart {
        if c == " " {
          column += 1
          continue
        }
        if c == "-" {
          dashes += 1
          column += 1
          continue
        }
        atLineStart = false
        if c != "#" {
          while let last = indents.last, last >= column { indents.removeLast() }
          indents.append(column)
          guard indents.count + dashes <= maximumDepth else { throw fail() }
        }
      }
      if let open = quote {
        if c == open { quote = nil }
        continue
      }
      switch c {
      case "\"", "'": quote = c
      case "[", "{":
        flow += 1
        guard flow <= maximumDepth else { throw fail() }
      case "]", "}": flow = max(0, flow - 1)
      default: break
      }
    }
  }
}
