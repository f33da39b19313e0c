import EngramLinalg

/// Forgetting in expectation over a random ground truth w\* ~ N(0, σ²·I).
///
/// With B = P̃_{τ(k)}⋯P̃_{τ(1)} the product of null-space projections along the order,
/// w_k − w\* = −B·w\*, so E‖A·(w_k − w\*)‖² = σ²·‖A·B‖²_F. For two tasks and the test measure
/// this is Proposition 3.6's trace formula, tr(AᵀA − (AᵀA)²) with A = P₂P₁
/// (reference/replay-theory.md §3.5). It needs no sampling: it is exact.
public enum GroundTruthExpectation {
  /// E over w\* ~ N(0, σ²I) of the forgetting of `sequence`'s tasks trained in `order`, with
  /// optional replay. `sequence.groundTruth` is ignored.
  /// - Throws: `TheoryError.invalidSpec` for an invalid order or replay; linear-algebra errors.
  /// - Complexity: O(k·r·d²) for k iterations of rank ≤ r in dimension d.
  public static func forgetting(
    of sequence: TaskSequence, order: [Int], replay: Replay? = nil,
    measure: ForgettingMeasure = .expectedTest, normalization: ForgettingNormalization = .m25,
    variance: Double = 1, tolerance: RankTolerance = .automatic
  ) throws -> Double {
    _ = try TaskOrder.explicit(order).indices(taskCount: sequence.count)
    try replay?.validate(against: sequence, order: order)
    let d = sequence.dimension
    var bases = try sequence.tasks.map { x in
      try linalg { try x.rowSpaceBasis(tolerance: tolerance) }
    }
    let trainingBases = try bases.indices.map { t -> Matrix<Double> in
      guard let replay, replay.task == t else { return bases[t] }
      return try linalg {
        try sequence.tasks[t].appendingRows(of: replay.rows).rowSpaceBasis(tolerance: tolerance)
      }
    }
    var product = Matrix<Double>.identity(d)
    for t in order {
      // B ← (I − QᵀQ)·B
      let coefficients = try linalg { try trainingBases[t].multiplied(by: product) }
      product = try linalg {
        try product - trainingBases[t].multiplied(by: coefficients, transposingSelf: true)
      }
    }
    if measure == .trainingSamples { bases = sequence.tasks }
    let losses = try order.map { t in
      try linalg { try bases[t].multiplied(by: product).frobeniusNorm }
    }
    return variance * normalization.average(losses.map { $0 * $0 })
  }
}
