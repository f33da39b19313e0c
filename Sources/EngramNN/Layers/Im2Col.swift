/// The geometry of a 2-D convolution or pooling window over channels-last images.
public struct ConvolutionGeometry: Sendable, Equatable {
  /// Input height.
  public let height: Int
  /// Input width.
  public let width: Int
  /// Input channels.
  public let channels: Int
  /// Square kernel side.
  public let kernel: Int
  /// Step between windows.
  public let stride: Int
  /// Zeros added on each side.
  public let padding: Int

  /// A geometry; output sides are ⌊(side + 2·padding − kernel)/stride⌋ + 1.
  public init(
    height: Int, width: Int, channels: Int, kernel: Int, stride: Int = 1, padding: Int = 0
  ) {
    self.height = height
    self.width = width
    self.channels = channels
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
  }

  /// Output height.
  public var outputHeight: Int { (height + 2 * padding - kernel) / stride + 1 }
  /// Output width.
  public var outputWidth: Int { (width + 2 * padding - kernel) / stride + 1 }
  /// Values in one window (kernel² · channels): the columns of the im2col matrix.
  public var patchSize: Int { kernel * kernel * channels }
  /// Input features per example.
  public var inputFeatures: Int { height * width * channels }
}

/// im2col: every output position's input window becomes one row (kernel_y, kernel_x, channel
/// order), zero outside the image; col2im adds such rows back into image positions.
enum Im2Col {
  /// Writes `images` (n rows of h·w·c) as an (n·outH·outW) × patchSize matrix.
  static func expand(
    _ images: UnsafePointer<Float>, count n: Int, geometry g: ConvolutionGeometry,
    into columns: UnsafeMutablePointer<Float>
  ) {
    let (oh, ow, c, k) = (g.outputHeight, g.outputWidth, g.channels, g.kernel)
    let patch = g.patchSize
    var row = columns
    for b in 0..<n {
      let image = images + b * g.inputFeatures
      for oy in 0..<oh {
        for ox in 0..<ow {
          var out = row
          for ky in 0..<k {
            let iy = oy * g.stride - g.padding + ky
            if iy < 0 || iy >= g.height {
              out.update(repeating: 0, count: k * c)
              out += k * c
              continue
            }
            for kx in 0..<k {
              let ix = ox * g.stride - g.padding + kx
              if ix < 0 || ix >= g.width {
                out.update(repeating: 0, count: c)
              } else {
                out.update(from: image + (iy * g.width + ix) * c, count: c)
              }
              out += c
            }
          }
          row += patch
        }
      }
    }
  }

  /// Adds the rows of `columns` back into `images` (which must start zeroed).
  static func collapse(
    _ columns: UnsafePointer<Float>, count n: Int, geometry g: ConvolutionGeometry,
    into images: UnsafeMutablePointer<Float>
  ) {
    let (oh, ow, c, k) = (g.outputHeight, g.outputWidth, g.channels, g.kernel)
    var row = columns
    for b in 0..<n {
      let image = images + b * g.inputFeatures
      for oy in 0..<oh {
        for ox in 0..<ow {
          var from = row
          for ky in 0..<k {
            let iy = oy * g.stride - g.padding + ky
            for kx in 0..<k {
              let ix = ox * g.stride - g.padding + kx
              if iy >= 0 && iy < g.height && ix >= 0 && ix < g.width {
                let to = image + (iy * g.width + ix) * c
                for ch in 0..<c { to[ch] += from[ch] }
              }
              from += c
            }
          }
          row += g.patchSize
        }
      }
    }
  }
}
