// bench/theory: the d = 50 replay-count sweep (m = 0, 5, …, 50; 1000 draws each) on one core,
// timed against the same computation in numpy (reference/theory_numpy.py) in the same run.
// Target (DESIGN.md): under 2 s, and faster than numpy.
import BenchSupport
import EngramLinalg
import EngramTheory
import Foundation

struct Reference: Decodable {
  let seconds: Double
  let means: [Double]
  let stderrs: [Double]
  let numpy: String
}

struct Line: Encodable {
  let benchmark = "theory-sweep-d50"
  let machine = Machine.current
  let threads = 1
  let blas_core = BLASKernels.coreName
  let points = 11
  let draws_per_point = 1000
  let engram_seconds: Double
  let numpy_seconds: Double
  let speedup_vs_numpy: Double
  let target_seconds = 2.0
  let meets_target: Bool
  let max_z_difference: Double
  let numpy_version: String
}

BLASThreads.set(1)
let sweep = TheorySweep(
  construction: .subspace(dimension: 50, epsilon: 0.4, samples: 100), parameter: .memory,
  values: stride(from: 0, through: 50, by: 5).map(Double.init), draws: 1000, seed: 0)
var points: [SweepPoint] = []
let engram = try bestTime(repeats: 5) { points = try sweep.run() }
let reference = try runReference(
  "theory_numpy.py", arguments: ["--repeats", "3"], threads: 1, as: Reference.self)
// Both are unbiased estimates of the same curve: their difference in standard errors should be
// small. Points whose exact value is zero (m ≥ d − 1) hold only rounding residue and are skipped.
let z =
  zip(points, zip(reference.means, reference.stderrs)).filter { abs($0.0.withReplay.mean) > 1e-20 }
  .map { p, r in
    let se = (p.withReplay.standardError * p.withReplay.standardError + r.1 * r.1).squareRoot()
    return se > 0 ? abs(p.withReplay.mean - r.0) / se : abs(p.withReplay.mean - r.0) / 1e-12
  }.max() ?? 0
try emit(
  Line(
    engram_seconds: engram, numpy_seconds: reference.seconds,
    speedup_vs_numpy: reference.seconds / engram,
    meets_target: engram < 2 && engram < reference.seconds,
    max_z_difference: z, numpy_version: reference.numpy))
