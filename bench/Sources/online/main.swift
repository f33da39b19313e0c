// bench/online: a long loss-of-plasticity stream (Online Permuted Fashion-MNIST: MLP
// 784-100-100-10, plain SGD lr 0.01, pixels / 255, one 10-way head, each task a fresh pixel
// permutation of freshly drawn training images seen once, online accuracy from the pre-update
// logits), end to end: `engram run --benchmark online-permuted` as a whole process against the
// same loop in plain PyTorch (reference/online_torch.py) as a whole process, one thread each,
// same machine, same run. Runs are interleaved and the fastest of each kind is kept, because the
// 2-core host is noisy.
// Targets: ≥ 8× PyTorch at batch 1, ≥ 3× at batch 16 (also with --diagnostics), whole process,
// at matching online accuracy (means within 3 points). Then each plasticity method's training
// time over plain SGD's, Engram only, at batch 16 and 1.
// ONLINE_BENCH_REPEATS (default 3) sets the repetitions; ENGRAM_BIN the engram binary.
import BenchSupport
import EngramLinalg
import Foundation

struct EngramResult: Decodable {
  let seconds: Double
  let training_seconds: Double
  let online_accuracy: [Double]
  let mean_online_accuracy: Double
}

struct TorchResult: Decodable {
  let seconds: Double
  let training_seconds: Double
  let online_accuracy: [Double]
  let mean_online_accuracy: Double
  let torch: String
}

struct Line: Encodable {
  let benchmark = "online"
  let name: String
  let machine = Machine.current
  let blas_core = BLASKernels.coreName
  let threads = 1
  let batch: Int
  let tasks: Int
  let task_examples: Int
  let diagnostics: Bool
  let repeats: Int
  let engram_process_seconds: Double
  let torch_process_seconds: Double
  let ratio: Double
  let engram_training_seconds: Double
  let torch_training_seconds: Double
  let ratio_training: Double
  let target: Double
  let met: Bool
  let engram_online_accuracy: Double
  let torch_online_accuracy: Double
  let accuracy_gap_points: Double
  let accuracy_agrees: Bool
  let torch_version: String
}

struct OverheadLine: Encodable {
  let benchmark = "online-overhead"
  let name: String
  let machine = Machine.current
  let blas_core = BLASKernels.coreName
  let threads = 1
  let batch: Int
  let tasks: Int
  let task_examples: Int
  let repeats: Int
  let engram_training_seconds: Double
  let naive_training_seconds: Double
  let overhead_percent: Double
  let engram_process_seconds: Double
  let engram_online_accuracy: Double
  let naive_online_accuracy: Double
}

/// One batch size's stream: sized so one PyTorch run takes roughly 10–20 s on the 2-core host.
struct Stream {
  let batch: Int
  let tasks: Int
  let examples: Int
  let target: Double
}

let engram = try engramBinary()
let python = referencePython()
let script = benchDirectory().appendingPathComponent("reference/online_torch.py").path
let repeats = Int(ProcessInfo.processInfo.environment["ONLINE_BENCH_REPEATS"] ?? "") ?? 3
let oneThread = ["OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"]
let decoder = JSONDecoder()
let seed = 0
let streams = [
  Stream(batch: 1, tasks: 10, examples: 2500, target: 8),
  Stream(batch: 16, tasks: 20, examples: 10000, target: 3),
]

func runEngram(_ s: Stream, _ extra: [String]) throws -> (Double, EngramResult) {
  let (seconds, out) = try timed(
    engram,
    ["run", "--benchmark", "online-permuted", "--tasks", "\(s.tasks)", "--task-examples", "\(s.examples)",
     "--batch", "\(s.batch)", "--threads", "1", "--seed", "\(seed)", "--no-store", "--json"] + extra)
  return (seconds, try decoder.decode(EngramResult.self, from: Data(out.utf8)))
}

