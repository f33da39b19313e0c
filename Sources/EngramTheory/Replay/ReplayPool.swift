import EngramLinalg

/// Where replayed samples are drawn from.
public enum ReplayPool: Sendable, Equatable {
  /// A fixed set of candidate rows (typically an earlier task's training samples); a draw
  /// picks m of them uniformly without replacement.
  case rows(Matrix<Double>)
  /// Fresh samples of the average-case model on a subspace: x = Bᵀz with z ~ N(0, I_k/k),
  /// B the k × d orthonormal basis (Mahdaviyeh et al., Equation 5), out of `samples`
  /// training samples.
  ///
  /// Picking m of n i.i.d. samples without replacement has the same distribution as drawing
  /// m fresh ones, so draws sample m fresh rows and `samples` only bounds m.
  case subspace(basis: Matrix<Double>, samples: Int)

  /// How many samples a memory can draw from.
  public var available: Int {
    switch self {
    case .rows(let x): return x.rows
    case .subspace(_, let samples): return samples
    }
  }

  /// The ambient dimension.
  public var dimension: Int {
    switch self {
    case .rows(let x): return x.columns
    case .subspace(let basis, _): return basis.columns
    }
  }
}

/// Which loss per task enters forgetting.
public enum ForgettingMeasure: String, Sendable, CaseIterable, Codable {
  /// ‖Π_t·(w − w\*)‖², the expectation over fresh test samples (Proposition 3.4, Claim C.2).
  case expectedTest = "expected-test"
  /// ‖X_t·w − y_t‖² on the task's training samples (Definition 2.3).
  case trainingSamples = "training-samples"
}

/// A Monte Carlo (or exact) estimate of an expectation.
public struct ExpectationEstimate: Sendable, Equatable, Codable {
  /// How the value was obtained.
  public enum Method: String, Sendable, Codable {
    /// Average over random draws; `standardError` is the sample standard deviation / √draws.
    case monteCarlo = "monte-carlo"
    /// Average over every possible memory (few enough to enumerate); exact.
    case enumeration
    /// No randomness involved (no replay, or a memory that is the whole pool).
    case deterministic
  }

  /// The estimated expectation.
  public let mean: Double
  /// Its standard error (0 when exact).
  public let standardError: Double
  /// Number of memories averaged.
  public let draws: Int
  /// How the value was obtained.
  public let method: Method

  /// An estimate with known parts.
  public init(mean: Double, standardError: Double, draws: Int, method: Method) {
    self.mean = mean
    self.standardError = standardError
    self.draws = draws
    self.method = method
  }

  /// The Monte Carlo estimate from sampled values: their mean, with standard error s/√n
  /// (s the sample standard deviation, n − 1 in its denominator).
  public static func monteCarlo(_ values: [Double]) -> ExpectationEstimate {
    let n = Double(values.count)
    let mean = values.reduce(0, +) / n
    let variance =
      values.count > 1 ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
    return ExpectationEstimate(
      mean: mean, standardError: (variance / n).squareRoot(), draws: values.count,
      method: .monteCarlo)
  }
}
