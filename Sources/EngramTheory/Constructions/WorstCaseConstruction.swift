import EngramLinalg

/// Mahdaviyeh et al. Theorem 3.2, appendix C.1 (reference/replay-theory.md §3.1, oracle O5).
///
/// x₁ = v₁, x₂ = (v₁ + v₂)/(2√2) + (√3/2)v₃, x₃ = v₃, W = span{v₄…v_d}. Tasks 1…T−2 are
/// [x₁; W], task T−1 is [x₁; x₂; W], task T is [x₃; W]; w\* = u = √(6/7)v₂ − v₃/√7, so a = 1.
/// Without replay F = 3/(28(T−1)); replaying x₂ in task T gives F = 3/14 for every T (the
/// paper's 9/196 is an erratum). Values are on training samples, M25 normalisation.
struct WorstCaseConstruction {
  let tasks: Int
  let dimension: Int

  func instance() throws -> ConstructionInstance {
    try requireAtLeast(tasks, 2, name: "tasks")
    try requireAtLeast(dimension, 3, name: "dimension", why: "the construction needs v₁, v₂, v₃")
    let d = dimension
    let x1 = unitVector(0, d)
    var x2 = [Double](repeating: 0, count: d)
    x2[0] = 1 / (2 * 2.0.squareRoot())
    x2[1] = 1 / (2 * 2.0.squareRoot())
    x2[2] = 3.0.squareRoot() / 2
    let x3 = unitVector(2, d)
    let w = (3..<d).map { unitVector($0, d) }
    var matrices: [Matrix<Double>] = []
    for _ in 0..<(tasks - 2) { matrices.append(try linalg { try Matrix([x1] + w) }) }
    matrices.append(try linalg { try Matrix([x1, x2] + w) })
    matrices.append(try linalg { try Matrix([x3] + w) })
    var u = [Double](repeating: 0, count: d)
    u[1] = (6.0 / 7).squareRoot()
    u[2] = -1 / 7.0.squareRoot()
    return ConstructionInstance(
      name: "worst-case", sequence: try TaskSequence(tasks: matrices, groundTruth: u),
      sources: matrices.map(TaskSource.rows),
      order: Array(0..<tasks), replayTask: tasks - 1, pool: .rows(Matrix(row: x2)),
      poolTask: tasks - 2, measure: .trainingSamples, normalization: .m25,
      closedFormNoReplay: 3 / (28 * Double(tasks - 1)), closedFormReplay: [1: 3.0 / 14])
  }
}