func runTorch(_ s: Stream) throws -> (Double, TorchResult) {
  let (seconds, out) = try timed(
    python, [script, "1", "\(seed)", "\(s.tasks)", "\(s.examples)", "\(s.batch)"], environment: oneThread)
  return (seconds, try decoder.decode(TorchResult.self, from: Data(out.utf8)))
}

/// The fastest run: its process seconds, and the fastest training seconds of any run.
func fastest<R>(_ runs: [(Double, R)], training: (R) -> Double) -> (process: Double, training: Double, result: R) {
  let best = runs.min { $0.0 < $1.0 }!
  return (best.0, runs.map { training($0.1) }.min()!, best.1)
}

// PyTorch against Engram: plain SGD at each batch size, and at batch 16 also with --diagnostics
// (against the same PyTorch runs: the reference has no diagnostics to switch on).
for s in streams {
  let variants: [(name: String, arguments: [String])] =
    [("naive", [])] + (s.batch == 16 ? [("naive+diagnostics", ["--diagnostics"])] : [])
  var e = [[(Double, EngramResult)]](repeating: [], count: variants.count)
  var t: [(Double, TorchResult)] = []
  for _ in 0..<repeats {
    for (i, v) in variants.enumerated() { e[i].append(try runEngram(s, ["--strategy", "naive"] + v.arguments)) }
    t.append(try runTorch(s))
  }
  let torch = fastest(t) { $0.training_seconds }
  for (i, v) in variants.enumerated() {
    let mine = fastest(e[i]) { $0.training_seconds }
    let gap = 100 * (mine.result.mean_online_accuracy - torch.result.mean_online_accuracy)
    let ratio = torch.process / mine.process
    try emit(
      Line(
        name: "\(v.name), batch \(s.batch)", batch: s.batch, tasks: s.tasks, task_examples: s.examples,
        diagnostics: v.arguments.contains("--diagnostics"), repeats: repeats,
        engram_process_seconds: mine.process, torch_process_seconds: torch.process, ratio: ratio,
        engram_training_seconds: mine.training, torch_training_seconds: torch.training,
        ratio_training: torch.training / mine.training, target: s.target, met: ratio >= s.target,
        engram_online_accuracy: mine.result.mean_online_accuracy,
        torch_online_accuracy: torch.result.mean_online_accuracy, accuracy_gap_points: gap,
        accuracy_agrees: abs(gap) <= 3, torch_version: torch.result.torch))
  }
}

// Each method's training time over plain SGD's, Engram only, interleaved.
let methods: [(name: String, arguments: [String])] = [
  ("naive", ["--strategy", "naive"]), ("cbp", ["--strategy", "cbp"]), ("redo", ["--strategy", "redo"]),
  ("l2", ["--strategy", "l2"]), ("l2-init", ["--strategy", "l2-init"]),
  ("shrink-perturb-step", ["--strategy", "shrink-perturb-step"]), ("spectral", ["--strategy", "spectral"]),
  ("upgd", ["--strategy", "naive", "--optimizer", "upgd"]),
]
for s in streams.reversed() {
  var runs = [[(Double, EngramResult)]](repeating: [], count: methods.count)
  for _ in 0..<repeats {
    for (i, m) in methods.enumerated() { runs[i].append(try runEngram(s, m.arguments)) }
  }
  let naive = fastest(runs[0]) { $0.training_seconds }
  for (i, m) in methods.enumerated().dropFirst() {
    let mine = fastest(runs[i]) { $0.training_seconds }
    try emit(
      OverheadLine(
        name: "\(m.name), batch \(s.batch)", batch: s.batch, tasks: s.tasks, task_examples: s.examples,
        repeats: repeats, engram_training_seconds: mine.training, naive_training_seconds: naive.training,
        overhead_percent: 100 * (mine.training / naive.training - 1), engram_process_seconds: mine.process,
        engram_online_accuracy: mine.result.mean_online_accuracy,
        naive_online_accuracy: naive.result.mean_online_accuracy))
  }
}
