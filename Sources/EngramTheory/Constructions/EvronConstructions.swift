import EngramLinalg
import Foundation

/// Evron et al. Theorem 7 (reference/replay-theory.md §5): the identity ordering can forget
/// catastrophically.
///
/// Rank-1 tasks (cos φ, sin φ) in R²: k₁ = ⌈(72 − 12ε)/ε²⌉ + 1 angles spread evenly over
/// [0, θ] with θ = √(ε/6), then k₂ = ⌈12/ε⌉ over (θ, π/2]; w\* = (0, 1). The slowly turning
/// projections carry the error round to the first tasks' directions, so F_E22 > 1 − ε.
struct EvronIdentityConstruction {
  let epsilon: Double

  func instance() throws -> ConstructionInstance {
    try requireOpenUnitInterval(epsilon, name: "epsilon")
    let theta = (epsilon / 6).squareRoot()
    let k1 = Int(((72 - 12 * epsilon) / (epsilon * epsilon)).rounded(.up)) + 1
    let k2 = Int((12 / epsilon).rounded(.up))
    guard k1 + k2 <= 2_000_000 else {
      throw TheoryError.parameterOutOfRange(
        name: "epsilon", value: "\(epsilon)",
        allowed: "must be at least 0.006 (smaller ε needs more than 2 million tasks)")
    }
    var angles = (0..<k1).map { theta * Double($0) / Double(k1 - 1) }
    angles += (1...k2).map { theta + (.pi / 2 - theta) * Double($0) / Double(k2) }
    let tasks = angles.map { Matrix(row: [cos($0), sin($0)]) }
    return ConstructionInstance(
      name: "evron-identity", sequence: try TaskSequence(tasks: tasks, groundTruth: [0, 1]),
      sources: tasks.map(TaskSource.rows),
      order: Array(0..<tasks.count), replayTask: tasks.count - 1, pool: .rows(tasks[0]),
      poolTask: 0, measure: .trainingSamples, normalization: .e22, closedFormNoReplay: nil,
      closedFormReplay: [:])
  }
}

/// Evron et al. Theorem 10 and Lemma 20 (reference/replay-theory.md §5, oracles O2, O2b): two
/// rank-1 tasks at the angle with sin²θ = 1/k, cycled for k iterations, w\* = (0, 1).
/// F_E22 = ½·cos^{2(k−1)}θ·sin²θ = ½(1 − 1/k)^{k−1}/k, the worst case over all two-task pairs.
struct EvronCyclicConstruction {
  let iterations: Int

  func instance() throws -> ConstructionInstance {
    try requireAtLeast(iterations, 2, name: "iterations")
    guard iterations % 2 == 0 else {
      throw TheoryError.parameterOutOfRange(
        name: "iterations", value: "\(iterations)",
        allowed: "must be even (k = 2n: n passes over two tasks)")
    }
    let k = Double(iterations)
    let theta = asin((1 / k).squareRoot())
    let tasks = [Matrix(row: [1.0, 0]), Matrix(row: [cos(theta), sin(theta)])]
    let worst = 0.5 * pow(1 - 1 / k, k - 1) / k
    return ConstructionInstance(
      name: "evron-cyclic", sequence: try TaskSequence(tasks: tasks, groundTruth: [0, 1]),
      sources: tasks.map(TaskSource.rows),
      order: try TaskOrder.cyclic(passes: iterations / 2).indices(taskCount: 2), replayTask: 1,
      pool: .rows(tasks[0]), poolTask: 0, measure: .trainingSamples, normalization: .e22,
      closedFormNoReplay: worst, closedFormReplay: [:])
  }
}
