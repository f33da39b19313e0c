import ArgumentParser
import Foundation

/// A list of numbers given as `A,B,C` or as an inclusive range `A:B` / `A:B:STEP`.
struct ValueList: ExpressibleByArgument, Equatable {
  let values: [Double]
  /// Whether the user gave more than one value (a list or a range).
  let isList: Bool

  init?(argument: String) {
    if argument.contains(":") {
      let parts = argument.split(separator: ":", omittingEmptySubsequences: false).map {
        Double($0)
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
      let parsed = argument.split(separator: ",").map {
        Double($0.trimmingCharacters(in: .whitespaces))
      }
      guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else { return nil }
      values = parsed.compactMap { $0 }
      isList = values.count > 1
    }
  }

  static var defaultValueDescription: String { "LIST or A:B[:STEP]" }

  /// The values as a user would type them: `A:B:STEP` for an even range of three or more.
  var defaultValueDescription: String {
    let text = { (v: Double) in v == v.rounded() ? String(Int(v)) : String(v) }
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
