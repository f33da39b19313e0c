import ArgumentParser

/// Ids given as positional arguments (`engram runs show 3`).
///
/// ArgumentParser reads `-1` as an unknown flag and answers "Missing expected argument", which
/// hides the value typed. The commands collect their positional text (`.allUnrecognized`) and
/// read it here, so a negative, zero or non-numeric id is named in the error.
enum IDArguments {
  /// The one id in `values`.
  /// - Throws: `ValidationError` naming the value, or the missing id.
  static func one(_ values: [String], what: String) throws -> Int64 {
    guard let id = try optional(values, what: what) else {
      throw ValidationError("give the \(what)'s id (a whole number from 1)")
    }
    return id
  }

  /// Every id in `values` (none is fine), each read as by `optional`.
  /// - Throws: `ValidationError` naming the first bad value or a repeated id.
  static func many(_ values: [String], what: String) throws -> [Int64] {
    var ids: [Int64] = []
    for value in values {
      guard let id = try optional([value], what: what) else { continue }
      guard !ids.contains(id) else { throw ValidationError("\(what) \(id) is given twice") }
      ids.append(id)
    }
    return ids
  }

  /// The id in `values`, or nil when none is given.
  /// - Throws: `ValidationError` naming the value: not a whole number from 1, an unknown
  ///   option, or more than one id.
  static func optional(_ values: [String], what: String) throws -> Int64? {
    if let option = values.first(where: { $0.hasPrefix("--") }) {
      throw ValidationError("unknown option '\(option)'")
    }
    guard values.count <= 1 else {
      throw ValidationError("give one \(what) id, not \(values.count) (\(values.joined(separator: " ")))")
    }
    guard let text = values.first else { return nil }
    guard let id = Int64(text), id >= 1 else {
      throw ValidationError("\(what) id '\(text)': ids are whole numbers from 1 (see engram runs list)")
    }
    return id
  }
}
