import EngramLinalg
import EngramRandom
import EngramTheory

/// Plain SGD on ½-free squared error for a linear model without bias (the theory's model).
enum LinearSGD {
  /// Trains w on (x, y) — plus a replayed (rows, labels) part weighted like the new part —
  /// for the schedule's epochs: loss = mean over new rows + mean over replayed rows of (xᵀw − y)².
  static func train(
    _ w: inout [Double], x: Matrix<Double>, y: [Double], memory: (Matrix<Double>, [Double])?,
    schedule: RegressionSchedule, task: Int, rng: inout RandomStream
  ) throws {
    let d = x.columns
    var gradient = [Double](repeating: 0, count: d)
    try schedule.forEachStep(samples: x.rows, memory: memory?.0.rows ?? 0, task: task, rng: &rng) {
      rows, picked, rate in
      for j in 0..<d { gradient[j] = 0 }
      accumulate(&gradient, w: w, x: x, y: y, rows: rows, scale: 2 / Double(rows.count))
      if let memory, !picked.isEmpty {
        accumulate(
          &gradient, w: w, x: memory.0, y: memory.1, rows: picked,
          scale: 2 / Double(picked.count))
      }
      for j in 0..<d { w[j] -= rate * gradient[j] }
      guard w.allSatisfy(\.isFinite) else {
        throw TheoryError.parameterOutOfRange(
          name: "linear learning rate",
          value: "\(task == 0 ? schedule.firstRate : schedule.secondRate)",
          allowed: "small enough that SGD does not diverge (the weights became non-finite)")
      }
    }
  }

  /// g += scale · Σ_rows x_i (x_iᵀw − y_i).
  static func accumulate<C: Collection>(
    _ g: inout [Double], w: [Double], x: Matrix<Double>, y: [Double], rows: C, scale: Double
  ) where C.Element == Int {
    let d = x.columns
    x.withUnsafeBufferPointer { p in
      for i in rows {
        var r = -y[i]
        for j in 0..<d { r += p[i * d + j] * w[j] }
        let s = scale * r
        for j in 0..<d { g[j] += s * p[i * d + j] }
      }
    }
  }

  /// Mean over rows of (xᵀw − y)².
  static func meanSquaredError(_ w: [Double], x: Matrix<Double>, y: [Double]) -> Double {
    let d = x.columns
    return x.withUnsafeBufferPointer { p in
      var total = 0.0
      for i in 0..<x.rows {
        var r = -y[i]
        for j in 0..<d { r += p[i * d + j] * w[j] }
        total += r * r
      }
      return total / Double(x.rows)
    }
  }
}
