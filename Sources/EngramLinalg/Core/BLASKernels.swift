import CLinearAlgebra

/// Which BLAS kernels run, for benchmark reports and diagnostics.
///
/// OpenBLAS picks its kernels for the CPU when it loads, unless `OPENBLAS_CORETYPE` names
/// them. Results are bit-identical only for the same kernels (and thread count), so reports
/// record this name.
public enum BLASKernels {
  /// The kernel family in use ("Haswell", "Cooperlake", …; "Accelerate" on Apple platforms).
  public static var coreName: String {
    #if os(Linux)
      guard let name = openblas_get_corename() else { return "unknown" }
      return String(cString: name)
    #else
      return "Accelerate"
    #endif
  }
}
