import EngramIO
import Testing

@Suite("Plain decimal numbers")
struct DecimalTextTests {
  @Test(
    "signs, points and exponents are numbers",
    arguments: [
      ("3", 3.0), ("-3", -3), ("+3", 3), ("3.", 3), (".5", 0.5), ("3.25", 3.25), ("1e3", 1000),
      ("2.5E-1", 0.25), ("-.5e+1", -5), ("007", 7),
    ])
  func accepted(text: String, value: Double) {
    #expect(DecimalText.double(text) == value)
    #expect(DecimalText.float(text) == Float(value))
  }

  @Test(
    "trailing characters, NULs, hexadecimal, inf and nan are not",
    arguments: [
      "3.5abc", "3.5\u{0}abc", "3\u{0}", "0x1p3", "0x10", "inf", "-infinity", "nan", "nan(0x1)",
      "", "+", "-", ".", "e3", "1e", "1e+", "1.2.3", " 3", "3 ", "1_000", "3,5", "٣",
    ])
  func refused(text: String) {
    #expect(DecimalText.double(text) == nil, "\(text.debugDescription)")
    #expect(!DecimalText.isDecimal(text))
  }

  @Test("a decimal too large for a Float is infinite, for the caller's finiteness check")
  func overflow() {
    #expect(DecimalText.float("1e39") == .infinity)
    #expect(DecimalText.double("1e999") == .infinity)
  }
}
