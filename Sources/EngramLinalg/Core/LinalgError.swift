/// Errors from Engram's linear algebra: every case says what was wrong and what to do.
///
/// Shape problems are thrown, never trapped on, because shapes usually come from user files
/// (task matrices, specs) rather than from code.
public enum LinalgError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Two operands whose shapes do not fit the operation.
  case shapeMismatch(operation: String, left: Shape, right: Shape)
  /// Rows of different lengths given where a matrix was expected.
  case raggedRows(row: Int, expected: Int, found: Int)
  /// A flat buffer whose length is not rows × columns.
  case elementCount(expected: Int, found: Int)
  /// A LAPACK routine reported failure (`info` ≠ 0).
  case lapackFailure(routine: String, info: Int)
  /// A non-finite value (NaN or ±∞) where only finite numbers make sense.
  case nonFinite(operation: String)

  /// A matrix or vector shape, rows × columns (a vector is n × 1).
  public struct Shape: Equatable, Sendable, CustomStringConvertible {
    /// Number of rows.
    public var rows: Int
    /// Number of columns.
    public var columns: Int
    /// Creates a shape.
    public init(_ rows: Int, _ columns: Int) {
      self.rows = rows
      self.columns = columns
    }
    /// "rows×columns".
    public var description: String { "\(rows)×\(columns)" }
  }

  /// What went wrong and what to do about it.
  public var description: String {
    switch self {
    case .shapeMismatch(let operation, let left, let right):
      return "\(operation): shapes \(left) and \(right) do not fit; check the operands' dimensions"
    case .raggedRows(let row, let expected, let found):
      return
        "row \(row) has \(found) entries but earlier rows have \(expected); every row must have the same length"
    case .elementCount(let expected, let found):
      return "expected \(expected) elements (rows × columns) but got \(found)"
    case .lapackFailure(let routine, let info):
      let reason =
        info < 0
        ? "argument \(-info) was invalid (a bug in Engram; please report it)"
        : "the algorithm did not converge (info = \(info)); the input may contain extreme values"
      return "LAPACK \(routine) failed: \(reason)"
    case .nonFinite(let operation):
      return "\(operation): the input contains NaN or infinity; only finite numbers are allowed"
    }
  }
}
