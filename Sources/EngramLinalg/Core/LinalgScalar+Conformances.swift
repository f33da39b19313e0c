import CLinearAlgebra

// Each binding is one call; the types differ only in the BLAS/LAPACK prefix (s/d).

extension Double: LinalgScalar {
  public static var _epsilon: Double { Double.ulpOfOne }

  public static func _gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int, beta: Double,
    c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    cblas_dgemm(
      CblasRowMajor, blasTranspose(transposeA), blasTranspose(transposeB), Int32(m), Int32(n),
      Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  public static func _gemv(
    transpose: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
    x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
  ) {
    cblas_dgemv(
      CblasRowMajor, blasTranspose(transpose), Int32(m), Int32(n), alpha, a, Int32(lda), x, 1,
      beta, y, 1)
  }

  public static func _dot(n: Int, x: UnsafePointer<Double>, y: UnsafePointer<Double>) -> Double {
    cblas_ddot(Int32(n), x, 1, y, 1)
  }

  public static func _axpy(
    n: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>
  ) {
    cblas_daxpy(Int32(n), alpha, x, 1, y, 1)
  }

  public static func _gesdd(
    jobz: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
    s: UnsafeMutablePointer<Double>, u: UnsafeMutablePointer<Double>, ldu: Int,
    vt: UnsafeMutablePointer<Double>, ldvt: Int, work: UnsafeMutablePointer<Double>, lwork: Int,
    iwork: UnsafeMutablePointer<Int32>
  ) -> Int {
    Int(
      LAPACKE_dgesdd_work(
        LAPACK_COL_MAJOR, CChar(bitPattern: jobz), Int32(m), Int32(n), a, Int32(lda), s, u,
        Int32(ldu), vt, Int32(ldvt), work, Int32(lwork), iwork))
  }

  public static func _gesvd(
    job: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
    s: UnsafeMutablePointer<Double>, u: UnsafeMutablePointer<Double>, ldu: Int,
    vt: UnsafeMutablePointer<Double>, ldvt: Int, work: UnsafeMutablePointer<Double>, lwork: Int
  ) -> Int {
    Int(
      LAPACKE_dgesvd_work(
        LAPACK_COL_MAJOR, CChar(bitPattern: job), CChar(bitPattern: job), Int32(m), Int32(n), a,
        Int32(lda), s, u, Int32(ldu), vt, Int32(ldvt), work, Int32(lwork)))
  }

  public static func _geqp3(
    m: Int, n: Int, a: UnsafeMutablePointer<Double>, lda: Int,
    jpvt: UnsafeMutablePointer<Int32>, tau: UnsafeMutablePointer<Double>,
    work: UnsafeMutablePointer<Double>, lwork: Int
  ) -> Int {
    Int(
      LAPACKE_dgeqp3_work(
        LAPACK_COL_MAJOR, Int32(m), Int32(n), a, Int32(lda), jpvt, tau, work, Int32(lwork)))
  }

  public static func _orgqr(
    m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Double>, lda: Int,
    tau: UnsafePointer<Double>, work: UnsafeMutablePointer<Double>, lwork: Int
  ) -> Int {
    Int(
      LAPACKE_dorgqr_work(
        LAPACK_COL_MAJOR, Int32(m), Int32(n), Int32(k), a, Int32(lda), tau, work, Int32(lwork)))
  }
}

extension Float: LinalgScalar {
  public static var _epsilon: Double { Double(Float.ulpOfOne) }

  public static func _gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, blasTranspose(transposeA), blasTranspose(transposeB), Int32(m), Int32(n),
      Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  public static func _gemv(
    transpose: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
    x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
  ) {
    cblas_sgemv(
      CblasRowMajor, blasTranspose(transpose), Int32(m), Int32(n), alpha, a, Int32(lda), x, 1,
      beta, y, 1)
  }

  public static func _dot(n: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>) -> Float {
    cblas_sdot(Int32(n), x, 1, y, 1)
  }

  public static func _axpy(
    n: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
  ) {
    cblas_saxpy(Int32(n), alpha, x, 1, y, 1)
  }

  public static func _gesdd(
    jobz: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
    s: UnsafeMutablePointer<Float>, u: UnsafeMutablePointer<Float>, ldu: Int,
    vt: UnsafeMutablePointer<Float>, ldvt: Int, work: UnsafeMutablePointer<Float>, lwork: Int,
    iwork: UnsafeMutablePointer<Int32>
  ) -> Int {
    Int(
      LAPACKE_sgesdd_work(
        LAPACK_COL_MAJOR, CChar(bitPattern: jobz), Int32(m), Int32(n), a, Int32(lda), s, u,
        Int32(ldu), vt, Int32(ldvt), work, Int32(lwork), iwork))
  }

  public static func _gesvd(
    job: UInt8, m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
    s: UnsafeMutablePointer<Float>, u: UnsafeMutablePointer<Float>, ldu: Int,
    vt: UnsafeMutablePointer<Float>, ldvt: Int, work: UnsafeMutablePointer<Float>, lwork: Int
  ) -> Int {
    Int(
      LAPACKE_sgesvd_work(
        LAPACK_COL_MAJOR, CChar(bitPattern: job), CChar(bitPattern: job), Int32(m), Int32(n), a,
        Int32(lda), s, u, Int32(ldu), vt, Int32(ldvt), work, Int32(lwork)))
  }

  public static func _geqp3(
    m: Int, n: Int, a: UnsafeMutablePointer<Float>, lda: Int,
    jpvt: UnsafeMutablePointer<Int32>, tau: UnsafeMutablePointer<Float>,
    work: UnsafeMutablePointer<Float>, lwork: Int
  ) -> Int {
    Int(
      LAPACKE_sgeqp3_work(
        LAPACK_COL_MAJOR, Int32(m), Int32(n), a, Int32(lda), jpvt, tau, work, Int32(lwork)))
  }

  public static func _orgqr(
    m: Int, n: Int, k: Int, a: UnsafeMutablePointer<Float>, lda: Int,
    tau: UnsafePointer<Float>, work: UnsafeMutablePointer<Float>, lwork: Int
  ) -> Int {
    Int(
      LAPACKE_sorgqr_work(
        LAPACK_COL_MAJOR, Int32(m), Int32(n), Int32(k), a, Int32(lda), tau, work, Int32(lwork)))
  }
}
