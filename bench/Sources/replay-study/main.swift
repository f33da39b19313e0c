// bench/replay-study: a replay-count study (Split Fashion-MNIST (0, 6) → (1, 7), m = 0…10, the
// paper's protocol: MLP 784-256-256-4, Adam 1e-3, batch 32, 3 epochs per task) with paired
// seeds on 2 workers, end to end: `engram replay-study count` as a whole process against the
// same study as a plain PyTorch program with 2 worker processes of one thread each
// (reference/replay_study_torch.py), same machine, same run. Seeds: REPLAY_BENCH_SEEDS
// (default 4; the README's 20-seed study is the same work ×5).
import BenchSupport
import EngramLinalg
import Foundation

struct EngramRow: Decodable {
  let memory: Int
  let forgetting_mean: Double
}

struct TorchResult: Decodable {
  let forgetting_mean: [Double]
  let study_seconds: Double
  let torch: String
}

struct Line: Encodable {
  let benchmark = "replay-study"
  let machine = Machine.current
  let blas_core = BLASKernels.coreName
  let seeds: Int
  let memories: Int
  let workers: Int
  let engram_process_seconds: Double
  let torch_process_seconds: Double
  let speedup_end_to_end: Double
  let torch_study_seconds: Double
  let engram_forgetting_m0: Double
  let torch_forgetting_m0: Double
  let engram_forgetting_m10: Double
  let torch_forgetting_m10: Double
  let torch_version: String
}

let engram = try engramBinary()
let python = referencePython()
let script = benchDirectory().appendingPathComponent("reference/replay_study_torch.py").path
let seeds = Int(ProcessInfo.processInfo.environment["REPLAY_BENCH_SEEDS"] ?? "") ?? 4
let workers = 2
let (es, eo) = try timed(
  engram,
  ["replay-study", "count", "--first", "0,6", "--second", "1,7", "--memory", "0:10", "--seeds", "\(seeds)",
   "--workers", "\(workers)", "--json", "--no-store"])
let rows = try JSONDecoder().decode([EngramRow].self, from: Data(eo.utf8))
let oneThread = ["OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"]
let (ts, to) = try timed(python, [script, "\(workers)", "\(seeds)"], environment: oneThread)
let torch = try JSONDecoder().decode(TorchResult.self, from: Data(to.utf8))
try emit(
  Line(
    seeds: seeds, memories: rows.count, workers: workers, engram_process_seconds: es, torch_process_seconds: ts,
    speedup_end_to_end: ts / es, torch_study_seconds: torch.study_seconds,
    engram_forgetting_m0: rows[0].forgetting_mean, torch_forgetting_m0: torch.forgetting_mean[0],
    engram_forgetting_m10: rows.last!.forgetting_mean, torch_forgetting_m10: torch.forgetting_mean.last!,
    torch_version: torch.torch))
