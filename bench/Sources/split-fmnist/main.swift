// bench/split-fmnist: the Engram reference protocol (Split Fashion-MNIST, class-incremental,
// 5 tasks, MLP 784-400-400-10, SGD lr 0.01 momentum 0.9, batch 128, 1 epoch per task, all
// outputs) with Naive and with replay (500; each batch 128 new + 128 replayed), end to end:
// `engram run` as a whole process against a plain PyTorch loop of the same protocol
// (reference/split_fmnist_torch.py) as a whole process, same machine, same threads, same run.
// Targets (DESIGN.md): ≥ 3× faster end to end at matching accuracy (±2 points); training +
// evaluation alone ≥ 1.5×; peak memory under 300 MB.
import BenchSupport
import EngramLinalg
import Foundation

struct EngramResult: Decodable {
  let average_accuracy: Double
  let seconds: Double
  let peak_memory_bytes: Int
}

struct TorchResult: Decodable {
  let average_accuracy: Double
  let train_eval_seconds: Double
  let peak_memory_bytes: Int
  let torch: String
}

struct Line: Encodable {
  let benchmark = "split-fmnist"
  let machine = Machine.current
  let blas_core = BLASKernels.coreName
  let strategy: String
  let threads: Int
  let seeds: Int
  let engram_process_seconds: Double
  let torch_process_seconds: Double
  let speedup_end_to_end: Double
  let engram_train_eval_seconds: Double
  let torch_train_eval_seconds: Double
  let speedup_train_eval: Double
  let engram_accuracy: Double
  let torch_accuracy: Double
  let accuracy_gap_points: Double
  let engram_peak_memory_mb: Double
  let torch_peak_memory_mb: Double
  let meets_targets: Bool
  let torch_version: String
}

let bench = benchDirectory()
let engram = try engramBinary()
let python = referencePython()
let script = bench.appendingPathComponent("reference/split_fmnist_torch.py").path
let threads = 2
let seeds = 3
let decoder = JSONDecoder()

for (name, engramArguments, torchArguments) in [
  ("naive", [String](), [String]()), ("replay", ["--strategy", "replay", "--memory", "500"], ["--memory", "500"]),
] {
  var e: [(Double, EngramResult)] = []
  var t: [(Double, TorchResult)] = []
  for seed in 0..<seeds {
    let (es, eo) = try timed(engram, ["run", "--class-outputs", "all", "--threads", "\(threads)", "--seed", "\(seed)", "--json"] + engramArguments)
    e.append((es, try decoder.decode(EngramResult.self, from: Data(eo.utf8))))
    let threadEnv = ["OPENBLAS_NUM_THREADS": "\(threads)", "OMP_NUM_THREADS": "\(threads)", "MKL_NUM_THREADS": "\(threads)"]
    let (ts, to) = try timed(python, [script, "\(threads)", "\(seed)"] + torchArguments, environment: threadEnv)
    t.append((ts, try decoder.decode(TorchResult.self, from: Data(to.utf8))))
  }
  func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
  let eProcess = mean(e.map(\.0))
  let tProcess = mean(t.map(\.0))
  let eTrain = mean(e.map(\.1.seconds))
  let tTrain = mean(t.map(\.1.train_eval_seconds))
  let eAccuracy = mean(e.map(\.1.average_accuracy))
  let tAccuracy = mean(t.map(\.1.average_accuracy))
  let gap = 100 * (eAccuracy - tAccuracy)
  let eMemory = Double(e.map(\.1.peak_memory_bytes).max() ?? 0) / 1e6
  try emit(
    Line(
      strategy: name, threads: threads, seeds: seeds, engram_process_seconds: eProcess, torch_process_seconds: tProcess,
      speedup_end_to_end: tProcess / eProcess, engram_train_eval_seconds: eTrain, torch_train_eval_seconds: tTrain,
      speedup_train_eval: tTrain / eTrain, engram_accuracy: eAccuracy, torch_accuracy: tAccuracy, accuracy_gap_points: gap,
      engram_peak_memory_mb: eMemory, torch_peak_memory_mb: Double(t.map(\.1.peak_memory_bytes).max() ?? 0) / 1e6,
      meets_targets: tProcess / eProcess >= 3 && abs(gap) <= 2 && eMemory < 300, torch_version: t[0].1.torch))
}
