import EngramLinalg
import EngramRandom

/// Forgetting of one task sequence as a function of the replay memory, evaluated fast enough
/// for Monte Carlo over thousands of memories.
///
/// Works in the projection form of the minimum-norm update: with e = w − w\*, each iteration
/// applies e ← P̃_t·e, where P̃_t projects onto the null space of the task's rows (plus the
/// memory, for the replay task) — reference/replay-theory.md §1.2–1.3. Task bases are
/// computed once (SVD); the error before the replay task's first visit is computed once; a
/// draw then costs one pivoted QR of the memory and a few gemv calls, in preallocated buffers.
/// `ContinualRegression` computes the same quantities literally; the tests compare them.
public struct ReplayExperiment: Sendable {
  /// The tasks and ground truth.
  public let sequence: TaskSequence
  /// The order trained.
  public let order: [Int]
  /// The task that receives replay.
  public let replayTask: Int
  /// Where memories come from.
  public let pool: ReplayPool
  /// The task the pool's samples belong to (for messages).
  public let poolTask: Int
  /// Which loss enters forgetting.
  public let measure: ForgettingMeasure
  /// How losses are averaged.
  public let normalization: ForgettingNormalization

  let bases: [Matrix<Double>]
  let weights: [Double]  // per task: its share of the normalised average
  let prefixError: [Double]  // e before the replay task's first visit
  let suffix: [Int]  // the order from that visit on
  let tolerance: RankTolerance

  /// Prepares an experiment.
  /// - Throws: `TheoryError.invalidSpec` for an invalid order, a replay task that is never
  ///   trained, or a pool of the wrong dimension; linear-algebra errors.
  public init(
    sequence: TaskSequence, order: [Int], replayTask: Int, pool: ReplayPool, poolTask: Int = 0,
    measure: ForgettingMeasure = .expectedTest, normalization: ForgettingNormalization = .m25,
    tolerance: RankTolerance = .automatic
  ) throws {
    _ = try TaskOrder.explicit(order).indices(taskCount: sequence.count)
    try Replay(task: replayTask, rows: Matrix(rows: 0, columns: sequence.dimension))
      .validate(against: sequence, order: order)
    guard pool.dimension == sequence.dimension else {
      throw TheoryError.invalidSpec(
        file: nil, field: "replay pool",
        problem: "samples have \(pool.dimension) entries but w_star has \(sequence.dimension)")
    }
    self.sequence = sequence
    self.order = order
    self.replayTask = replayTask
    self.pool = pool
    self.poolTask = poolTask
    self.measure = measure
    self.normalization = normalization
    self.tolerance = tolerance
    self.bases = try sequence.tasks.map { x in
      try linalg { try x.rowSpaceBasis(tolerance: tolerance) }
    }

    var shares = [Double](repeating: 0, count: sequence.count)
    let k = order.count
    if k >= 2 {
      let counted = normalization == .m25 ? order.dropLast() : order[...]
      let denominator = Double(normalization == .m25 ? k - 1 : k)
      for t in counted { shares[t] += 1 / denominator }
    }
    self.weights = shares

    let first = order.firstIndex(of: replayTask) ?? 0
    var e = sequence.groundTruth.map { -$0 }
    var scratch = [Double](repeating: 0, count: max(1, bases.map(\.rows).max() ?? 1))
    for t in order[..<first] {
      ReplayExperiment.removeComponents(of: bases[t], from: &e, scratch: &scratch)
    }
    self.prefixError = e
    self.suffix = Array(order[first...])
  }

  /// Forgetting without replay.
  public var noReplayForgetting: Double {
    let workspace = Workspace(experiment: self, memory: 0)
    return workspace.forgettingOfCurrentMemory(experiment: self, memoryRows: 0)
  }

  /// Forgetting when `memory` (m × d) is replayed into the replay task.
  /// - Throws: `TheoryError.invalidSpec` for rows of the wrong width.
  public func forgetting(replaying memory: Matrix<Double>) throws -> Double {
    guard memory.rows == 0 || memory.columns == sequence.dimension else {
      throw TheoryError.invalidSpec(
        file: nil, field: "replay.rows",
        problem: "rows have \(memory.columns) entries but w_star has \(sequence.dimension)")
    }
    let workspace = Workspace(experiment: self, memory: memory.rows)
    workspace.load(memory)
    return try workspace.forgetting(experiment: self, memoryRows: memory.rows)
  }

