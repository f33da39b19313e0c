import ArgumentParser
import EngramIO
import Foundation

/// A list of numbers given as `A,B,C` or as an inclusive range `A:B` / `A:B:STEP`.
struct ValueList: ExpressibleByArgument, Equatable {
  let values: [Double]
  /// Whether the user gave more than one value (a list or a range).
  let isList: Bool

  init?(argument: String) {
    if argument.contains(":") {
      let parts = argument.split(separator: ":", omittingEmptySubsequences: false).map {
        Self.number(String($0))
      }
      guard parts.count == 2 || parts.count == 3, let a = parts[0], let b = parts[1] else {
        return nil
      }
      let step = parts.count == 3 ? parts[2] : 1
      guard let step, step > 0, b >= a, (b - a) / step <= 100_000 else { return nil }
      var list: [Double] = []
      var i = 0
      while a + Double(i) * step <= b + step * 1e-9 {
        list.append(a + Double(i) * step)
        i += 1
      }
      values = list
      isList = true
    } else {
      let parsed = argument.split(separator: ",", omittingEmptySubsequences: false).map {
        Self.number($0.trimmingCharacters(in: .whitespaces))
      }
      guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else { return nil }
      values = parsed.compactMap { $0 }
      isList = values.count > 1
    }
  }

  static var defaultValueDescription: String { "LIST or A:B[:STEP]" }

  /// A finite decimal number, or nil (`nan`, `inf`, hexadecimal floats and empty text, which
  /// `Double(_:)` would take or trap on later, are not numbers here).
  private static func number(_ text: String) -> Double? {
    DecimalText.double(text).flatMap { $0.isFinite ? $0 : nil }
  }

  /// A value as a user would type it: whole numbers without a decimal point.
  static func text(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
  }

  /// Memory sizes: whole numbers ≥ 0, with 0 (the no-replay reference) first when missing.
  /// - Throws: `CommandError` naming `flag` otherwise.
  func memorySizes(flag: String = "--memory") throws -> [Int] {
    guard values.allSatisfy({ $0 >= 0 && $0 == $0.rounded() }) else {
      throw CommandError(message: "\(flag) takes whole numbers ≥ 0 (e.g. 0:10 or 0,1,2,5)")
    }
    let counts = values.map { Int($0) }
    return counts.contains(0) ? counts : [0] + counts
  }

  /// The values as a user would type them: `A:B:STEP` for an even range of three or more.
  var defaultValueDescription: String {
    let text = Self.text
    if values.count >= 3 {
      let step = values[1] - values[0]
      let even = zip(values, values.dropFirst()).allSatisfy {
        abs(($1 - $0) - step) <= 1e-9 * max(1, abs(step))
      }
      if even && step > 0 {
        let range = "\(text(values[0])):\(text(values[values.count - 1]))"
        return step == 1 ? range : range + ":\(text(step))"
      }
    }
    return values.map(text).joined(separator: ",")
  }
}
