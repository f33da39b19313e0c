import EngramLinalg
import Foundation

/// Evron et al.'s two rank-1 tasks in R² (reference/replay-theory.md §3.6, §5; oracle O1).
///
/// x₁ = (1, 0), x₂ = (cos θ, sin θ), w\* = (0, 1) so that a = 1. Forgetting after one pass is
/// cos²θ·sin²θ (M25; half that under E22): an arch in θ that peaks at 45° and vanishes at 0°
/// and 90°. Replaying x₁ in task 2 makes task 2 span R², so forgetting drops to zero.
struct TwoLinesConstruction {
  let angleDegrees: Double

  func instance() throws -> ConstructionInstance {
    try requireAngle(angleDegrees)
    let theta = angleDegrees * .pi / 180
    let x1 = Matrix(row: [1.0, 0])
    let x2 = Matrix(row: [cos(theta), sin(theta)])
    let c2 = cos(theta) * cos(theta)
    return ConstructionInstance(
      name: "two-lines", sequence: try TaskSequence(tasks: [x1, x2], groundTruth: [0, 1]),
      sources: [.rows(x1), .rows(x2)],
      order: [0, 1], replayTask: 1, pool: .rows(x1), poolTask: 0, measure: .trainingSamples,
      normalization: .m25, closedFormNoReplay: c2 * (1 - c2), closedFormReplay: [1: 0])
  }
}
