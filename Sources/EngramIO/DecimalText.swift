/// Numbers written in plain decimal, parsed strictly.
///
/// `Double("…")` is not strict enough for input files: it reads text through C's `strtod`,
/// which stops at an embedded NUL (`"3.5\0abc"` is 3.5), and it also takes hexadecimal
/// (`0x1p3`), `inf`, `infinity` and `nan(…)`. A data file or config holding any of those has a
/// mistake in it, so readers parse numbers here and name the field instead.
public enum DecimalText {
  /// The value of `text` when it is a plain decimal number, `nil` otherwise.
  ///
  /// Plain decimal: an optional sign, digits with an optional decimal point (`3`, `3.`, `.5`,
  /// `3.25`), and an optional exponent (`e-3`, `E+07`); no spaces, no other characters. The
  /// value may still overflow to infinity (`1e999`): callers that need finite numbers check.
  public static func double<Text: StringProtocol>(_ text: Text) -> Double? {
    guard isDecimal(text) else { return nil }
    return Double(String(text))
  }

  /// The value of `text` as a `Float` when it is a plain decimal number, `nil` otherwise.
  public static func float<Text: StringProtocol>(_ text: Text) -> Float? {
    guard isDecimal(text) else { return nil }
    return Float(String(text))
  }

  /// Whether `text` is a plain decimal number (see ``double(_:)``).
  public static func isDecimal<Text: StringProtocol>(_ text: Text) -> Bool {
    var bytes = text.utf8.makeIterator()
    var next = bytes.next()
    func isDigit(_ byte: UInt8?) -> Bool {
      guard let byte else { return false }
      return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
    if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") { next = bytes.next() }
    var digits = 0
    while isDigit(next) {
      digits += 1
      next = bytes.next()
    }
    if next == UInt8(ascii: ".") {
      next = bytes.next()
      while isDigit(next) {
        digits += 1
        next = bytes.next()
      }
    }
    guard digits > 0 else { return false }
    if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
      next = bytes.next()
      if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") { next = bytes.next() }
      guard isDigit(next) else { return false }
      while isDigit(next) { next = bytes.next() }
    }
    return next == nil
  }
}
