import EngramContinual
import EngramLinalg
import EngramNN
import EngramRandom
import EngramTheory
import Foundation

/// Predicts whether replaying m samples of the previous task will help or hurt before the next
/// task is trained, from the network linearised at its current weights.
///
/// The network's last-layer features (the penultimate activations plus a constant for the
/// bias) turn each task into a linear-regression task whose rows are the feature vectors. Real
/// feature matrices have full rank, so each task is represented by its principal subspace: the
/// top singular directions holding a share `energy` of the squared feature mass. On those
/// subspaces the theory engine computes exactly what replay does to the last layer's error
/// (reference/replay-theory.md §1.3, §3.5): the expected forgetting ‖Π₁P̃₂P₁w\*‖² with m replayed
/// task-1 feature rows (random memories, Monte Carlo) against the same without replay, averaged
/// over w\* ~ N(0, I) as in Proposition 3.6 (the target is unknown). The ratio is one of means
/// over the w\* draws, with a delta-method standard error over them.
///
/// Confidence combines the Monte Carlo evidence (|z| of the predicted change) with robustness:
/// the call is repeated for energies 0.9, 0.95 and 0.99 and counts as high only when all agree.
/// When ‖P₂P₁‖ ≤ √2/2 on the principal subspaces, Proposition 3.6 says replay cannot hurt at all.
public struct ReplayAdvisor: Sendable {
  /// The energies tried; the middle one is the headline.
  public static let energies = [0.9, 0.95, 0.99]

  /// Which of `count` energies gives the headline ratio: the middle one.
  public static func headline(of count: Int) -> Int { count / 2 }

  /// One memory size's advice.
  public struct Advice: Sendable, Codable, Equatable {
    /// Replayed samples.
    public var memory: Int
    /// Predicted forgetting with m samples divided by that without replay (headline energy).
    public var ratio: Double
    /// Its standard error.
    public var standardError: Double
    /// "hurts", "helps" or "no clear effect".
    public var direction: String
    /// "high", "medium" or "low".
    public var confidence: String
    /// The ratio at each energy of `energies`.
    public var ratios: [Double]
  }

  /// Feature rows of the previous task (n₁ × d).
  public let previous: Matrix<Double>
  /// Feature rows of the next task (n₂ × d).
  public let next: Matrix<Double>

  /// An advisor from feature matrices.
  public init(previous: Matrix<Double>, next: Matrix<Double>) {
    self.previous = previous
    self.next = next
  }

  /// An advisor from a network and the two tasks' training examples (up to `samples` of each,
  /// drawn with `rng`).
  public init(
    model: Model, stream: TaskStream, previousTask: Int, nextTask: Int, samples: Int,
    rng: inout RandomStream
  ) {
    previous = ReplayAdvisor.features(
      model: model, stream: stream, task: previousTask, samples: samples, rng: &rng)
    next = ReplayAdvisor.features(
      model: model, stream: stream, task: nextTask, samples: samples, rng: &rng)
  }

  /// Penultimate activations (with a trailing 1) of up to `samples` training examples of `task`.
  public static func features(
    model: Model, stream: TaskStream, task: Int, samples: Int, rng: inout RandomStream
  ) -> Matrix<Double> {
    var indices = Array(stream.trainingViews[task].indices)
    let picked = Array(
      rng.sampleWithoutReplacement(min(samples, indices.count), from: &indices))
    let examples = picked.map { stream.trainingViews[task][$0] }
    let reader = StreamBatchReader(stream: stream)
    let chunk = 500
    model.prepare(batchCapacity: chunk)
    let inputs = Tensor(rows: chunk, columns: model.inputWidth)
    var labels = [Int32](repeating: 0, count: chunk)
    var rows: [Double] = []
    var width = 0
    var start = 0
    while start < examples.count {
      let part = examples[start..<min(start + chunk, examples.count)]
      labels.withUnsafeMutableBufferPointer {
        reader.read(part, into: inputs, start: 0, labels: $0.baseAddress!)
      }
      _ = model.forward(inputs.prefix(rows: part.count), mode: .inference)
      let features = model.penultimate!
      width = features.columns + 1
      for r in 0..<part.count {
        for c in 0..<features.columns { rows.append(Double(features[r, c])) }
        rows.append(1)
      }
      start += part.count
    }
    return (try? Matrix(rows: examples.count, columns: width, elements: rows))
      ?? Matrix(rows: 0, columns: width)
  }

  /// A matrix's right singular directions, strongest first, with their share of ‖x‖_F²: one
  /// SVD serves every energy.
  struct PrincipalDirections {
    let vt: Matrix<Double>
    let squares: [Double]

    init(_ x: Matrix<Double>) throws {
      let svd = try x.singularValueDecomposition()
      vt = svd.vt
      squares = svd.singularValues.map { $0 * $0 }
    }

    /// The orthonormal basis (rows) of the top directions holding `energy` of ‖x‖_F².
    func basis(energy: Double) -> Matrix<Double> {
      let total = squares.reduce(0, +)
      var kept = 0
      var running = 0.0
      while kept < squares.count && running < energy * total {
        running += squares[kept]
        kept += 1
      }
      return vt.prefixRows(max(1, kept))
    }
  }

