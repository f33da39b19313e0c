import EngramRandom

/// Max pooling over k × k windows of channels-last images, per channel.
///
/// Forward records which input won each window; backward routes the gradient there (ties go
/// to the first maximum, as in PyTorch).
public final class MaxPool2D: Layer {
  /// Input geometry, window and stride (no padding).
  public let geometry: ConvolutionGeometry
  private var output = Tensor(rows: 0, columns: 0)
  private var inputGradient = Tensor(rows: 0, columns: 0)
  private var winners: [Int32] = []

  /// Pooling of `kernel` × `kernel` windows with the given stride (default: the kernel).
  public init(height: Int, width: Int, channels: Int, kernel: Int = 2, stride: Int? = nil) {
    geometry = ConvolutionGeometry(
      height: height, width: width, channels: channels, kernel: kernel, stride: stride ?? kernel)
  }

  public var description: String { "maxpool \(geometry.kernel)×\(geometry.kernel)" }
  public var inputWidth: Int { geometry.inputFeatures }
  public var outputWidth: Int { geometry.outputHeight * geometry.outputWidth * geometry.channels }
  public var parameterCount: Int { 0 }
  public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>)
  {}
  public func initialize(
    _ initializer: Initializer, weights: inout RandomStream, noise: inout RandomStream
  ) {}

  public func prepare(batchCapacity: Int) {
    output = Tensor(rows: batchCapacity, columns: outputWidth)
    inputGradient = Tensor(rows: batchCapacity, columns: inputWidth)
    winners = [Int32](repeating: 0, count: batchCapacity * outputWidth)
  }

  public func forward(_ x: Tensor, mode: Mode) -> Tensor {
    let g = geometry
    let (oh, ow, c) = (g.outputHeight, g.outputWidth, g.channels)
    let y = output.prefix(rows: x.rows)
    winners.withUnsafeMutableBufferPointer { win in
      for b in 0..<x.rows {
        let image = x.pointer + b * g.inputFeatures
        let out = y.pointer + b * outputWidth
        for oy in 0..<oh {
          for ox in 0..<ow {
            for ch in 0..<c {
              var best = -Float.infinity
              var at = 0
              for ky in 0..<g.kernel {
                for kx in 0..<g.kernel {
                  let index = ((oy * g.stride + ky) * g.width + ox * g.stride + kx) * c + ch
                  if image[index] > best {
                    best = image[index]
                    at = index
                  }
                }
              }
              let o = (oy * ow + ox) * c + ch
              out[o] = best
              win[b * outputWidth + o] = Int32(at)
            }
          }
        }
      }
    }
    return y
  }

  public func backward(_ dy: Tensor, input x: Tensor, output y: Tensor, inputGradient wanted: Bool)
    -> Tensor?
  {
    guard wanted else { return nil }
    let dx = inputGradient.prefix(rows: dy.rows)
    dx.zero()
    winners.withUnsafeBufferPointer { win in
      for b in 0..<dy.rows {
        let grad = dy.pointer + b * outputWidth
        let into = dx.pointer + b * inputWidth
        for o in 0..<outputWidth { into[Int(win[b * outputWidth + o])] += grad[o] }
      }
    }
    return dx
  }

  public func makeCopy() -> Layer {
    MaxPool2D(
      height: geometry.height, width: geometry.width, channels: geometry.channels,
      kernel: geometry.kernel, stride: geometry.stride)
  }
}
