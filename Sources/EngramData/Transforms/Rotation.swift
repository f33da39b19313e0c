import Foundation

/// Rotates images counter-clockwise about their centre by a fixed angle (Rotated MNIST), with
/// bilinear interpolation and 0 outside the image.
///
/// The sampling map (four source pixels and weights per output pixel) is computed once; each
/// application is a gather. The centre is ((width − 1)/2, (height − 1)/2), as in torchvision, so
/// multiples of 90° on a square image are exact permutations.
public struct Rotation: Transform, Equatable {
  /// The angle in degrees, counter-clockwise.
  public let degrees: Double
  /// The image geometry (rows are height × width × channels, channels last).
  public let image: ImageShape
  private let sources: [Int32]  // 4 per output pixel, −1 outside
  private let weights: [Float]  // 4 per output pixel

  /// A rotation of images of the given shape.
  public init(degrees: Double, image: ImageShape) {
    self.degrees = degrees
    self.image = image
    let h = image.height
    let w = image.width
    let theta = degrees * .pi / 180
    let (s, c) = (sin(theta), cos(theta))
    let cx = Double(w - 1) / 2
    let cy = Double(h - 1) / 2
    var sources = [Int32](repeating: -1, count: 4 * h * w)
    var weights = [Float](repeating: 0, count: 4 * h * w)
    for y in 0..<h {
      for x in 0..<w {
        let dx = Double(x) - cx
        let dy = Double(y) - cy
        // Inverse map (y points down): the source of output (x, y) for a counter-clockwise turn.
        var sx = cx + c * dx - s * dy
        var sy = cy + s * dx + c * dy
        // Snap values within rounding of a pixel centre, so right angles are exact.
        if abs(sx - sx.rounded()) < 1e-9 { sx = sx.rounded() }
        if abs(sy - sy.rounded()) < 1e-9 { sy = sy.rounded() }
        let x0 = Int(floor(sx))
        let y0 = Int(floor(sy))
        let fx = sx - Double(x0)
        let fy = sy - Double(y0)
        let corners = [
          (x0, y0, (1 - fx) * (1 - fy)), (x0 + 1, y0, fx * (1 - fy)), (x0, y0 + 1, (1 - fx) * fy),
          (x0 + 1, y0 + 1, fx * fy),
        ]
        let base = 4 * (y * w + x)
        for (k, (px, py, weight)) in corners.enumerated()
        where px >= 0 && px < w && py >= 0 && py < h && weight > 0 {
          sources[base + k] = Int32(py * w + px)
          weights[base + k] = Float(weight)
        }
      }
    }
    self.sources = sources
    self.weights = weights
  }

  /// "rotate 45°".
  public var description: String { "rotate \(degrees)°" }

  /// Resamples each image through the precomputed map.
  public func apply(
    to rows: UnsafeMutablePointer<Float>, count: Int, width: Int,
    scratch: UnsafeMutablePointer<Float>
  ) {
    precondition(
      width == image.featureCount,
      "rotation for \(image.featureCount) features applied to rows of \(width)")
    let pixels = image.height * image.width
    let channels = image.channels
    sources.withUnsafeBufferPointer { src in
      weights.withUnsafeBufferPointer { wt in
        for r in 0..<count {
          let row = rows + r * width
          for p in 0..<pixels {
            for ch in 0..<channels {
              var value: Float = 0
              for k in 0..<4 {
                let from = Int(src[4 * p + k])
                if from >= 0 { value += wt[4 * p + k] * row[from * channels + ch] }
              }
              scratch[p * channels + ch] = value
            }
          }
          row.update(from: scratch, count: width)
        }
      }
    }
  }
}