  /// Forgetting when the pool rows at `indices` are replayed (`.rows` pools only).
  /// - Throws: `TheoryError.unsupportedParameter` for a subspace pool.
  public func forgetting(replayingPoolRows indices: [Int]) throws -> Double {
    guard case .rows(let candidates) = pool else {
      throw TheoryError.unsupportedParameter(
        name: "explicit replay indices", context: "a subspace pool",
        hint: "draw memories with expectedForgetting(memory:draws:using:) instead")
    }
    return try forgetting(replaying: candidates.selectingRows(indices))
  }

  /// The expected forgetting over random memories of `memory` samples from the pool.
  ///
  /// For a `.rows` pool with at most `draws` possible memories, every memory is enumerated and
  /// the result is exact; otherwise `draws` memories are drawn (Monte Carlo) from `stream`.
  /// - Throws: `TheoryError.memoryTooLarge` when m exceeds the pool;
  ///   `TheoryError.parameterOutOfRange` for m < 0 or draws < 1.
  /// - Complexity: O(draws · (m·d·(m + r) + Σ r_t·d)).
  public func expectedForgetting(memory m: Int, draws: Int, using stream: inout RandomStream)
    throws -> ExpectationEstimate
  {
    guard m >= 0 else {
      throw TheoryError.parameterOutOfRange(name: "memory", value: "\(m)", allowed: "at least 0")
    }
    guard m <= pool.available else {
      throw TheoryError.memoryTooLarge(requested: m, available: pool.available, task: poolTask)
    }
    guard draws >= 1 else {
      throw TheoryError.parameterOutOfRange(name: "draws", value: "\(draws)", allowed: "at least 1")
    }
    let workspace = Workspace(experiment: self, memory: m)
    if m == 0 {
      let value = workspace.forgettingOfCurrentMemory(experiment: self, memoryRows: 0)
      return ExpectationEstimate(mean: value, standardError: 0, draws: 1, method: .deterministic)
    }
    switch pool {
    case .rows(let candidates):
      if let subsets = combinationCount(candidates.rows, m), subsets <= draws {
        var total = 0.0
        var count = 0
        try forEachCombination(candidates.rows, m) { indices in
          workspace.loadRows(of: candidates, at: indices)
          total += try workspace.forgetting(experiment: self, memoryRows: m)
          count += 1
        }
        return ExpectationEstimate(
          mean: total / Double(count), standardError: 0, draws: count,
          method: count == 1 ? .deterministic : .enumeration)
      }
      var scratch = Array(0..<candidates.rows)
      var values: [Double] = []
      values.reserveCapacity(draws)
      for _ in 0..<draws {
        let picked = stream.sampleWithoutReplacement(m, from: &scratch)
        workspace.loadRows(of: candidates, at: picked)
        values.append(try workspace.forgetting(experiment: self, memoryRows: m))
      }
      return .monteCarlo(values)
    case .subspace(let basis, _):
      var values: [Double] = []
      values.reserveCapacity(draws)
      for _ in 0..<draws {
        workspace.sampleSubspace(basis: basis, count: m, using: &stream)
        values.append(try workspace.forgetting(experiment: self, memoryRows: m))
      }
      return .monteCarlo(values)
    }
  }

  /// e ← e − Bᵀ(B·e) for a basis B with orthonormal rows.
  static func removeComponents(
    of basis: Matrix<Double>, from e: inout [Double], scratch: inout [Double]
  ) {
    basis.withUnsafeBufferPointer { b in
      removeComponents(of: b, rows: basis.rows, from: &e, scratch: &scratch)
    }
  }

