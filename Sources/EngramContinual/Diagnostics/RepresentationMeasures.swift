import EngramLinalg
import Foundation

/// Measures of a layer's representation on a probe set: rank, dormant and dead units.
///
/// These are the loss-of-plasticity diagnostics of reference/plasticity.md §8, computed per
/// hidden layer from a count × width matrix of its activations (one probe example per row,
/// row-major, as `Matrix`). A network that keeps learning keeps a high rank and few dormant or
/// dead units; a collapsing one loses both. Singular values are computed in Float64, as the
/// reference asks, because the ranks below depend on the small ones.
public enum RepresentationMeasures {
  /// The singular values of a feature matrix, descending, computed in Float64.
  ///
  /// - Parameters:
  ///   - rows: `count × width` activations, row-major (one example per row).
  ///   - count: The number of rows (probe examples).
  ///   - width: The number of columns (units).
  /// - Returns: min(count, width) singular values, largest first.
  /// - Throws: `LinalgError.nonFinite` when an activation is NaN or infinite;
  ///   `LinalgError.lapackFailure` if LAPACK does not converge.
  /// - Complexity: O(count · width · min(count, width)).
  public static func singularValues(
    of rows: UnsafePointer<Float>, count: Int, width: Int
  ) throws -> [Double] {
    precondition(count >= 0 && width >= 0, "a feature matrix has non-negative dimensions")
    let elements = UnsafeBufferPointer(start: rows, count: count * width).map(Double.init)
    return try Matrix(rows: count, columns: width, elements: elements).singularValues()
  }

  /// The effective rank (Roy & Vetterli, EUSIPCO 2007): the exponential of the entropy of the
  /// normalised singular values.
  ///
  /// p_k = σ_k / Σσ, erank = exp(−Σ p_k ln p_k) with 0 ln 0 = 0. It is continuous, unlike the
  /// counting ranks below: (3, 1, 0) gives 1.754765, n equal values give n.
  /// - Parameter singularValues: Non-negative singular values, in any order.
  /// - Returns: A value in [1, count]; 0 when every value is zero (or there are none).
  /// - Complexity: O(count).
  public static func effectiveRank(_ singularValues: [Double]) -> Double {
    let total = singularValues.reduce(0, +)
    guard total > 0 else { return 0 }
    var entropy = 0.0
    for sigma in singularValues where sigma > 0 {
      let p = sigma / total
      entropy -= p * log(p)
    }
    return exp(entropy)
  }

  /// srank_δ (Kumar et al., ICLR 2021): the fewest leading singular values holding 1 − δ of
  /// their sum.
  ///
  /// min{k : Σ_{i≤k} σ_i ≥ (1 − δ)·Σσ}. Engram returns k itself; L2 Init's code counts the
  /// values whose cumulative share is below 1 − δ, which is k − 1 (reference/plasticity.md §8).
  /// This is not the stable rank ‖Φ‖_F²/‖Φ‖₂², though LoP calls it that.
  /// - Parameters:
  ///   - singularValues: Non-negative singular values, descending.
  ///   - delta: The share of the sum that may be left out (0.01 in the paper and LoP).
  /// - Returns: k in 0...count; 0 when every value is zero.
  /// - Complexity: O(count).
  public static func srank(_ singularValues: [Double], delta: Double = 0.01) -> Int {
    leadingCount(singularValues, share: 1 - delta, squared: false)
  }

  /// The approximate rank (Yang et al. 2019): the fewest leading singular values holding 99 %
  /// of the sum of their squares, i.e. of the squared Frobenius norm.
  ///
  /// min{k : Σ_{i≤k} σ_i² ≥ 0.99·Σσ²}; squaring makes it ignore small values more readily than
  /// `srank`.
  /// - Parameter singularValues: Non-negative singular values, descending.
  /// - Returns: k in 0...count; 0 when every value is zero.
  /// - Complexity: O(count).
  public static func approximateRank(_ singularValues: [Double]) -> Int {
    leadingCount(singularValues, share: 0.99, squared: true)
  }

