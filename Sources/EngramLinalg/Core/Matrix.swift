/// A dense, row-major matrix of `Float` or `Double`.
///
/// Engram's convention is *vectors as rows*: a data matrix holds one sample per row, and an
/// orthonormal basis is an r × d matrix with orthonormal rows. Storage is one contiguous
/// array, element (i, j) at `elements[i * columns + j]`, so BLAS and LAPACK work on it
/// without copies. It is a value type (copy-on-write through `Array`).
public struct Matrix<Scalar: LinalgScalar>: Equatable, Sendable {
  /// Number of rows.
  public let rows: Int
  /// Number of columns.
  public let columns: Int
  /// Row-major elements; always `rows * columns` long.
  public internal(set) var elements: [Scalar]

  /// Creates a matrix filled with one value.
  public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
    precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
    self.rows = rows
    self.columns = columns
    self.elements = Array(repeating: value, count: rows * columns)
  }

  /// Creates a matrix from row-major elements.
  /// - Throws: `LinalgError.elementCount` when `elements.count != rows * columns`.
  public init(rows: Int, columns: Int, elements: [Scalar]) throws {
    guard rows >= 0, columns >= 0, elements.count == rows * columns else {
      throw LinalgError.elementCount(
        expected: max(0, rows) * max(0, columns), found: elements.count)
    }
    self.rows = rows
    self.columns = columns
    self.elements = elements
  }

  /// Creates a matrix from an array of rows.
  ///
  /// An empty array gives a 0 × 0 matrix.
  /// - Throws: `LinalgError.raggedRows` naming the first row whose length differs.
  public init(_ rowArrays: [[Scalar]]) throws {
    let width = rowArrays.first?.count ?? 0
    var flat: [Scalar] = []
    flat.reserveCapacity(rowArrays.count * width)
    for (i, row) in rowArrays.enumerated() {
      guard row.count == width else {
        throw LinalgError.raggedRows(row: i, expected: width, found: row.count)
      }
      flat.append(contentsOf: row)
    }
    self.rows = rowArrays.count
    self.columns = width
    self.elements = flat
  }

  /// Creates a matrix whose elements are computed from their indices.
  public init(rows: Int, columns: Int, _ element: (Int, Int) -> Scalar) {
    self.init(rows: rows, columns: columns)
    for i in 0..<rows {
      for j in 0..<columns { elements[i * columns + j] = element(i, j) }
    }
  }

  /// The n × n identity.
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m.elements[i * n + i] = 1 }
    return m
  }

  /// A 1 × n matrix holding one vector as its row.
  public init(row: [Scalar]) {
    self.rows = 1
    self.columns = row.count
    self.elements = row
  }

  /// Element (i, j).
  public subscript(row: Int, column: Int) -> Scalar {
    get {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "index out of range")
      return elements[row * columns + column]
    }
    set {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "index out of range")
      elements[row * columns + column] = newValue
    }
  }

  /// Whether the matrix has no elements.
  public var isEmpty: Bool { rows == 0 || columns == 0 }

  /// The shape, for error messages.
  public var shape: LinalgError.Shape { .init(rows, columns) }

  /// Row `i` as an array.
  public func row(_ i: Int) -> [Scalar] {
    Array(elements[(i * columns)..<((i + 1) * columns)])
  }

  /// Column `j` as an array.
  public func column(_ j: Int) -> [Scalar] {
    (0..<rows).map { elements[$0 * columns + j] }
  }

  /// All rows as arrays (for encoding and printing).
  public var rowArrays: [[Scalar]] { (0..<rows).map(row) }

  /// The rows at the given indices, in that order.
  public func selectingRows<S: Sequence>(_ indices: S) -> Matrix where S.Element == Int {
    var flat: [Scalar] = []
    var count = 0
    for i in indices {
      flat.append(contentsOf: elements[(i * columns)..<((i + 1) * columns)])
      count += 1
    }
    return Matrix(uncheckedRows: count, columns: columns, elements: flat)
  }

  /// The first `count` rows.
  public func prefixRows(_ count: Int) -> Matrix {
    Matrix(
      uncheckedRows: count, columns: columns, elements: Array(elements[0..<(count * columns)]))
  }

  /// This matrix with `other`'s rows appended below it.
  /// - Throws: `LinalgError.shapeMismatch` when the column counts differ (an empty matrix
  ///   stacks with anything).
  public func appendingRows(of other: Matrix) throws -> Matrix {
    if isEmpty && rows == 0 { return other }
    if other.rows == 0 { return self }
    guard columns == other.columns else {
      throw LinalgError.shapeMismatch(operation: "stack rows", left: shape, right: other.shape)
    }
    return Matrix(
      uncheckedRows: rows + other.rows, columns: columns, elements: elements + other.elements)
  }

  /// The transpose.
  public var transposed: Matrix {
    var t = Matrix(rows: columns, columns: rows)
    for i in 0..<rows {
      for j in 0..<columns { t.elements[j * rows + i] = elements[i * columns + j] }
    }
    return t
  }

  /// Whether every element is finite.
  public var isFinite: Bool { elements.allSatisfy { $0.isFinite } }

  /// The Frobenius norm, √(Σ aᵢⱼ²).
  public var frobeniusNorm: Scalar {
    elements.withUnsafeBufferPointer { p in
      guard let base = p.baseAddress, !p.isEmpty else { return 0 }
      return Scalar._dot(n: p.count, x: base, y: base).squareRoot()
    }
  }

  /// The largest absolute difference to another matrix of the same shape (for tests).
  public func maxAbsoluteDifference(to other: Matrix) -> Scalar {
    precondition(rows == other.rows && columns == other.columns, "shapes differ")
    return zip(elements, other.elements).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
  }

  /// Runs `body` with a mutable pointer to the row-major elements.
  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    try elements.withUnsafeMutableBufferPointer(body)
  }

  /// Runs `body` with a pointer to the row-major elements.
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R)
    rethrows -> R
  {
    try elements.withUnsafeBufferPointer(body)
  }

  init(uncheckedRows rows: Int, columns: Int, elements: [Scalar]) {
    self.rows = rows
    self.columns = columns
    self.elements = elements
  }
}

