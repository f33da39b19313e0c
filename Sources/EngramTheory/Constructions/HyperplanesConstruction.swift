import EngramLinalg
import EngramRandom
import Foundation

/// Mahdaviyeh et al. Figure 9 / appendix A.3 (reference/replay-theory.md §3.6, §4.1).
///
/// Two (d−1)-dimensional tasks in R^d whose null spaces are the lines a₁ = v₁ and
/// a₂ = cos θ·v₁ + sin θ·v₂; w\* = a₁ (a = 1). Expected test forgetting without replay is
/// c²(1 − c²) with c = cos θ: largest at 45°, zero at 0° and 90°.
struct HyperplanesConstruction {
  let dimension: Int
  let angleDegrees: Double
  let samples: Int

  func instance(using stream: inout RandomStream) throws -> ConstructionInstance {
    try requireAtLeast(dimension, 2, name: "dimension")
    try requireAngle(angleDegrees)
    try requireAtLeast(
      samples, dimension - 1, name: "samples",
      why: "each task has dimension d − 1 and its samples must span it")
    let d = dimension
    let theta = angleDegrees * .pi / 180
    let rest = (2..<d).map { unitVector($0, d) }
    let basis1 = try linalg { try Matrix([unitVector(1, d)] + rest) }
    var turned = [Double](repeating: 0, count: d)
    turned[0] = -sin(theta)
    turned[1] = cos(theta)
    let basis2 = try linalg { try Matrix([turned] + rest) }
    let sources: [TaskSource] = [
      .subspace(basis: basis1, samples: samples), .subspace(basis: basis2, samples: samples),
    ]
    let tasks = try sampleAll(sources, using: &stream)
    let c2 = cos(theta) * cos(theta)
    return ConstructionInstance(
      name: "hyperplanes",
      sequence: try TaskSequence(tasks: tasks, groundTruth: unitVector(0, d)), sources: sources,
      order: [0, 1],
      replayTask: 1, pool: .subspace(basis: basis1, samples: samples), poolTask: 0,
      measure: .expectedTest, normalization: .m25, closedFormNoReplay: c2 * (1 - c2),
      closedFormReplay: [:])
  }
}
