import EngramLinalg
import EngramRandom

/// A 2-D convolution over channels-last images by im2col and one sgemm.
///
/// Y = col(x)·Wᵀ + b, with col(x) the (n·outH·outW) × (k·k·C_in) im2col matrix and W stored
/// row-major as C_out × (k, k, C_in) — PyTorch's C_out × C_in × k × k with the inner order
/// changed to channels-last. The output matrix (positions × C_out) is the channels-last output.
/// Backward: dW += dYᵀ·col, db += column sums of dY, dx = col2im(dY·W).
public final class Conv2D: Layer {
  /// Input geometry, kernel, stride and padding.
  public let geometry: ConvolutionGeometry
  /// Output channels.
  public let outputChannels: Int
  private var weights: UnsafeMutablePointer<Float>?
  private var bias: UnsafeMutablePointer<Float>?
  private var weightGradients: UnsafeMutablePointer<Float>?
  private var biasGradients: UnsafeMutablePointer<Float>?
  private var columns = Tensor(rows: 0, columns: 0)
  private var columnGradients = Tensor(rows: 0, columns: 0)
  private var output = Tensor(rows: 0, columns: 0)
  private var inputGradient = Tensor(rows: 0, columns: 0)
  private var ones = Tensor(rows: 0, columns: 0)
  private var statisticScratch = Tensor(rows: 0, columns: 0)

  /// A convolution with `outputChannels` filters over inputs of the given geometry.
  public init(_ geometry: ConvolutionGeometry, outputChannels: Int) {
    self.geometry = geometry
    self.outputChannels = outputChannels
  }

  public var description: String {
    "conv \(geometry.kernel)×\(geometry.kernel) \(geometry.channels)→\(outputChannels)"
      + (geometry.stride == 1 ? "" : " stride \(geometry.stride)")
      + (geometry.padding == 0 ? "" : " pad \(geometry.padding)")
  }
  public var inputWidth: Int { geometry.inputFeatures }
  public var outputWidth: Int { geometry.outputHeight * geometry.outputWidth * outputChannels }
  public var parameterCount: Int { outputChannels * geometry.patchSize + outputChannels }
  /// Output positions per example.
  var positions: Int { geometry.outputHeight * geometry.outputWidth }

  public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>)
  {
    let w = outputChannels * geometry.patchSize
    weights = parameters
    bias = parameters + w
    weightGradients = gradients
    biasGradients = gradients + w
  }

  public func initialize(
    _ initializer: Initializer, weights stream: inout RandomStream, noise: inout RandomStream
  ) {
    guard let weights, let bias else { preconditionFailure("initialize before bind") }
    initializer.fill(
      weights: weights, count: outputChannels * geometry.patchSize, bias: bias,
      biasCount: outputChannels,
      fanIn: geometry.patchSize, fanOut: outputChannels * geometry.kernel * geometry.kernel,
      using: &stream)
  }

  public func prepare(batchCapacity: Int) {
    columns = Tensor(rows: batchCapacity * positions, columns: geometry.patchSize)
    columnGradients = Tensor(rows: batchCapacity * positions, columns: geometry.patchSize)
    output = Tensor(rows: batchCapacity, columns: outputWidth)
    inputGradient = Tensor(rows: batchCapacity, columns: inputWidth)
    ones = Tensor(rows: batchCapacity * positions, columns: 1)
    ones.buffer.update(repeating: 1)
  }

  public func forward(_ x: Tensor, mode: Mode) -> Tensor {
    guard let weights, let bias else { preconditionFailure("forward before bind") }
    let n = x.rows
    let m = n * positions
    Im2Col.expand(x.pointer, count: n, geometry: geometry, into: columns.pointer)
    let y = output.prefix(rows: n)
    for r in 0..<m { (y.pointer + r * outputChannels).update(from: bias, count: outputChannels) }
    Float._gemm(
      transposeA: false, transposeB: true, m: m, n: outputChannels, k: geometry.patchSize, alpha: 1,
      a: columns.pointer, lda: geometry.patchSize, b: weights, ldb: geometry.patchSize, beta: 1,
      c: y.pointer, ldc: outputChannels)
    return y
  }

  public func backward(_ dy: Tensor, input x: Tensor, output y: Tensor, inputGradient wanted: Bool)
    -> Tensor?
  {
    guard let weights, let weightGradients, let biasGradients else {
      preconditionFailure("backward before bind")
    }
    let n = dy.rows
    let m = n * positions
    let k = geometry.patchSize
    Float._gemm(
      transposeA: true, transposeB: false, m: outputChannels, n: k, k: m, alpha: 1, a: dy.pointer,
      lda: outputChannels, b: columns.pointer, ldb: k, beta: 1, c: weightGradients, ldc: k)
    Float._gemv(
      transpose: true, m: m, n: outputChannels, alpha: 1, a: dy.pointer, lda: outputChannels,
      x: ones.pointer, beta: 1, y: biasGradients)
    guard wanted else { return nil }
    Float._gemm(
      transposeA: false, transposeB: false, m: m, n: k, k: outputChannels, alpha: 1, a: dy.pointer,
      lda: outputChannels, b: weights, ldb: k, beta: 0, c: columnGradients.pointer, ldc: k)
    let dx = inputGradient.prefix(rows: n)
    dx.zero()
    Im2Col.collapse(columnGradients.pointer, count: n, geometry: geometry, into: dx.pointer)
    return dx
  }

  public func makeCopy() -> Layer { Conv2D(geometry, outputChannels: outputChannels) }

  /// Per example n the weight gradient sums over positions, dYₙᵀ·colₙ, so each example needs
  /// its own small gemm before s(·) is applied; `columns` still holds the forward's im2col.
  public func accumulatePerExample(
    _ statistic: PerExampleStatistic, dy: Tensor, input x: Tensor,
    into accumulator: UnsafeMutablePointer<Float>
  ) {
    let k = geometry.patchSize
    let p = positions
    let w = outputChannels * k
    if statisticScratch.count < w + outputChannels {
      statisticScratch = Tensor(rows: 1, columns: w + outputChannels)
    }
    let g = statisticScratch.pointer
    for example in 0..<dy.rows {
      let dyExample = dy.pointer + example * p * outputChannels
      Float._gemm(
        transposeA: true, transposeB: false, m: outputChannels, n: k, k: p, alpha: 1, a: dyExample,
        lda: outputChannels,
        b: columns.pointer + example * p * k, ldb: k, beta: 0, c: g, ldc: k)
      let bias = g + w
      bias.update(repeating: 0, count: outputChannels)
      for position in 0..<p {
        for o in 0..<outputChannels { bias[o] += dyExample[position * outputChannels + o] }
      }
      switch statistic {
      case .squared: for i in 0..<(w + outputChannels) { accumulator[i] += g[i] * g[i] }
      case .absolute: for i in 0..<(w + outputChannels) { accumulator[i] += abs(g[i]) }
      }
    }
  }
}