  /// e ← e − Bᵀ(B·e) for `rows` orthonormal rows of width e.count stored at `basis`.
  static func removeComponents(
    of basis: UnsafeBufferPointer<Double>, rows r: Int, from e: inout [Double],
    scratch: inout [Double]
  ) {
    if r == 0 { return }
    let d = e.count
    e.withUnsafeMutableBufferPointer { ep in
      scratch.withUnsafeMutableBufferPointer { c in
        Double._gemv(
          transpose: false, m: r, n: d, alpha: 1, a: basis.baseAddress!, lda: d,
          x: ep.baseAddress!, beta: 0, y: c.baseAddress!)
        Double._gemv(
          transpose: true, m: r, n: d, alpha: -1, a: basis.baseAddress!, lda: d,
          x: c.baseAddress!, beta: 1, y: ep.baseAddress!)
      }
    }
  }

  /// Per-draw buffers; one per call so that experiments stay values and thread-safe.
  final class Workspace {
    let d: Int
    var memory: [Double]  // m × d
    var gaussian: [Double]  // m × k
    var coefficients: [Double]  // m × r_replay
    var qr: RowSpaceQR<Double>
    var e: [Double]
    var scratch: [Double]
    var rank = 0

    init(experiment: ReplayExperiment, memory m: Int) {
      d = experiment.sequence.dimension
      let r = experiment.bases[experiment.replayTask].rows
      let k: Int
      if case .subspace(let basis, _) = experiment.pool { k = basis.rows } else { k = 0 }
      memory = Array(repeating: 0, count: max(1, m * d))
      gaussian = Array(repeating: 0, count: max(1, m * k))
      coefficients = Array(repeating: 0, count: max(1, m * r))
      qr = RowSpaceQR(dimension: d, maximumRows: m)
      e = Array(repeating: 0, count: d)
      let widest = max(
        m, experiment.bases.map(\.rows).max() ?? 0, experiment.sequence.tasks.map(\.rows).max() ?? 0
      )
      scratch = Array(repeating: 0, count: max(1, widest))
    }

    func load(_ rows: Matrix<Double>) {
      rows.withUnsafeBufferPointer { src in
        memory.withUnsafeMutableBufferPointer { dst in
          for i in 0..<src.count { dst[i] = src[i] }
        }
      }
    }

    func loadRows<S: Collection>(of candidates: Matrix<Double>, at indices: S)
    where S.Element == Int {
      let d = self.d
      candidates.withUnsafeBufferPointer { src in
        memory.withUnsafeMutableBufferPointer { dst in
          for (slot, i) in indices.enumerated() {
            for j in 0..<d { dst[slot * d + j] = src[i * d + j] }
          }
        }
      }
    }

    /// m rows Bᵀz with z ~ N(0, I_k/k), as one gemm.
    func sampleSubspace(basis: Matrix<Double>, count m: Int, using stream: inout RandomStream) {
      let k = basis.rows
      let d = self.d
      gaussian.withUnsafeMutableBufferPointer { z in
        stream.fillGaussian(
          UnsafeMutableBufferPointer(rebasing: z[0..<(m * k)]),
          standardDeviation: 1 / Double(k).squareRoot())
        basis.withUnsafeBufferPointer { b in
          memory.withUnsafeMutableBufferPointer { x in
            Double._gemm(
              transposeA: false, transposeB: false, m: m, n: d, k: k, alpha: 1, a: z.baseAddress!,
              lda: k, b: b.baseAddress!, ldb: d, beta: 0, c: x.baseAddress!, ldc: d)
          }
        }
      }
    }

