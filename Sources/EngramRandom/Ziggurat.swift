import Foundation

/// Tables of the 256-layer ziggurat for the standard normal (Marsaglia & Tsang 2000,
/// "The Ziggurat Method for Generating Random Variables"), as in numpy's
/// `random_standard_normal`.
///
/// Layer i is a rectangle of equal area v under f(x) = exp(−x²/2); a draw picks a layer and a
/// point in it, and accepts at once when the point lies inside the next layer's width
/// (~99 % of draws: one 64-bit integer and one multiply). The tables are constants computed
/// once from r and v; they hold no random state.
struct Ziggurat: Sendable {
  /// Right edge of the base layer; beyond it lies the tail.
  static let r = 3.6541528853610088
  /// Area of each layer.
  static let v = 0.00492867323399

  /// Acceptance thresholds on the 52-bit integer part.
  let k: [UInt64]
  /// Layer widths divided by 2⁵².
  let w: [Double]
  /// f at each layer's edge.
  let f: [Double]

  static let standard = Ziggurat()

  private init() {
    let m = 4_503_599_627_370_496.0  // 2⁵²
    var k = [UInt64](repeating: 0, count: 256)
    var w = [Double](repeating: 0, count: 256)
    var f = [Double](repeating: 0, count: 256)
    var dn = Ziggurat.r
    var tn = dn
    let q = Ziggurat.v / exp(-0.5 * dn * dn)
    k[0] = UInt64((dn / q) * m)
    k[1] = 0
    w[0] = q / m
    w[255] = dn / m
    f[0] = 1
    f[255] = exp(-0.5 * dn * dn)
    for i in stride(from: 254, through: 1, by: -1) {
      dn = (-2 * log(Ziggurat.v / dn + exp(-0.5 * dn * dn))).squareRoot()
      k[i + 1] = UInt64((dn / tn) * m)
      tn = dn
      f[i] = exp(-0.5 * dn * dn)
      w[i] = dn / m
    }
    self.k = k
    self.w = w
    self.f = f
  }
}

extension RandomStream {
  /// A standard normal draw by the ziggurat method.
  @inline(__always)
  mutating func nextZigguratNormal(_ table: Ziggurat) -> Double {
    while true {
      var bits = next()
      let layer = Int(bits & 0xFF)
      bits >>= 8
      let negative = bits & 1 == 1
      let magnitude = (bits >> 1) & 0x000F_FFFF_FFFF_FFFF
      var x = Double(magnitude) * table.w[layer]
      if negative { x = -x }
      if magnitude < table.k[layer] { return x }
      if layer == 0 {
        // The tail beyond r, by Marsaglia's exponential rejection.
        while true {
          let xx = -log1p(-nextUniform()) / Ziggurat.r
          let yy = -log1p(-nextUniform())
          if yy + yy > xx * xx {
            return negative ? -(Ziggurat.r + xx) : Ziggurat.r + xx
          }
        }
      }
      if (table.f[layer - 1] - table.f[layer]) * nextUniform() + table.f[layer] < exp(-0.5 * x * x)
      {
        return x
      }
    }
  }
}
