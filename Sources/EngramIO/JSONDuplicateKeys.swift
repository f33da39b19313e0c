/// A key written twice in one JSON object.
///
/// JSON parsers (Foundation's among them) keep the last of two equal keys and drop the first
/// without a word, so a spec or header edited by hand could silently mean something other than
/// what its first lines say. Readers call ``JSONDuplicateKeys/first(in:)`` and refuse the file.
public struct JSONDuplicateKey: Equatable, Sendable {
  /// The key as it reads after unescaping.
  public let key: String
  /// The path of the key: `tasks[1].rows`, or just `w_star` at the top level.
  public let path: String
  /// The line (1-based) of the first occurrence.
  public let firstLine: Int
  /// The line (1-based) of the second occurrence.
  public let line: Int

  /// A duplicate key found at `path`, on `firstLine` and again on `line`.
  public init(key: String, path: String, firstLine: Int, line: Int) {
    self.key = key
    self.path = path
    self.firstLine = firstLine
    self.line = line
  }
}

/// Finds keys written twice in one JSON object.
public enum JSONDuplicateKeys {
  /// The first key that appears twice in one object of `bytes`, or `nil` when there is none.
  ///
  /// Meant for text a JSON parser has already accepted: invalid JSON never traps or loops here,
  /// but what it reports for such text is unspecified. Keys compare as Swift strings after
  /// unescaping (`"a"` and `"\u0061"` are one key), exactly as a `[String: …]` decoded from
  /// the same text would merge them. Nesting costs heap, not stack.
  /// - Complexity: O(n) in the length of `bytes`.
  public static func first<Bytes: Collection>(in bytes: Bytes) -> JSONDuplicateKey?
  where Bytes.Element == UInt8 {
    var scanner = Scanner()
    for byte in bytes {
      if let duplicate = scanner.consume(byte) { return duplicate }
    }
    return nil
  }

  /// One open object or array.
  private struct Container {
    var isObject: Bool
    /// Keys seen so far, with the line of each (objects only).
    var keys: [String: Int] = [:]
    /// The key whose value comes next (objects) or the index of the next element (arrays).
    var key: String? = nil
    var index = 0
    /// Whether the next string in this object is a key.
    var expectsKey = true

    /// This container's part of the path of the value that starts now inside it.
    func segment(first: Bool) -> String {
      if isObject { return first ? (key ?? "") : ".\(key ?? "")" }
      return "[\(index)]"
    }
  }

  /// A byte-at-a-time JSON scanner: tracks strings, containers and lines, nothing else.
  private struct Scanner {
    var stack: [Container] = []
    var line = 1
    var inString = false
    var escaped = false
    var string: [UInt8] = []

    mutating func consume(_ byte: UInt8) -> JSONDuplicateKey? {
      if inString {
        if escaped {
          escaped = false
          string.append(byte)
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
          string.append(byte)
        } else if byte == UInt8(ascii: "\"") {
          inString = false
          return stringEnded(Self.unescape(string))
        } else {
          string.append(byte)
        }
        return nil
      }
      switch byte {
      case UInt8(ascii: "\n"): line += 1
      case UInt8(ascii: "\""):
        inString = true
        string.removeAll(keepingCapacity: true)
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        // Paths are built only when a duplicate is reported: storing one per level would
        // cost memory quadratic in the nesting depth.
        stack.append(Container(isObject: byte == UInt8(ascii: "{")))
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        _ = stack.popLast()
      case UInt8(ascii: ":"):
        if !stack.isEmpty { stack[stack.count - 1].expectsKey = false }
      case UInt8(ascii: ","):
        guard !stack.isEmpty else { break }
        if stack[stack.count - 1].isObject {
          stack[stack.count - 1].expectsKey = true
        } else {
          stack[stack.count - 1].index += 1
        }
      default: break
      }
      return nil
    }

    private mutating func stringEnded(_ text: String) -> JSONDuplicateKey? {
      guard let top = stack.last, top.isObject, top.expectsKey else { return nil }
      let i = stack.count - 1
      stack[i].key = text
      if let firstLine = top.keys[text] {
        let prefix = stack.dropLast().enumerated().map { $1.segment(first: $0 == 0) }.joined()
        let path = prefix.isEmpty ? text : "\(prefix).\(text)"
        return JSONDuplicateKey(key: text, path: path, firstLine: firstLine, line: line)
      }
      stack[i].keys[text] = line
      return nil
    }

    /// The text of a JSON string's body (between the quotes), escapes resolved; anything
    /// malformed becomes U+FFFD rather than an error.
    static func unescape(_ body: [UInt8]) -> String {
      guard body.contains(UInt8(ascii: "\\")) else { return String(decoding: body, as: UTF8.self) }
      var out: [UInt8] = []
      var units: [UInt16] = []  // a run of \u escapes, decoded together for surrogate pairs
      func flushUnits() {
        guard !units.isEmpty else { return }
        out += Array(String(decoding: units, as: UTF16.self).utf8)
        units.removeAll()
      }
      var i = 0
      while i < body.count {
        let byte = body[i]
        guard byte == UInt8(ascii: "\\"), i + 1 < body.count else {
          flushUnits()
          out.append(byte)
          i += 1
          continue
        }
        let code = body[i + 1]
        if code == UInt8(ascii: "u") {
          let digits = body[(i + 2)..<min(body.count, i + 6)]
          let hex = String(decoding: digits, as: UTF8.self)
          units.append(digits.count == 4 ? UInt16(hex, radix: 16) ?? 0xFFFD : 0xFFFD)
          i += 2 + digits.count
          continue
        }
        flushUnits()
        switch code {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        default: out.append(code)  // \" \\ \/
        }
        i += 2
      }
      flushUnits()
      return String(decoding: out, as: UTF8.self)
    }
  }
}
