import EngramLinalg
import EngramRandom

/// Mahdaviyeh et al. Theorem 3.5 / Figure 1b, and Theorem C.1 as its d = 3 case
/// (reference/replay-theory.md §3.3–3.4, §4.1).
///
/// Task 1 spans {u, v₁, v₃, …, v_{d−1}} with u = εv₂ + √(1−ε²)v_d; task 2 spans v_d. Its null
/// space is u⊥ = √(1−ε²)v₂ − εv_d and w\* = u⊥ (a = 1). Without replay the expected test
/// forgetting is ε²(1 − ε²). For d = 3 one random replay sample gives exactly ε(1 − ε²)/2,
/// i.e. 1/(2ε) times more: with x_r = α₁v₁ + α₂u, forgetting is
/// (α₁²α₂² + α₁⁴)/(ε²α₂² + α₁²)²·ε²(1 − ε²), and t = α₂/α₁ is standard Cauchy, so its mean is
/// (1/π)∫(1 + ε²t²)⁻²dt = 1/(2ε). With m ≥ d − 1 replayed samples task 1 is spanned: zero.
struct SubspaceConstruction {
  let dimension: Int
  let epsilon: Double
  let samples: Int

  func instance(name: String, using stream: inout RandomStream) throws -> ConstructionInstance {
    try requireAtLeast(dimension, 3, name: "dimension")
    try requireOpenUnitInterval(epsilon, name: "epsilon")
    try requireAtLeast(
      samples, dimension - 1, name: "samples",
      why: "task 1 has dimension d − 1 and its samples must span it")
    let d = dimension
    let e = epsilon
    let c = (1 - e * e).squareRoot()
    var u = [Double](repeating: 0, count: d)
    u[1] = e
    u[d - 1] = c
    var uPerp = [Double](repeating: 0, count: d)
    uPerp[1] = c
    uPerp[d - 1] = -e
    let others = ([0] + Array(2..<(d - 1))).map { unitVector($0, d) }
    let basis1 = try linalg { try Matrix([u] + others) }
    let basis2 = Matrix(row: unitVector(d - 1, d))
    let sources: [TaskSource] = [
      .subspace(basis: basis1, samples: samples), .subspace(basis: basis2, samples: samples),
    ]
    let tasks = try sampleAll(sources, using: &stream)
    var replay: [Int: Double] = [:]
    if d == 3 { replay[1] = e * (1 - e * e) / 2 }
    for m in (d - 1)...max(d - 1, samples) { replay[m] = 0 }
    return ConstructionInstance(
      name: name, sequence: try TaskSequence(tasks: tasks, groundTruth: uPerp), sources: sources,
      order: [0, 1],
      replayTask: 1, pool: .subspace(basis: basis1, samples: samples), poolTask: 0,
      measure: .expectedTest, normalization: .m25, closedFormNoReplay: e * e * (1 - e * e),
      closedFormReplay: replay)
  }
}
