/// How forgetting of a task is measured from the accuracy matrix.
public enum ForgettingConvention: String, Sendable, CaseIterable, Codable {
  /// Chaudhry et al. 2018: best earlier accuracy minus final, max over stages 1…k−1 (default).
  case chaudhry
  /// First recorded minus final, R[j][j] − R[T][j] (Avalanche's `Forgetting`).
  case drop
}

/// Test accuracies after each training stage: R[i][j] is task j's accuracy after training
/// task i (0-based here; the reference writes 1-based), with the field's summary metrics.
///
/// Conventions (DESIGN.md, reference/methods.md §7): averages over tasks seen (not pooled),
/// BWT and FWT divide by T − 1 (Lopez-Paz & Ranzato), forgetting is Chaudhry's by default.
public struct AccuracyMatrix: Sendable, Equatable, Codable {
  /// R, one row per stage.
  public let rows: [[Double]]

  /// A matrix from its rows (T × T).
  public init(rows: [[Double]]) {
    self.rows = rows
  }

  /// Number of tasks T.
  public var taskCount: Int { rows.first?.count ?? 0 }

  /// A_k = mean_{j ≤ k} R[k][j]: average accuracy on the tasks seen after stage k.
  public func averageAccuracy(after k: Int) -> Double {
    let seen = rows[k].prefix(k + 1)
    return seen.reduce(0, +) / Double(seen.count)
  }

  /// ACC = mean_j R[T][j]: the final average accuracy.
  public var finalAverageAccuracy: Double {
    guard let last = rows.last else { return 0 }
    return last.reduce(0, +) / Double(last.count)
  }

  /// (1/T) Σ_k A_k (iCaRL's average incremental accuracy).
  public var averageIncrementalAccuracy: Double {
    rows.indices.map(averageAccuracy(after:)).reduce(0, +) / Double(rows.count)
  }

  /// Forgetting of task j after the last stage.
  public func forgetting(of j: Int, _ convention: ForgettingConvention = .chaudhry) -> Double {
    let last = rows.count - 1
    switch convention {
    case .chaudhry: return (0..<last).map { rows[$0][j] }.max().map { $0 - rows[last][j] } ?? 0
    case .drop: return rows[j][j] - rows[last][j]
    }
  }

  /// F_T = mean over j < T of the forgetting of task j; nil with one task.
  public func averageForgetting(_ convention: ForgettingConvention = .chaudhry) -> Double? {
    let last = rows.count - 1
    guard last >= 1, rows.count == taskCount else { return nil }
    return (0..<last).map { forgetting(of: $0, convention) }.reduce(0, +) / Double(last)
  }

  /// BWT = (1/(T−1)) Σ_{i<T} (R[T][i] − R[i][i]); negative means forgetting.
  public var backwardTransfer: Double? {
    let last = rows.count - 1
    guard last >= 1, rows.count == taskCount else { return nil }
    return (0..<last).map { rows[last][$0] - rows[$0][$0] }.reduce(0, +) / Double(last)
  }

  /// FWT = (1/(T−1)) Σ_{i≥2} (R[i−1][i] − b_i) with b the accuracies of the untrained model
  /// (Lopez-Paz & Ranzato; oracle O1).
  public func forwardTransfer(untrained b: [Double]) -> Double? {
    guard rows.count == taskCount, taskCount >= 2, b.count == taskCount else { return nil }
    return (1..<taskCount).map { rows[$0 - 1][$0] - b[$0] }.reduce(0, +) / Double(taskCount - 1)
  }

  /// FWT against a reference: (1/(T−1)) Σ_{i≥2} (R[i][i] − a*_i), a*_i the accuracy of a fresh
  /// model trained on task i alone — how much earlier tasks help learn task i.
  public func forwardTransfer(reference: [Double]) -> Double? {
    guard rows.count == taskCount, taskCount >= 2, reference.count == taskCount else { return nil }
    return (1..<taskCount).map { rows[$0][$0] - reference[$0] }.reduce(0, +) / Double(taskCount - 1)
  }

  /// LA = (1/T) Σ_i R[i][i]: how well each task is learned when it is current.
  public var learningAccuracy: Double? {
    guard rows.count == taskCount, taskCount >= 1 else { return nil }
    return (0..<taskCount).map { rows[$0][$0] }.reduce(0, +) / Double(taskCount)
  }

  /// Intransigence I_k = a*_k − R[k][k] for each task (Chaudhry et al. 2018).
  public func intransigence(reference: [Double]) -> [Double]? {
    guard rows.count == taskCount, reference.count == taskCount else { return nil }
    return (0..<taskCount).map { reference[$0] - rows[$0][$0] }
  }
}
