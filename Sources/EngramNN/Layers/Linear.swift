import EngramLinalg
import EngramRandom

/// A fully connected layer, y = x·Wᵀ + b, W stored row-major as outputs × inputs (PyTorch's
/// layout), followed in the flat buffer by b.
public final class Linear: Layer {
  /// Input features.
  public let inputWidth: Int
  /// Output features.
  public let outputWidth: Int
  private var weights: UnsafeMutablePointer<Float>?
  private var bias: UnsafeMutablePointer<Float>?
  private var weightGradients: UnsafeMutablePointer<Float>?
  private var biasGradients: UnsafeMutablePointer<Float>?
  private var output = Tensor(rows: 0, columns: 0)
  private var inputGradient = Tensor(rows: 0, columns: 0)
  private var ones = Tensor(rows: 0, columns: 0)
  private var statisticDy = Tensor(rows: 0, columns: 0)
  private var statisticX = Tensor(rows: 0, columns: 0)

  /// A layer from `inputs` to `outputs` features.
  public init(_ inputs: Int, _ outputs: Int) {
    inputWidth = inputs
    outputWidth = outputs
  }

  public var description: String { "linear \(inputWidth)→\(outputWidth)" }
  public var parameterCount: Int { outputWidth * inputWidth + outputWidth }

  public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>)
  {
    weights = parameters
    bias = parameters + outputWidth * inputWidth
    weightGradients = gradients
    biasGradients = gradients + outputWidth * inputWidth
  }

  public func initialize(
    _ initializer: Initializer, weights stream: inout RandomStream, noise: inout RandomStream
  ) {
    guard let weights, let bias else { preconditionFailure("initialize before bind") }
    initializer.fill(
      weights: weights, count: outputWidth * inputWidth, bias: bias, biasCount: outputWidth,
      fanIn: inputWidth, fanOut: outputWidth, using: &stream)
  }

  public func prepare(batchCapacity: Int) {
    output = Tensor(rows: batchCapacity, columns: outputWidth)
    inputGradient = Tensor(rows: batchCapacity, columns: inputWidth)
    ones = Tensor(rows: batchCapacity, columns: 1)
    ones.buffer.update(repeating: 1)
  }

  /// y = x·Wᵀ + b: the bias is copied into each row, then one sgemm adds x·Wᵀ (β = 1).
  public func forward(_ x: Tensor, mode: Mode) -> Tensor {
    guard let weights, let bias else { preconditionFailure("forward before bind") }
    let n = x.rows
    let y = output.prefix(rows: n)
    for r in 0..<n { (y.pointer + r * outputWidth).update(from: bias, count: outputWidth) }
    Float._gemm(
      transposeA: false, transposeB: true, m: n, n: outputWidth, k: inputWidth, alpha: 1,
      a: x.pointer, lda: inputWidth, b: weights, ldb: inputWidth, beta: 1, c: y.pointer,
      ldc: outputWidth)
    return y
  }

  /// dW += dyᵀ·x, db += Σ_rows dy (a gemv against ones), dx = dy·W.
  public func backward(_ dy: Tensor, input x: Tensor, output y: Tensor, inputGradient wanted: Bool)
    -> Tensor?
  {
    guard let weights, let weightGradients, let biasGradients else {
      preconditionFailure("backward before bind")
    }
    let n = dy.rows
    Float._gemm(
      transposeA: true, transposeB: false, m: outputWidth, n: inputWidth, k: n, alpha: 1,
      a: dy.pointer, lda: outputWidth, b: x.pointer, ldb: inputWidth, beta: 1, c: weightGradients,
      ldc: inputWidth)
    Float._gemv(
      transpose: true, m: n, n: outputWidth, alpha: 1, a: dy.pointer, lda: outputWidth,
      x: ones.pointer,
      beta: 1, y: biasGradients)
    guard wanted else { return nil }
    let dx = inputGradient.prefix(rows: n)
    Float._gemm(
      transposeA: false, transposeB: false, m: n, n: inputWidth, k: outputWidth, alpha: 1,
      a: dy.pointer, lda: outputWidth, b: weights, ldb: inputWidth, beta: 0, c: dx.pointer,
      ldc: inputWidth)
    return dx
  }

  public func makeCopy() -> Layer { Linear(inputWidth, outputWidth) }

  /// The per-example gradient of W is the outer product δₙxₙᵀ, so Σₙ s(δₙxₙᵀ) = s(δ)ᵀ·s(x)
  /// for s = square or |·|: one gemm on transformed copies (reference/methods.md §4.1).
  public func accumulatePerExample(
    _ statistic: PerExampleStatistic, dy: Tensor, input x: Tensor,
    into accumulator: UnsafeMutablePointer<Float>
  ) {
    let n = dy.rows
    if statisticDy.rows < n {
      statisticDy = Tensor(rows: n, columns: outputWidth)
      statisticX = Tensor(rows: n, columns: inputWidth)
    }
    apply(statistic, dy.pointer, statisticDy.pointer, dy.count)
    apply(statistic, x.pointer, statisticX.pointer, x.count)
    Float._gemm(
      transposeA: true, transposeB: false, m: outputWidth, n: inputWidth, k: n, alpha: 1,
      a: statisticDy.pointer, lda: outputWidth, b: statisticX.pointer, ldb: inputWidth, beta: 1,
      c: accumulator,
      ldc: inputWidth)
    let biasAccumulator = accumulator + outputWidth * inputWidth
    for r in 0..<n {
      let row = statisticDy.pointer + r * outputWidth
      for o in 0..<outputWidth { biasAccumulator[o] += row[o] }
    }
  }
}
