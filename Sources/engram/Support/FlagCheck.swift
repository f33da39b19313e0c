import ArgumentParser
import EngramLab

/// Range checks of numbers given on the command line, for every command.
///
/// A setting that `engram run` also takes (threads, seed, learning rate, epochs, batch) is
/// checked against `RunConfig`'s field table, so one value is refused or accepted alike by
/// every command; the other flags state their own range here. The errors name the flag and
/// the value, and are thrown from `validate()`, before anything runs or is written.
enum FlagCheck {
  /// Checks `value` against the `engram run` setting `key`.
  /// - Throws: `ValidationError` naming `flag`, the value and the range.
  static func setting(_ key: String, _ value: ConfigValue?, flag: String) throws {
    guard let value else { return }
    do {
      try RunConfig.check(key, value)
    } catch {
      let expected = RunConfig.field(named: key)?.kind.expected ?? "a valid value"
      throw ValidationError("\(flag) \(value.text): expected \(expected), as engram run takes")
    }
  }

  /// Checks a seed against the seed range of `engram run` (0…Int.max, so that consecutive
  /// seeds cannot overflow).
  static func seed(_ value: UInt64, flag: String = "--seed") throws {
    guard value > UInt64(Int.max) else { return }
    throw ValidationError("\(flag) \(value): expected a whole number in 0…\(Int.max), as engram run takes")
  }

  /// Checks a whole number against `range`.
  /// - Throws: `ValidationError` naming `flag`, the value and the range.
  static func whole(_ flag: String, _ value: Int?, in range: ClosedRange<Int>) throws {
    guard let value, !range.contains(value) else { return }
    let upper = range.upperBound == Int.max ? "" : "\(range.upperBound)"
    throw ValidationError("\(flag) \(value): expected a whole number in \(range.lowerBound)…\(upper)")
  }

  /// Checks every number of a list against `range`.
  /// - Throws: `ValidationError` naming `flag`, the value and the range.
  static func numbers(_ flag: String, _ values: [Double], in range: ClosedRange<Double>) throws {
    guard let bad = values.first(where: { !range.contains($0) }) else { return }
    throw ValidationError(
      "\(flag) \(ValueList.text(bad)): expected numbers in \(ValueList.text(range.lowerBound))…\(ValueList.text(range.upperBound))")
  }
}
