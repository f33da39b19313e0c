import Foundation

/// Summary statistics over seeds, and the Student-t distribution they need.
public enum Statistics {
  /// The mean (nan when empty).
  public static func mean(_ values: [Double]) -> Double {
    values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
  }

  /// The sample standard deviation (n − 1; 0 for a single value, nan when empty).
  public static func standardDeviation(_ values: [Double]) -> Double {
    guard values.count > 1 else { return values.isEmpty ? .nan : 0 }
    let m = mean(values)
    return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
  }

  /// Half-width of the two-sided `level` confidence interval of the mean (Student t,
  /// n − 1 degrees of freedom); nan for fewer than two values.
  public static func confidenceHalfWidth(_ values: [Double], level: Double = 0.95) -> Double {
    guard values.count > 1 else { return .nan }
    let t = studentTQuantile(0.5 + level / 2, degreesOfFreedom: Double(values.count - 1))
    return t * standardDeviation(values) / Double(values.count).squareRoot()
  }

  /// P(T ≤ t) for Student's t with `df` degrees of freedom.
  public static func studentTCDF(_ t: Double, degreesOfFreedom df: Double) -> Double {
    guard t.isFinite else { return t > 0 ? 1 : 0 }
    let x = df / (df + t * t)
    let tail = 0.5 * regularizedIncompleteBeta(x, a: df / 2, b: 0.5)
    return t > 0 ? 1 - tail : tail
  }

  /// The `p` quantile of Student's t (bisection on the CDF; |error| < 1e-10).
  public static func studentTQuantile(_ p: Double, degreesOfFreedom df: Double) -> Double {
    precondition(p > 0 && p < 1, "quantile level must lie in (0, 1)")
    var low = -1e3
    var high = 1e3
    for _ in 0..<200 {
      let mid = (low + high) / 2
      if studentTCDF(mid, degreesOfFreedom: df) < p { low = mid } else { high = mid }
      if high - low < 1e-12 { break }
    }
    return (low + high) / 2
  }

  /// Welch's two-sample t-test: the statistic (mean a − mean b over its standard error),
  /// the Welch–Satterthwaite degrees of freedom and the two-sided p-value. Nil when either
  /// sample has fewer than two values or both have no spread.
  public static func welch(_ a: [Double], _ b: [Double]) -> (t: Double, df: Double, p: Double)? {
    guard a.count > 1, b.count > 1 else { return nil }
    let va = pow(standardDeviation(a), 2) / Double(a.count)
    let vb = pow(standardDeviation(b), 2) / Double(b.count)
    guard va + vb > 0 else { return nil }
    let t = (mean(a) - mean(b)) / (va + vb).squareRoot()
    let denominator: Double = va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1)
    let df: Double = (va + vb) * (va + vb) / denominator
    let p = 2 * (1 - studentTCDF(abs(t), degreesOfFreedom: df))
    return (t, df, min(1, max(0, p)))
  }

  /// The paired t-test of differences a − b (one-sample t on them, n − 1 degrees of freedom):
  /// the statistic and two-sided p-value. Nil for fewer than two pairs or unequal lengths;
  /// identical differences give p = 1 when they are all zero and p = 0 otherwise.
  public static func pairedT(_ a: [Double], _ b: [Double]) -> (t: Double, p: Double)? {
    guard a.count == b.count, a.count > 1 else { return nil }
    let d = zip(a, b).map { $0 - $1 }
    let m = mean(d)
    let se = standardDeviation(d) / Double(d.count).squareRoot()
    guard se > 0 else { return m == 0 ? (0, 1) : (m > 0 ? .infinity : -.infinity, 0) }
    let t = m / se
    let p = 2 * (1 - studentTCDF(abs(t), degreesOfFreedom: Double(d.count - 1)))
    return (t, min(1, max(0, p)))
  }

  /// I_x(a, b), the regularized incomplete beta function (continued fraction, Lentz).
  static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
    let logPowers: Double = a * log(x) + b * log(1 - x)
    let front = exp(logGammas + logPowers)
    // The fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
    if x > (a + 1) / (a + b + 2) {
      return 1 - regularizedIncompleteBeta(1 - x, a: b, b: a)
    }
    let tiny = 1e-300
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for m in 1...300 {
      let m = Double(m)
      var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
      d = 1 + numerator * d
      if abs(d) < tiny { d = tiny }
      c = 1 + numerator / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      h *= d * c
      numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
      d = 1 + numerator * d
      if abs(d) < tiny { d = tiny }
      c = 1 + numerator / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-15 { break }
    }
    return front * h / a
  }
}