  /// Predicted forgetting ratios for each memory size at one energy: the expected forgetting
  /// with m random replayed samples over the expected forgetting without replay, both averaged
  /// over targets w\* ~ N(0, I) (a ratio of means: a mean of per-target ratios would be ruled by
  /// the targets that forget almost nothing). The standard error is the delta method's over the
  /// targets. Each target and each (target, m) has its own named stream, so every energy sees
  /// the same targets and the value for one m does not depend on which other m are asked for.
  func ratios(
    memories: [Int], b1: Matrix<Double>, b2: Matrix<Double>, targets: Int, draws: Int,
    streams: RandomStreams
  ) throws -> (ratio: [Double], standardError: [Double], cannotHurt: Bool) {
    // Replayed rows live in the previous task's subspace, as in the theory.
    let coordinates = try previous.multiplied(by: b1, transposingOther: true)
    let pool = try coordinates * b1
    let geometry = try TwoTaskGeometry(first: b1, second: b2)
    var bases: [Double] = []
    var scale = 0.0
    var withReplay = [[Double]](repeating: [], count: memories.count)
    for t in 0..<targets {
      var w = [Double](repeating: 0, count: previous.columns)
      var target = streams.stream(StreamName("advice-target-\(t)"))
      w.withUnsafeMutableBufferPointer { target.fillGaussian($0) }
      let experiment = try ReplayExperiment(
        sequence: try TaskSequence(tasks: [b1, b2], groundTruth: w), order: [0, 1],
        replayTask: 1, pool: .rows(pool), measure: .expectedTest, normalization: .m25)
      bases.append(experiment.noReplayForgetting)
      scale += try b1.multiplied(by: w).reduce(0) { $0 + $1 * $1 } / Double(targets)
      for (i, m) in memories.enumerated() {
        var replay = streams.stream(StreamName("advice-target-\(t)-memory-\(m)"))
        withReplay[i].append(
          try experiment.expectedForgetting(memory: m, draws: draws, using: &replay).mean)
      }
    }
    let base = Statistics.mean(bases)
    // Below round-off of the previous task's part of w*, nothing is forgotten.
    guard base > 1e-12 * scale else {
      // Nothing is forgotten without replay, so replay can only add forgetting.
      return (
        withReplay.map { Statistics.mean($0) > 1e-12 * scale ? .infinity : 1 },
        withReplay.map { _ in 0 }, geometry.replayCannotHurtOnAverage
      )
    }
    let n = Double(bases.count)
    var ratio: [Double] = []
    var standardError: [Double] = []
    for values in withReplay {
      let r = Statistics.mean(values) / base
      // Var(r) ≈ Var(F_m − r F_0) / (n E[F_0]²), from the per-target residuals.
      let residuals = zip(values, bases).map { $0 - r * $1 }
      ratio.append(r)
      standardError.append(Statistics.standardDeviation(residuals) / (base * n.squareRoot()))
    }
    return (ratio, standardError, geometry.replayCannotHurtOnAverage)
  }

  /// Advice for each memory size (0 is added as the reference when missing).
  /// - Throws: linear-algebra errors; `TheoryError.memoryTooLarge` for m above the feature rows.
  public func advise(
    memories: [Int], energies: [Double] = ReplayAdvisor.energies, targets: Int = 64,
    draws: Int = 64, seed: UInt64 = 0
  ) throws -> (advice: [Advice], cannotHurt: Bool, dimensions: [Int]) {
    let streams = RandomStreams(seed: seed)
    var byEnergy: [(ratio: [Double], standardError: [Double], cannotHurt: Bool)] = []
    var dimensions: [Int] = []
    let previousDirections = try PrincipalDirections(previous)
    let nextDirections = try PrincipalDirections(next)
    for energy in energies {
      let b1 = previousDirections.basis(energy: energy)
      dimensions.append(b1.rows)
      byEnergy.append(
        try ratios(
          memories: memories, b1: b1, b2: nextDirections.basis(energy: energy), targets: targets,
          draws: draws, streams: streams))
    }
    let headline = byEnergy[Self.headline(of: byEnergy.count)]
    func call(_ ratio: Double, _ se: Double) -> String {
      if ratio - 1 > 2 * se && ratio > 1.001 { return "hurts" }
      if 1 - ratio > 2 * se && ratio < 0.999 { return "helps" }
      return "no clear effect"
    }
    let advice = memories.enumerated().map { i, m -> Advice in
      let ratio = headline.ratio[i]
      let se = headline.standardError[i]
      let direction = m == 0 ? "reference" : call(ratio, se)
      let agreeing = byEnergy.filter { call($0.ratio[i], $0.standardError[i]) == direction }.count
      let z = se > 0 ? abs(ratio - 1) / se : (ratio == 1 ? 0 : .infinity)
      let confidence: String
      if m == 0 {
        confidence = "–"
      } else if agreeing == byEnergy.count && z > 3 {
        confidence = "high"
      } else if agreeing >= 2 {
        confidence = "medium"
      } else {
        confidence = "low"
      }
      return Advice(
        memory: m, ratio: ratio, standardError: se, direction: direction, confidence: confidence,
        ratios: byEnergy.map { $0.ratio[i] })
    }
    return (advice, headline.cannotHurt, dimensions)
  }
}
