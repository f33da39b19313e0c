import EngramNN
import EngramRandom
import Testing

/// Central differences on Float layers: with h = 1e-2 the truncation error is O(h²·f‴) ≈ 1e-4
/// and the rounding error of f (≈ 1e-6 on sums of a few hundred O(1) terms) over 2h is ≈ 1e-4,
/// so an analytic gradient within 2 % + 2e-3 of the numeric one is right; layout or sign
/// errors give O(1) differences.
let step: Float = 1e-2

func agrees(_ analytic: Float, _ numeric: Float) -> Bool {
  abs(analytic - numeric) <= 0.02 * max(abs(analytic), abs(numeric)) + 2e-3
}

func randomTensor(_ rows: Int, _ columns: Int, _ stream: inout RandomStream, scale: Double = 1)
  -> Tensor
{
  Tensor(
    rows: rows, columns: columns,
    values: (0..<(rows * columns)).map { _ in Float(stream.nextGaussian() * scale) })
}

/// A layer bound to its own parameter and gradient buffers, for checking it alone.
final class Harness {
  let layer: Layer
  var parameters: [Float]
  var gradients: [Float]

  init(_ layer: Layer, seed: UInt64, batch: Int, initializer: Initializer = .kaimingUniform) {
    self.layer = layer
    parameters = [Float](repeating: 0, count: max(1, layer.parameterCount))
    gradients = [Float](repeating: 0, count: max(1, layer.parameterCount))
    parameters.withUnsafeMutableBufferPointer { p in
      gradients.withUnsafeMutableBufferPointer { g in
        layer.bind(parameters: p.baseAddress!, gradients: g.baseAddress!)
      }
    }
    var weights = RandomStream(seed: seed)
    var noise = RandomStream(seed: seed + 1)
    layer.initialize(initializer, weights: &weights, noise: &noise)
    // Biases start non-zero so that their gradients are exercised.
    for i in parameters.indices { parameters[i] += 0.05 * Float(i % 7) - 0.15 }
    layer.prepare(batchCapacity: batch)
  }

  /// f = Σ R ⊙ layer(x), in Double.
  func objective(_ x: Tensor, _ r: Tensor) -> Double {
    let y = layer.forward(x, mode: .inference)
    return (0..<y.count).reduce(0.0) { $0 + Double(y.pointer[$1]) * Double(r.pointer[$1]) }
  }

  /// Checks every parameter (or `sample` of them) and every input against central differences.
  func check(_ x: Tensor, _ r: Tensor, sample: Int? = nil, inputs: Bool = true) {
    gradients.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    let y = layer.forward(x, mode: .inference)
    guard let dx = layer.backward(r, input: x, output: y, inputGradient: true) else {
      Issue.record("no input gradient")
      return
    }
    let analyticInput = dx.array
    let analyticParameters = gradients
    let count = layer.parameterCount
    let chosen =
      sample.map { n in stride(from: 0, to: count, by: max(1, count / n)).map { $0 } }
      ?? Array(0..<count)
    for p in chosen {
      let saved = parameters[p]
      parameters[p] = saved + step
      let plus = objective(x, r)
      parameters[p] = saved - step
      let minus = objective(x, r)
      parameters[p] = saved
      let numeric = Float((plus - minus) / Double(2 * step))
      #expect(
        agrees(analyticParameters[p], numeric),
        "\(layer.description) parameter \(p): analytic \(analyticParameters[p]), numeric \(numeric)"
      )
    }
    guard inputs else { return }
    for i in 0..<x.count {
      let saved = x.pointer[i]
      x.pointer[i] = saved + step
      let plus = objective(x, r)
      x.pointer[i] = saved - step
      let minus = objective(x, r)
      x.pointer[i] = saved
      let numeric = Float((plus - minus) / Double(2 * step))
      #expect(
        agrees(analyticInput[i], numeric),
        "\(layer.description) input \(i): analytic \(analyticInput[i]), numeric \(numeric)")
    }
  }
}
