import EngramNN
import EngramRandom
import Testing

@Suite("Layers")
struct LayerTests {
  @Test("linear: gradients of W, b and x match finite differences")
  func linearGradients() {
    var s = RandomStream(seed: 1)
    let h = Harness(Linear(5, 3), seed: 2, batch: 4)
    h.check(randomTensor(4, 5, &s), randomTensor(4, 3, &s))
  }

  @Test("linear stores W as outputs × inputs, then b: y = x·Wᵀ + b")
  func linearLayout() {
    let h = Harness(Linear(2, 3), seed: 0, batch: 1)
    // W = [[1, 2], [3, 4], [5, 6]], b = [10, 20, 30]
    for (i, v) in [1, 2, 3, 4, 5, 6, 10, 20, 30].enumerated() { h.parameters[i] = Float(v) }
    let y = h.layer.forward(Tensor(rows: 1, columns: 2, values: [1, -1]), mode: .inference)
    #expect(y.array == [9, 19, 29])
  }

  @Test(
    "activations: input gradients match finite differences away from kinks",
    arguments: [
      Activation.Kind.relu, .leakyReLU(slope: 0.1), .tanh, .sigmoid,
      .elephant(width: 1, steepness: 4, height: 1), .elephant(width: 0.5, steepness: 2, height: 2),
    ])
  func activationGradients(kind: Activation.Kind) {
    var s = RandomStream(seed: 3)
    let x = randomTensor(3, 6, &s)
    // Keep every input at least 2h from the kink at 0.
    for i in 0..<x.count where abs(x.pointer[i]) < 0.05 {
      x.pointer[i] = x.pointer[i] < 0 ? -0.3 : 0.3
    }
    Harness(Activation(kind, width: 6), seed: 0, batch: 3).check(x, randomTensor(3, 6, &s))
  }

  @Test("activation values: relu, leaky relu, tanh, sigmoid at known points")
  func activationValues() {
    let x = Tensor(rows: 1, columns: 3, values: [-2, 0, 2])
    func run(_ kind: Activation.Kind) -> [Float] {
      let layer = Activation(kind, width: 3)
      layer.prepare(batchCapacity: 1)
      return layer.forward(x, mode: .inference).array
    }
    #expect(run(.relu) == [0, 0, 2])
    #expect(run(.leakyReLU(slope: 0.1)) == [-0.2, 0, 2])
    #expect(abs(run(.tanh)[2] - 0.9640276) < 1e-6)
    #expect(abs(run(.sigmoid)[0] - 0.11920292) < 1e-6)
  }

  @Test("Elephant (a = 1, d = 4): f(0, 0.5, 1, 2) = (1, 0.941176, 0.5, 0.058824), f' = (0, −0.442907, −1, −0.110727)")
  func elephantValues() {
    let x = Tensor(rows: 1, columns: 4, values: [0, 0.5, 1, 2])
    let layer = Activation(.elephant(width: 1, steepness: 4, height: 1), width: 4)
    layer.prepare(batchCapacity: 1)
    let y = layer.forward(x, mode: .training)
    for (got, want) in zip(y.array, [1, 0.941176, 0.5, 0.058824] as [Float]) {
      #expect(abs(got - want) < 1e-6)
    }
    let ones = Tensor(rows: 1, columns: 4, values: [1, 1, 1, 1])
    let dx = layer.backward(ones, input: x, output: y, inputGradient: true)?.array ?? []
    for (got, want) in zip(dx, [0, -0.442907, -1, -0.110727] as [Float]) {
      #expect(abs(got - want) < 1e-6)
    }
  }

  @Test("conv2d: gradients of W, b and x match finite differences", arguments: [(1, 1), (2, 0)])
  func convGradients(stride: Int, padding: Int) {
    var s = RandomStream(seed: 5)
    let g = ConvolutionGeometry(
      height: 5, width: 4, channels: 2, kernel: 3, stride: stride, padding: padding)
    let conv = Conv2D(g, outputChannels: 3)
    Harness(conv, seed: 6, batch: 2).check(
      randomTensor(2, g.inputFeatures, &s), randomTensor(2, conv.outputWidth, &s))
  }

  @Test("conv2d equals a direct convolution on channels-last images (layout)")
  func convLayout() {
    var s = RandomStream(seed: 7)
    let g = ConvolutionGeometry(height: 4, width: 5, channels: 2, kernel: 3, stride: 1, padding: 1)
    let conv = Conv2D(g, outputChannels: 2)
    let h = Harness(conv, seed: 8, batch: 1)
    let x = randomTensor(1, g.inputFeatures, &s)
    let y = conv.forward(x, mode: .inference)
    let w = h.parameters
    for oy in 0..<4 {
      for ox in 0..<5 {
        for o in 0..<2 {
          var sum = w[2 * 18 + o]  // bias after the 2 × (3·3·2) weights
          for ky in 0..<3 {
            for kx in 0..<3 {
              for c in 0..<2 {
                let iy = oy - 1 + ky
                let ix = ox - 1 + kx
                guard iy >= 0, iy < 4, ix >= 0, ix < 5 else { continue }
                sum += w[o * 18 + (ky * 3 + kx) * 2 + c] * x.pointer[(iy * 5 + ix) * 2 + c]
              }
            }
          }
          #expect(abs(y.pointer[(oy * 5 + ox) * 2 + o] - sum) < 1e-5)
        }
      }
    }
  }

  @Test("max-pool: picks the window maximum and routes the gradient to it")
  func maxPool() {
    let pool = MaxPool2D(height: 4, width: 4, channels: 1)
    pool.prepare(batchCapacity: 1)
    let x = Tensor(rows: 1, columns: 16, values: (0..<16).map { Float(($0 * 7) % 16) })
    let y = pool.forward(x, mode: .inference)
    // Rows: [0 7 14 5], [12 3 10 1], [8 15 6 13], [4 11 2 9].
    #expect(y.array == [12, 14, 15, 13])
    var s = RandomStream(seed: 9)
    // Distinct values more than 2h apart: no ties, so finite differences see a smooth function.
    let xs = Tensor(rows: 2, columns: 32, values: (0..<64).map { Float(($0 * 37) % 64) * 0.1 })
    Harness(MaxPool2D(height: 4, width: 4, channels: 2), seed: 0, batch: 2).check(
      xs, randomTensor(2, 8, &s))
  }

  @Test("dropout: identity at inference; in training it zeroes about p and rescales the rest")
  func dropout() {
    let layer = Dropout(probability: 0.25, width: 1000)
    var w = RandomStream(seed: 1)
    var n = RandomStream(seed: 2)
    layer.initialize(.kaimingUniform, weights: &w, noise: &n)
    layer.prepare(batchCapacity: 4)
    let x = Tensor(rows: 4, columns: 1000, values: [Float](repeating: 1, count: 4000))
    #expect(layer.forward(x, mode: .inference).array == x.array)
    let y = layer.forward(x, mode: .training).array
    let zeros = y.filter { $0 == 0 }.count
    // Binomial(4000, 0.25): mean 1000, sd ≈ 27; allow 5 sd.
    #expect(abs(zeros - 1000) < 137)
    #expect(y.allSatisfy { $0 == 0 || abs($0 - 4.0 / 3) < 1e-6 })
    let r = Tensor(rows: 4, columns: 1000, values: [Float](repeating: 1, count: 4000))
    let dx =
      layer.backward(
        r, input: x, output: Tensor(rows: 4, columns: 1000, values: y), inputGradient: true)?.array
      ?? []
    #expect(dx == y)
  }
}
