extension Matrix {
  /// The product op(self)·op(other) through BLAS gemm.
  ///
  /// - Parameters:
  ///   - other: the right factor.
  ///   - transposingSelf: use selfᵀ instead of self.
  ///   - transposingOther: use otherᵀ instead of other.
  /// - Throws: `LinalgError.shapeMismatch` when the inner dimensions differ.
  /// - Complexity: O(m·n·k) flops in one gemm call.
  public func multiplied(
    by other: Matrix, transposingSelf: Bool = false, transposingOther: Bool = false
  ) throws -> Matrix {
    let (m, k) = transposingSelf ? (columns, rows) : (rows, columns)
    let (k2, n) = transposingOther ? (other.columns, other.rows) : (other.rows, other.columns)
    guard k == k2 else {
      throw LinalgError.shapeMismatch(
        operation: "multiply", left: .init(m, k), right: .init(k2, n))
    }
    var result = Matrix(rows: m, columns: n)
    if m == 0 || n == 0 { return result }
    if k == 0 { return result }
    elements.withUnsafeBufferPointer { a in
      other.elements.withUnsafeBufferPointer { b in
        result.elements.withUnsafeMutableBufferPointer { c in
          Scalar._gemm(
            transposeA: transposingSelf, transposeB: transposingOther, m: m, n: n, k: k,
            alpha: 1, a: a.baseAddress!, lda: columns, b: b.baseAddress!, ldb: other.columns,
            beta: 0, c: c.baseAddress!, ldc: n)
        }
      }
    }
    return result
  }

  /// The matrix product, `try a * b`.
  /// - Throws: `LinalgError.shapeMismatch`.
  public static func * (lhs: Matrix, rhs: Matrix) throws -> Matrix {
    try lhs.multiplied(by: rhs)
  }

  /// The matrix–vector product A·x (or Aᵀ·x) through BLAS gemv.
  /// - Throws: `LinalgError.shapeMismatch` when `x` has the wrong length.
  /// - Complexity: O(rows·columns).
  public func multiplied(by x: [Scalar], transposingSelf: Bool = false) throws -> [Scalar] {
    let (inCount, outCount) = transposingSelf ? (rows, columns) : (columns, rows)
    guard x.count == inCount else {
      throw LinalgError.shapeMismatch(
        operation: transposingSelf ? "multiply transpose by vector" : "multiply by vector",
        left: shape, right: .init(x.count, 1))
    }
    var y = [Scalar](repeating: 0, count: outCount)
    if outCount == 0 || inCount == 0 { return y }
    elements.withUnsafeBufferPointer { a in
      x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { yp in
          Scalar._gemv(
            transpose: transposingSelf, m: rows, n: columns, alpha: 1, a: a.baseAddress!,
            lda: columns, x: xp.baseAddress!, beta: 0, y: yp.baseAddress!)
        }
      }
    }
    return y
  }

  /// The Gram matrix of the rows, A·Aᵀ (symmetric, rows × rows).
  public var rowGram: Matrix {
    // Cannot fail: the inner dimensions match by construction.
    (try? multiplied(by: self, transposingOther: true)) ?? Matrix(rows: rows, columns: rows)
  }
}

/// Vector helpers on plain arrays (Engram's vectors are `[Scalar]`).
extension Array where Element: LinalgScalar {
  /// The dot product; both arrays must have the same length (a programmer error otherwise).
  public func dot(_ other: [Element]) -> Element {
    precondition(count == other.count, "dot: lengths \(count) and \(other.count) differ")
    if isEmpty { return 0 }
    return withUnsafeBufferPointer { x in
      other.withUnsafeBufferPointer { y in
        Element._dot(n: count, x: x.baseAddress!, y: y.baseAddress!)
      }
    }
  }

  /// The squared Euclidean norm, ‖v‖².
  public var squaredNorm: Element { dot(self) }

  /// The Euclidean norm, ‖v‖.
  public var norm: Element { squaredNorm.squareRoot() }

  /// self + α·x, in place.
  public mutating func add(_ x: [Element], scaledBy alpha: Element = 1) {
    precondition(count == x.count, "add: lengths \(count) and \(x.count) differ")
    if isEmpty { return }
    let n = count
    x.withUnsafeBufferPointer { xp in
      withUnsafeMutableBufferPointer { yp in
        Element._axpy(n: n, alpha: alpha, x: xp.baseAddress!, y: yp.baseAddress!)
      }
    }
  }

  /// Element-wise difference self − other.
  public func subtracting(_ other: [Element]) -> [Element] {
    precondition(count == other.count, "subtract: lengths \(count) and \(other.count) differ")
    return zip(self, other).map { $0 - $1 }
  }
}
