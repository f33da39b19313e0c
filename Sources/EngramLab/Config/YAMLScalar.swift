import EngramIO
import Yams

/// Integers and real numbers read from YAML scalars by Engram rather than by Yams.
///
/// Yams resolves YAML 1.1 forms that have no place in a config, and reads one of them unsafely:
/// a scalar with colons is sexagesimal (`1:30` is 90), its parts that are not numbers are
/// dropped (`3:abc` reads as 3), and eleven parts or more overflow `Int` and trap inside Yams
/// (found by the run-config and sweep fuzz targets). Here, as in YAML 1.2's core schema, an
/// integer is decimal (`12`, `-3`, `+5`), hexadecimal (`0x1F`) or octal (`0o17`), and a real
/// number is a plain decimal (see ``DecimalText``) or an integer; anything else, and any value
/// that does not fit, is `nil` and becomes the caller's "invalid value" error. Quoted scalars
/// read the same as plain ones, as they did through Yams.
enum YAMLScalar {
  /// Whether a node is YAML's null: a *plain* empty scalar, `~` or `null`. Yams's `Node.null`
  /// also answers yes for a quoted `''` or `"null"`, which would let `lr: ''` silently keep the
  /// default; a quoted scalar is always text.
  static func isNull(_ node: Node) -> Bool {
    guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else {
      return false
    }
    return node.null != nil
  }

  /// The integer a scalar node holds, or `nil` (for other nodes, other text, or overflow).
  static func int(_ node: Node) -> Int? {
    guard case .scalar(let scalar) = node else { return nil }
    let text = scalar.string
    for (prefix, radix) in [("0x", 16), ("0o", 8)] where text.hasPrefix(prefix) {
      let digits = text.dropFirst(prefix.count)
      // Int(_:radix:) would take a sign after the prefix; YAML does not.
      guard let first = digits.first, first.isHexDigit else { return nil }
      return Int(digits, radix: radix)
    }
    return Int(text)
  }

  /// The real number a scalar node holds (a plain decimal or an integer), or `nil`. Values
  /// beyond `Double`'s range come back infinite, for the caller's range check.
  static func double(_ node: Node) -> Double? {
    guard case .scalar(let scalar) = node else { return nil }
    return DecimalText.double(scalar.string) ?? int(node).map(Double.init)
  }
}
