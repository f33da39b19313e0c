import EngramLinalg
import EngramRandom

/// Where a task's samples come from: given explicitly, or drawn from the average-case model.
///
/// The average-case model of Mahdaviyeh et al. (2025), §3.2.1, Equation 5: task t lives on a
/// k_t-dimensional subspace with orthonormal basis W_t and each sample is W_t·z with
/// z ~ N(0, I_k/k), so that E‖x‖² = 1 and E[xxᵀ] = Π_t/k.
public enum TaskSource: Sendable, Equatable {
  /// Explicit samples, one per row (n × d).
  case rows(Matrix<Double>)
  /// `samples` Gaussian samples on the span of `basis`'s rows (any spanning rows; they are
  /// orthonormalised first).
  case subspace(basis: Matrix<Double>, samples: Int)

  /// The ambient dimension.
  public var dimension: Int {
    switch self {
    case .rows(let x): return x.columns
    case .subspace(let basis, _): return basis.columns
    }
  }

  /// The task's data matrix: the rows themselves, or fresh samples drawn from `stream`.
  /// - Throws: `TheoryError.invalidSpec` for an empty basis or too few samples to span it;
  ///   linear-algebra errors.
  public func sample(using stream: inout RandomStream) throws -> Matrix<Double> {
    switch self {
    case .rows(let x):
      return x
    case .subspace(_, let samples):
      let orthonormal = try orthonormalBasis()
      guard samples >= orthonormal.rows else {
        throw TheoryError.invalidSpec(
          file: nil, field: "samples",
          problem:
            "\(samples) samples cannot span a \(orthonormal.rows)-dimensional task; use at least \(orthonormal.rows) (Assumption 3.3: n_t ≥ k_t)"
        )
      }
      let z = Matrix<Double>.gaussian(
        rows: samples, columns: orthonormal.rows,
        standardDeviation: 1 / Double(orthonormal.rows).squareRoot(), using: &stream)
      return try linalg { try z * orthonormal }
    }
  }

  /// The orthonormal basis of a subspace source (its rows' span); for explicit rows, of their
  /// row space.
  /// - Throws: `TheoryError.invalidSpec` for a basis of rank 0; linear-algebra errors.
  public func orthonormalBasis() throws -> Matrix<Double> {
    switch self {
    case .rows(let x):
      return try linalg { try x.rowSpaceBasis() }
    case .subspace(let basis, _):
      let orthonormal = try linalg { try basis.rowSpaceBasis() }
      guard orthonormal.rows > 0 else {
        throw TheoryError.invalidSpec(
          file: nil, field: "basis",
          problem: "spans nothing (all rows are zero); give at least one non-zero row")
      }
      return orthonormal
    }
  }

  /// The replay pool this task offers, given its sampled data matrix: its rows, or fresh
  /// samples of its subspace.
  /// - Throws: as `orthonormalBasis()`.
  public func pool(sampled: Matrix<Double>) throws -> ReplayPool {
    switch self {
    case .rows: return .rows(sampled)
    case .subspace(_, let samples):
      return .subspace(basis: try orthonormalBasis(), samples: samples)
    }
  }
}
