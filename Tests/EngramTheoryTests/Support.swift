import EngramLinalg
import EngramRandom
import EngramTheory
import Foundation

/// Exact computations on a handful of rows: rounding stays within ~1e-15; 1e-12 is strict
/// enough to catch any formula or normalisation error (those are O(1) relative).
let exact = 1e-12

func lines(_ degrees: Double, wStar: [Double]) throws -> TaskSequence {
  let theta = degrees * .pi / 180
  return try TaskSequence(
    tasks: [Matrix(row: [1, 0]), Matrix(row: [cos(theta), sin(theta)])], groundTruth: wStar)
}

func randomSequence(taskRows: [Int], dimension: Int, seed: UInt64) throws -> TaskSequence {
  var stream = RandomStream(seed: seed)
  let tasks = taskRows.map { Matrix<Double>.gaussian(rows: $0, columns: dimension, using: &stream) }
  let w = (0..<dimension).map { _ in stream.nextGaussian() }
  return try TaskSequence(tasks: tasks, groundTruth: w)
}

func instance(_ construction: Construction, seed: UInt64 = 0) throws -> ConstructionInstance {
  var stream = RandomStreams(seed: seed).stream(.noise)
  return try construction.instance(using: &stream)
}
