/// (x − mean) / standardDeviation for every feature (e.g. Fashion-MNIST's 0.2860 and 0.3530).
public struct Standardization: Transform, Equatable {
  /// Subtracted from every feature.
  public let mean: Float
  /// Divides every feature.
  public let standardDeviation: Float

  /// A standardisation.
  /// - Throws: `DataError.invalidParameter` for a non-positive or non-finite deviation.
  public init(mean: Float, standardDeviation: Float) throws {
    guard standardDeviation > 0, standardDeviation.isFinite, mean.isFinite else {
      throw DataError.invalidParameter(
        name: "standard deviation", value: "\(standardDeviation)",
        allowed: "must be a positive finite number")
    }
    self.mean = mean
    self.standardDeviation = standardDeviation
  }

  /// "standardize (μ, σ)".
  public var description: String { "standardize (\(mean), \(standardDeviation))" }

  /// Applies the affine map in place.
  public func apply(
    to rows: UnsafeMutablePointer<Float>, count: Int, width: Int,
    scratch: UnsafeMutablePointer<Float>
  ) {
    let scale = 1 / standardDeviation
    let shift = -mean * scale
    for i in 0..<(count * width) { rows[i] = rows[i] * scale + shift }
  }
}
