import CLinearAlgebra

/// A floating-point type Engram's matrices can hold: `Float` (training) or `Double` (theory,
/// metrics).
///
/// The underscored requirements are thin, column-major bindings to BLAS and LAPACK. They are
/// public only so that `Matrix` can be generic; call the `Matrix` API instead.
public protocol LinalgScalar: BinaryFloatingPoint, Codable, Sendable, CustomStringConvertible,
  LosslessStringConvertible
{
  /// Machine epsilon of the type, as a `Double` (for rank tolerances).
  static var _epsilon: Double { get }

  /// C ← α·op(A)·op(B) + β·C, all row-major.
  static func _gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
    a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int, beta: Self,
    c: UnsafeMutablePointer<Self>, ldc: Int)

  /// y ← α·op(A)·x + β·y, A row-major m × n.
  static func _gemv(
    transpose: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
    x: UnsafePointer<Self>, beta: Self, y: UnsafeMutablePointer<Self>)

  /// Σ xᵢyᵢ over `n` contiguous elements.
  static func _dot(n: Int, x: UnsafePointer<Self>, y: UnsafePointer<Self>) -> Self

  /// y ← α·x + y over `n` contiguous elements.
  static func _axpy(n: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)

  /// LAPACK ?gesdd (divide-and-conquer SVD), column-major; returns `info`.
  static func _gesdd(
    jobz: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int,
    s: UnsafeMutablePointer<Self>, u: UnsafeMutablePointer<Self>, ldu: Int,
    vt: UnsafeMutablePointer<Self>, ldvt: Int, work: UnsafeMutablePointer<Self>, lwork: Int,
    iwork: UnsafeMutablePointer<Int32>
  ) -> Int

  /// LAPACK ?gesvd (QR-iteration SVD, the fallback when ?gesdd does not converge).
  static func _gesvd(
    job: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int,
    s: UnsafeMutablePointer<Self>, u: UnsafeMutablePointer<Self>, ldu: Int,
    vt: UnsafeMutablePointer<Self>, ldvt: Int, work: UnsafeMutablePointer<Self>, lwork: Int
  )
    -> Int

  /// LAPACK ?geqp3 (QR with column pivoting), column-major; returns `info`.
  static func _geqp3(
    m: Int, n: Int, a: UnsafeMutablePointer<Self>, lda: Int, jpvt: UnsafeMutablePointer<Int32>,
    tau: UnsafeMutablePointer<Self>, work: UnsafeMutablePointer<Self>, lwork: Int
  ) -> Int

  /// LAPACK ?orgqr (forms the first `n` columns of Q), column-major; returns `info`.
  static func _orgqr(
    m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Self>, lda: Int,
    tau: UnsafePointer<Self>, work: UnsafeMutablePointer<Self>, lwork: Int
  ) -> Int
}

@inline(__always) func blasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE {
  t ? CblasTrans : CblasNoTrans
}