  /// ReDo's dormancy score of each unit (Sokar et al., ICML 2023): its mean absolute activation
  /// relative to the layer's mean.
  ///
  /// s_i = E_x|h_i| / ((1/H)·Σ_k E_x|h_k| + 10⁻⁹); the 10⁻⁹ is dopamine's, so that an all-zero
  /// layer scores 0 rather than NaN. Scores average to about 1; a unit with s_i ≤ τ is
  /// τ-dormant (reference/plasticity.md §2). For a convolution, pass one column per channel
  /// with the spatial positions as extra rows.
  /// - Parameters:
  ///   - activations: `count × width` post-activations, row-major (one example per row).
  ///   - count: The number of rows; at least 1.
  ///   - width: The number of units H.
  /// - Returns: One score per unit.
  /// - Complexity: O(count · width).
  public static func dormantScores(
    activations: UnsafePointer<Float>, count: Int, width: Int
  ) -> [Double] {
    precondition(count > 0 && width >= 0, "dormancy needs at least one probe example")
    var means = [Double](repeating: 0, count: width)
    means.withUnsafeMutableBufferPointer { m in
      for r in 0..<count {
        let row = activations + r * width
        for i in 0..<width { m[i] += Double(abs(row[i])) }
      }
    }
    let n = Double(count)
    return dormantScores(means: means.map { $0 / n })
  }

  /// ReDo scores from each unit's mean absolute activation m_i: s_i = m_i / ((1/H)·Σ_k m_k +
  /// 1e-9) (ReDo itself keeps running means over the inputs of F steps).
  public static func dormantScores(means: [Double]) -> [Double] {
    let layerMean = means.reduce(0, +) / Double(max(means.count, 1))
    return means.map { $0 / (layerMean + 1e-9) }
  }

  /// The units whose ReDo score is at most τ, in index order.
  ///
  /// These are the units ReDo recycles. τ = 0 selects only units that never fire.
  /// - Parameters:
  ///   - scores: Scores from `dormantScores(activations:count:width:)`.
  ///   - tau: The threshold τ (0.025 or 0.1 in the paper, 0 in dopamine's defaults).
  /// - Returns: Indices i with s_i ≤ τ.
  public static func dormantUnits(scores: [Double], tau: Double) -> [Int] {
    scores.indices.filter { scores[$0] <= tau }
  }

  /// The fraction of units whose ReDo score is at most τ.
  /// - Parameters:
  ///   - scores: Scores from `dormantScores(activations:count:width:)`.
  ///   - tau: The threshold τ.
  /// - Returns: A fraction in [0, 1]; 0 for an empty layer.
  public static func dormantFraction(scores: [Double], tau: Double) -> Double {
    guard !scores.isEmpty else { return 0 }
    return Double(scores.lazy.filter { $0 <= tau }.count) / Double(scores.count)
  }

  /// The number of dead units: those whose activation is exactly 0 on every probe example.
  ///
  /// LoP's and L2 Init's definition for ReLU layers. On the same probe set it counts the same
  /// units as τ = 0 dormancy, without the averaging.
  /// - Parameters:
  ///   - activations: `count × width` post-activations, row-major (one example per row).
  ///   - count: The number of rows; at least 1.
  ///   - width: The number of units.
  /// - Returns: A count in 0...width.
  /// - Complexity: O(count · width).
  public static func deadUnits(activations: UnsafePointer<Float>, count: Int, width: Int) -> Int {
    precondition(count > 0 && width >= 0, "dead units need at least one probe example")
    var fired = [Bool](repeating: false, count: width)
    fired.withUnsafeMutableBufferPointer { f in
      for r in 0..<count {
        let row = activations + r * width
        for i in 0..<width where row[i] != 0 { f[i] = true }
      }
    }
    return fired.lazy.filter { !$0 }.count
  }

  /// min{k : Σ_{i≤k} v_i ≥ share·Σv} over v = σ or σ²; 0 when Σv = 0.
  private static func leadingCount(_ values: [Double], share: Double, squared: Bool) -> Int {
    let total = values.reduce(0) { $0 + (squared ? $1 * $1 : $1) }
    guard total > 0 else { return 0 }
    let target = share * total
    var cumulative = 0.0
    for (i, sigma) in values.enumerated() {
      cumulative += squared ? sigma * sigma : sigma
      if cumulative >= target { return i + 1 }
    }
    // Unreachable for share ≤ 1: the running sum ends at the total, summed in the same order.
    return values.count
  }
}
