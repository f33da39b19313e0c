// bench/train-step: one training step of the MLP 784-400-400-10 (batch 128, forward + backward
// + SGD with momentum) as achieved GFLOP/s, against (1) the sgemm rate of the same eight gemm
// calls measured in this run and (2) a plain PyTorch loop on the same machine and thread count
// (reference/train_step_torch.py). Also: a Fashion-MNIST epoch and peak memory.
// Targets (DESIGN.md): ≥ 75 % of the sgemm rate; ≥ 1.5× PyTorch at 1 and at 2 threads.
import BenchSupport
import EngramContinual
import EngramData
import EngramLinalg
import EngramNN
import EngramRandom
import Foundation

let batch = 128
let widths = [784, 400, 400, 10]
// Forward x·Wᵀ for 3 layers, dW for 3 layers, dX for the last 2 (the input needs none).
let gemms: [(m: Int, n: Int, k: Int, ta: Bool, tb: Bool)] =
  (0..<3).map { (batch, widths[$0 + 1], widths[$0], false, true) }
  + (0..<3).map { (widths[$0 + 1], widths[$0], batch, true, false) }
  + (1..<3).map { (batch, widths[$0], widths[$0 + 1], false, false) }
let flopsPerStep = gemms.reduce(0.0) { $0 + 2 * Double($1.m * $1.n * $1.k) }

/// Median of `repeats` timings of `count` calls.
func median(repeats: Int = 11, count: Int, _ body: () throws -> Void) rethrows -> Double {
  var times: [Double] = []
  for _ in 0..<repeats {
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<count { try body() }
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(count))
  }
  return times.sorted()[times.count / 2]
}

/// The eight gemm calls of a step, alone: the machine's sgemm rate for these shapes.
func gemmSeconds() -> Double {
  let a = Tensor(rows: 784, columns: 784)
  let b = Tensor(rows: 784, columns: 784)
  let c = Tensor(rows: 784, columns: 784)
  for i in 0..<a.count { a.pointer[i] = Float(i % 7) * 0.01 }
  for i in 0..<b.count { b.pointer[i] = Float(i % 5) * 0.01 }
  let run = {
    for g in gemms {
      let lda = g.ta ? g.m : g.k
      let ldb = g.tb ? g.k : g.n
      Float._gemm(
        transposeA: g.ta, transposeB: g.tb, m: g.m, n: g.n, k: g.k, alpha: 1, a: a.pointer,
        lda: lda, b: b.pointer,
        ldb: ldb, beta: 1, c: c.pointer, ldc: g.n)
    }
  }
  for _ in 0..<30 { run() }
  return median(count: 100, run)
}

/// Engram's full step on one preloaded batch.
func engramStepSeconds() throws -> Double {
  let model = try Architecture(parsing: "mlp:400,400").build(
    input: InputShape(features: 784), outputs: 10)
  model.initialize(streams: RandomStreams(seed: 0))
  model.prepare(batchCapacity: batch)
  let sgd = SGD(learningRate: 0.01, momentum: 0.9)
  var stream = RandomStream(seed: 1)
  let x = Tensor(
    rows: batch, columns: 784, values: (0..<(batch * 784)).map { _ in Float(stream.nextUniform()) })
  var labels = (0..<batch).map { _ in Int32(stream.nextInt(below: 10)) }
  let gradient = Tensor(rows: batch, columns: 10)
  let step = {
    model.zeroGradients()
    let logits = model.forward(x, mode: .training)
    _ = SoftmaxCrossEntropy.loss(logits: logits, labels: &labels, gradient: gradient)
    model.backward(gradient)
    sgd.step(parameters: model.parameters, gradients: model.gradients)
  }
  for _ in 0..<30 { step() }
  return median(count: 100, step)
}

/// One epoch of Fashion-MNIST through the Trainer (shuffling, uint8 → float, standardisation).
func engramEpochSeconds() throws -> Double? {
  guard FileManager.default.fileExists(atPath: IDXDataset.fashionMNISTDirectory) else { return nil }
  let data = try IDXDataset.fashionMNIST()
  let model = try Architecture(parsing: "mlp:400,400").build(input: InputShape(data.train), outputs: 10)
  let streams = RandomStreams(seed: 0)
  model.initialize(streams: streams)
  let stream = try Benchmark.split(groups: [Array(0..<10)]).stream(data: [data], scenario: .class, streams: streams)
  let trainer = try Trainer(
    model: model, optimizer: SGD(learningRate: 0.01, momentum: 0.9), config: TrainerConfig(), stream: stream, streams: streams)
  let start = Date()
  try trainer.train(task: 0)
  return Date().timeIntervalSince(start)
}

struct TorchResult: Decodable {
  let step_seconds: Double
  let epoch_seconds: Double?
  let torch: String
}

struct Line: Encodable {
  let benchmark = "train-step"
  let machine = Machine.current
  let threads: Int
  let blas_core = BLASKernels.coreName
  let flops_per_step: Double
  let engram_step_ms: Double
  let engram_gflops: Double
  let sgemm_gflops: Double
  let fraction_of_sgemm: Double
  let torch_step_ms: Double
  let speedup_vs_torch: Double
  let engram_epoch_seconds: Double?
  let torch_epoch_seconds: Double?
  let peak_memory_mb: Double
  let meets_targets: Bool
  let torch_version: String
}

for threads in [1, 2] {
  BLASThreads.set(threads)
  let gemm = gemmSeconds()
  let step = try engramStepSeconds()
  let epoch = try engramEpochSeconds()
  let torch = try runReference(
    "train_step_torch.py", arguments: ["\(threads)", "--epoch"], threads: threads,
    as: TorchResult.self)
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  let fraction = gemm / step
  let speedup = torch.step_seconds / step
  try emit(
    Line(
      threads: threads, flops_per_step: flopsPerStep, engram_step_ms: step * 1e3,
      engram_gflops: flopsPerStep / step / 1e9, sgemm_gflops: flopsPerStep / gemm / 1e9,
      fraction_of_sgemm: fraction, torch_step_ms: torch.step_seconds * 1e3,
      speedup_vs_torch: speedup,
      engram_epoch_seconds: epoch, torch_epoch_seconds: torch.epoch_seconds,
      peak_memory_mb: Double(usage.ru_maxrss) / 1024,
      meets_targets: fraction >= 0.75 && speedup >= 1.5,
      torch_version: torch.torch))
}
