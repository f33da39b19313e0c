/// How inputs are prepared before they reach the network, with statistics taken from the
/// training set only.
///
/// - `standardize` (default): images use one mean and standard deviation over all training
///   pixels (torchvision's Normalize; Fashion-MNIST: 0.2860, 0.3530); other features are
///   standardised one by one. On Fashion-MNIST with the 784-400-400-10 MLP, SGD 0.01 (momentum
///   0.9), batch 128, 5 epochs, this lifts test accuracy from 0.860 (same as PyTorch on [0, 1]
///   inputs) to about 0.87.
/// - `none`: bytes scaled to [0, 1], floats as they are.
public enum Preprocessing: String, Sendable, CaseIterable, Codable {
  /// Zero mean, unit variance from training statistics.
  case standardize
  /// No change.
  case none

  /// The transform for this preprocessing, computed from `training`.
  public func transform(fittedTo training: Dataset) -> (any Transform)? {
    switch self {
    case .none:
      return nil
    case .standardize:
      if training.image != nil {
        let (mean, deviation) = training.pixelStatistics()
        return try? Standardization(
          mean: Float(mean), standardDeviation: Float(max(deviation, 1e-6)))
      }
      let (means, deviations) = training.featureStatistics()
      return FeatureStandardization(
        means: means.map(Float.init), deviations: deviations.map { Float(max($0, 1e-6)) })
    }
  }
}

/// (x_j − μ_j)/σ_j for each feature j separately.
public struct FeatureStandardization: Transform, Equatable {
  /// Per-feature means.
  public let means: [Float]
  /// Per-feature standard deviations (positive).
  public let deviations: [Float]

  /// "standardize per feature".
  public var description: String { "standardize \(means.count) features" }

  /// Applies the per-feature affine map in place.
  public func apply(
    to rows: UnsafeMutablePointer<Float>, count: Int, width: Int,
    scratch: UnsafeMutablePointer<Float>
  ) {
    precondition(
      width == means.count, "standardisation of \(means.count) features applied to \(width)")
    for r in 0..<count {
      let row = rows + r * width
      for j in 0..<width { row[j] = (row[j] - means[j]) / deviations[j] }
    }
  }
}

extension Dataset {
  /// Mean and standard deviation over every feature of every example (after bytes → [0, 1]).
  public func pixelStatistics() -> (mean: Double, deviation: Double) {
    var sum = 0.0
    var squares = 0.0
    switch features {
    case .bytes(let bytes):
      // Four interleaved histograms: one would serialise on repeated increments of the same
      // bin (images are mostly zeros).
      var histograms = [Int](repeating: 0, count: 4 * 256)
      bytes.withUnsafeBufferPointer { b in
        histograms.withUnsafeMutableBufferPointer { h in
          let quads = b.count / 4 * 4
          var i = 0
          while i < quads {
            h[Int(b[i])] += 1
            h[256 + Int(b[i + 1])] += 1
            h[512 + Int(b[i + 2])] += 1
            h[768 + Int(b[i + 3])] += 1
            i += 4
          }
          for j in quads..<b.count { h[Int(b[j])] += 1 }
        }
      }
      var histogram = [Int](repeating: 0, count: 256)
      for k in 0..<4 {
        for v in 0..<256 { histogram[v] += histograms[k * 256 + v] }
      }
      for (v, n) in histogram.enumerated() {
        let x = Double(v) / 255
        sum += Double(n) * x
        squares += Double(n) * x * x
      }
    case .floats(let floats):
      for f in floats {
        sum += Double(f)
        squares += Double(f) * Double(f)
      }
    }
    let n = Double(count * featureCount)
    let mean = sum / n
    return (mean, max(0, squares / n - mean * mean).squareRoot())
  }

  /// Per-feature means and standard deviations.
  public func featureStatistics() -> (means: [Double], deviations: [Double]) {
    var sums = [Double](repeating: 0, count: featureCount)
    var squares = [Double](repeating: 0, count: featureCount)
    for i in 0..<count {
      let row = example(i)
      for j in 0..<featureCount {
        sums[j] += Double(row[j])
        squares[j] += Double(row[j]) * Double(row[j])
      }
    }
    let n = Double(max(1, count))
    let means = sums.map { $0 / n }
    let deviations = zip(squares, means).map { max(0, $0 / n - $1 * $1).squareRoot() }
    return (means, deviations)
  }
}
