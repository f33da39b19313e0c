import CLinearAlgebra

/// The number of threads BLAS and LAPACK may use.
///
/// OpenBLAS keeps one process-wide setting. Engram results are bit-identical for a fixed
/// seed *and* thread count, so commands set it explicitly (`--threads`).
public enum BLASThreads {
  /// Sets the BLAS thread count (at least 1).
  public static func set(_ count: Int) {
    openblas_set_num_threads(Int32(max(1, count)))
  }

  /// The current BLAS thread count.
  public static var current: Int { Int(openblas_get_num_threads()) }

  /// Runs `body` with `count` BLAS threads, then restores the previous count. Not for use
  /// from several threads at once (the setting is process-wide).
  public static func pinned<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
    let previous = current
    set(count)
    defer { set(previous) }
    return try body()
  }
}