extension Matrix {
  /// Converts between `Float` and `Double` matrices.
  public init<Other: LinalgScalar>(converting other: Matrix<Other>) {
    self.init(
      uncheckedRows: other.rows, columns: other.columns,
      elements: other.elements.map { Scalar($0) })
  }

  /// Element-wise sum.
  /// - Throws: `LinalgError.shapeMismatch`.
  public static func + (lhs: Matrix, rhs: Matrix) throws -> Matrix {
    guard lhs.rows == rhs.rows, lhs.columns == rhs.columns else {
      throw LinalgError.shapeMismatch(operation: "add", left: lhs.shape, right: rhs.shape)
    }
    return Matrix(
      uncheckedRows: lhs.rows, columns: lhs.columns,
      elements: zip(lhs.elements, rhs.elements).map { $0 + $1 })
  }

  /// Element-wise difference.
  /// - Throws: `LinalgError.shapeMismatch`.
  public static func - (lhs: Matrix, rhs: Matrix) throws -> Matrix {
    guard lhs.rows == rhs.rows, lhs.columns == rhs.columns else {
      throw LinalgError.shapeMismatch(operation: "subtract", left: lhs.shape, right: rhs.shape)
    }
    return Matrix(
      uncheckedRows: lhs.rows, columns: lhs.columns,
      elements: zip(lhs.elements, rhs.elements).map { $0 - $1 })
  }

  /// Scalar multiple.
  public static func * (lhs: Scalar, rhs: Matrix) -> Matrix {
    Matrix(uncheckedRows: rhs.rows, columns: rhs.columns, elements: rhs.elements.map { lhs * $0 })
  }
}

extension Matrix: CustomStringConvertible {
  /// The shape and rows, for debugging.
  public var description: String {
    let body = (0..<rows).map { i in
      row(i).map { "\($0)" }.joined(separator: ", ")
    }.joined(separator: "\n ")
    return "Matrix \(rows)×\(columns)\n[\(body)]"
  }
}
