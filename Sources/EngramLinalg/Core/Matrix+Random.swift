import EngramRandom

extension Matrix where Scalar == Double {
  /// A matrix of independent N(0, σ²) entries.
  public static func gaussian(
    rows: Int, columns: Int, standardDeviation: Double = 1, using stream: inout RandomStream
  ) -> Matrix {
    var m = Matrix(rows: rows, columns: columns)
    m.withUnsafeMutableBufferPointer {
      stream.fillGaussian($0, standardDeviation: standardDeviation)
    }
    return m
  }
}