    /// Orthonormalises the memory against the replay task's basis, then runs the suffix.
    func forgetting(experiment: ReplayExperiment, memoryRows m: Int) throws -> Double {
      rank = 0
      if m > 0 {
        let basis = experiment.bases[experiment.replayTask]
        let r = basis.rows
        let d = self.d
        // The rank cut must be absolute: a replayed row inside the task's span leaves a
        // residual of pure rounding, which a relative cut would call rank one.
        var largest = 0.0
        for i in 0..<m {
          var s = 0.0
          for j in 0..<d { s += memory[i * d + j] * memory[i * d + j] }
          largest = max(largest, s)
        }
        let cut = Double(max(d, m + r)) * Double.ulpOfOne * largest.squareRoot()
        if r > 0 {
          // R = M − (M·Bᵀ)·B: the memory's part outside the task's own row space.
          basis.withUnsafeBufferPointer { b in
            memory.withUnsafeMutableBufferPointer { x in
              coefficients.withUnsafeMutableBufferPointer { c in
                Double._gemm(
                  transposeA: false, transposeB: true, m: m, n: r, k: d, alpha: 1,
                  a: x.baseAddress!, lda: d, b: b.baseAddress!, ldb: d, beta: 0,
                  c: c.baseAddress!, ldc: r)
                Double._gemm(
                  transposeA: false, transposeB: false, m: m, n: d, k: r, alpha: -1,
                  a: c.baseAddress!, lda: r, b: b.baseAddress!, ldb: d, beta: 1,
                  c: x.baseAddress!, ldc: d)
              }
            }
          }
        }
        let residualLargest = (0..<m).reduce(0.0) { acc, i in
          var s = 0.0
          for j in 0..<d { s += memory[i * d + j] * memory[i * d + j] }
          return max(acc, s)
        }
        if residualLargest.squareRoot() > cut {
          rank = try memory.withUnsafeBufferPointer { x in
            try linalg { try qr.factor(rows: x, count: m, tolerance: .absolute(cut)) }
          }
        }
      }
      return forgettingOfCurrentMemory(experiment: experiment, memoryRows: m)
    }

    /// Runs the suffix of the order with the memory basis from the last `forgetting` call.
    func forgettingOfCurrentMemory(experiment: ReplayExperiment, memoryRows m: Int) -> Double {
      for i in 0..<d { e[i] = experiment.prefixError[i] }
      for t in experiment.suffix {
        ReplayExperiment.removeComponents(of: experiment.bases[t], from: &e, scratch: &scratch)
        if t == experiment.replayTask && rank > 0 {
          qr.withBasis(rank: rank) { q in
            ReplayExperiment.removeComponents(of: q, rows: rank, from: &e, scratch: &scratch)
          }
        }
      }
      var total = 0.0
      for (t, share) in experiment.weights.enumerated() where share > 0 {
        let matrix =
          experiment.measure == .expectedTest ? experiment.bases[t] : experiment.sequence.tasks[t]
        total += share * Workspace.squaredNorm(of: matrix, times: e, scratch: &scratch)
      }
      return total
    }

    /// ‖A·v‖² through one gemv.
    static func squaredNorm(of a: Matrix<Double>, times v: [Double], scratch: inout [Double])
      -> Double
    {
      let n = a.rows
      if n == 0 { return 0 }
      return a.withUnsafeBufferPointer { ap in
        v.withUnsafeBufferPointer { vp in
          scratch.withUnsafeMutableBufferPointer { y in
            Double._gemv(
              transpose: false, m: n, n: a.columns, alpha: 1, a: ap.baseAddress!, lda: a.columns,
              x: vp.baseAddress!, beta: 0, y: y.baseAddress!)
            return Double._dot(n: n, x: y.baseAddress!, y: y.baseAddress!)
          }
        }
      }
    }
  }
}

/// C(n, k) if it fits in an Int, else nil.
func combinationCount(_ n: Int, _ k: Int) -> Int? {
  guard k >= 0, k <= n else { return 0 }
  let k = min(k, n - k)
  var result = 1
  for i in 0..<k {
    let (product, overflow) = result.multipliedReportingOverflow(by: n - i)
    if overflow { return nil }
    result = product / (i + 1)
  }
  return result
}

/// Calls `body` with every k-subset of 0..<n in lexicographic order.
func forEachCombination(_ n: Int, _ k: Int, _ body: ([Int]) throws -> Void) rethrows {
  guard k <= n else { return }
  var indices = Array(0..<k)
  while true {
    try body(indices)
    var i = k - 1
    while i >= 0 && indices[i] == n - k + i { i -= 1 }
    if i < 0 { return }
    indices[i] += 1
    for j in (i + 1)..<k { indices[j] = indices[j - 1] + 1 }
  }
}
