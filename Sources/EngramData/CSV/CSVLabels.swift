import EngramIO
/// Turns a CSV label column into class indices: all class indices, or all class names.
///
/// A column is read as class indices when any of its labels is a number, and then every label
/// must be a whole number from 0 (`3`, `007`, `+3`), below ``maximumClasses``. Otherwise every
/// label is a class name, mapped to 0, 1, … in sorted order. Mixed columns are refused at their
/// first odd line: one `3.0`, `-1`, `nan` or `cat` among indices is a mistake in the file, and
/// reading the whole column as names instead would silently renumber every class.
public enum CSVLabels {
  /// Class indices must be below this (labels are stored as `Int32`, and a model needs one
  /// output per class).
  public static let maximumClasses = 100_000

  /// The class index of every label and the class names in index order.
  /// - Parameters:
  ///   - raw: the label field of each data line, in order.
  ///   - file: the file's name, for messages.
  ///   - firstLine: the line number (1-based) of `raw[0]`.
  ///   - column: the label column (1-based), for messages.
  /// - Throws: `DataError.csv` naming the line and column of an empty label, of a label that
  ///   does not fit the column's kind, or of an index too large.
  public static func encode(_ raw: [String], file: String, firstLine: Int, column: Int) throws
    -> (labels: [Int32], classNames: [String])
  {
    func fail(_ i: Int, _ problem: String) -> DataError {
      let hint =
        firstLine + i == 1
        ? " (if line 1 is a header, name every column with text that is not a number)" : ""
      return .csv(file: file, line: firstLine + i, column: column, problem: problem + hint)
    }
    if let empty = raw.firstIndex(where: \.isEmpty) {
      throw fail(empty, "the label is empty; every example needs a label")
    }
    // Double() is deliberately lenient here: `nan`, `inf` and `0x1p3` are numbers gone wrong,
    // not class names.
    guard raw.contains(where: { Double($0) != nil }) else {
      let names = Array(Set(raw)).sorted()
      let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
      return (raw.map { index[$0] ?? 0 }, names)
    }
    // A well-formed index elsewhere in the column, quoted in messages to show what is expected.
    let example = raw.firstIndex { (Int32($0) ?? -1) >= 0 }.map {
      " (line \(firstLine + $0) has '\(abbreviated(raw[$0]))')"
    }
    var labels: [Int32] = []
    labels.reserveCapacity(raw.count)
    for (i, text) in raw.enumerated() {
      guard let value = Int32(text), value >= 0 else {
        if Double(text) == nil {
          throw fail(
            i,
            "label '\(abbreviated(text))' is a name, but the column holds numbers\(example ?? ""): labels must be all class indices (0, 1, 2, …) or all class names"
          )
        }
        throw fail(
          i,
          "label '\(abbreviated(text))' is not a class index; class indices are whole numbers 0, 1, 2, …\(example ?? "")"
        )
      }
      guard Int(value) < maximumClasses else {
        throw fail(
          i,
          "label \(value) is too large; labels must be class indices below \(maximumClasses) or class names"
        )
      }
      labels.append(value)
    }
    let classes = Int(labels.max() ?? 0) + 1
    return (labels, (0..<classes).map(String.init))
  }
}
