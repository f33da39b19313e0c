import EngramNN
import EngramRandom
import Testing

@Suite("Optimizers and initialisers")
struct OptimizerTests {
  func run(_ optimizer: Optimizer, weights: [Float], gradients: [[Float]]) -> [Float] {
    var w = weights
    for g in gradients {
      var gg = g
      w.withUnsafeMutableBufferPointer { wp in
        gg.withUnsafeMutableBufferPointer { optimizer.step(parameters: wp, gradients: $0) }
      }
    }
    return w
  }

  @Test("SGD with momentum and weight decay follows PyTorch's update, step by step")
  func sgd() {
    // g₁ = 1 + 0.1·2 = 1.2; v = 1.2; w = 2 − 0.5·1.2 = 1.4.
    // g₂ = 1 + 0.1·1.4 = 1.14; v = 0.9·1.2 + 1.14 = 2.22; w = 1.4 − 0.5·2.22 = 0.29.
    let w = run(
      SGD(learningRate: 0.5, momentum: 0.9, weightDecay: 0.1), weights: [2], gradients: [[1], [1]])
    #expect(abs(w[0] - 0.29) < 1e-6)
    let plain = run(SGD(learningRate: 0.1), weights: [1, -1], gradients: [[2, 4]])
    #expect(plain == [0.8, -1.4])
  }

  @Test("Adam's first step moves each weight by about lr·sign(g); reset forgets the moments")
  func adam() {
    let adam = Adam(learningRate: 0.01)
    let w = run(adam, weights: [1, 1], gradients: [[0.5, -3]])
    // m̂ = g, v̂ = g²: step = lr·g/(|g| + ε).
    #expect(abs(w[0] - 0.99) < 1e-6 && abs(w[1] - 1.01) < 1e-6)
    // Second step with g = (0.5, 0): m = (0.095, −0.3)… checked against the closed form.
    let w2 = run(adam, weights: w, gradients: [[0.5, 0]])
    let m1: Float = 0.9 * 0.05 + 0.1 * 0.5
    let v1: Float = 0.999 * 0.00025 + 0.001 * 0.25
    let expected = w[0] - 0.01 * (m1 / (1 - 0.81)) / ((v1 / (1 - 0.998001)).squareRoot() + 1e-8)
    #expect(abs(w2[0] - expected) < 1e-6)
    #expect(!adam.state.isEmpty)
    adam.reset()
    #expect(adam.state.isEmpty)
  }

  @Test("optimiser state survives save and restore, including Adam's step count past 2²⁴")
  func stateRoundTrip() throws {
    let adam = Adam()
    _ = run(adam, weights: [1, 2, 3], gradients: [[1, 1, 1]])
    var state = adam.state
    state["steps"] = [Float(20_000_000 >> 24), Float(20_000_000 & 0xFF_FFFF)]
    let other = Adam()
    try other.restore(state, parameterCount: 3)
    #expect(other.state["steps"] == state["steps"])
    #expect(throws: ModelError.self) { try other.restore(state, parameterCount: 4) }
  }

  @Test("Kaiming-uniform stays within ±1/√fan_in with variance bound²/3; Xavier zeroes biases")
  func initializers() {
    var s = RandomStream(seed: 1)
    var w = [Float](repeating: 0, count: 40_000)
    var b = [Float](repeating: 0, count: 100)
    w.withUnsafeMutableBufferPointer { wp in
      b.withUnsafeMutableBufferPointer { bp in
        Initializer.kaimingUniform.fill(
          weights: wp.baseAddress!, count: 40_000, bias: bp.baseAddress!, biasCount: 100,
          fanIn: 400, fanOut: 100, using: &s)
      }
    }
    let bound: Float = 1 / 20
    #expect(w.allSatisfy { abs($0) <= bound } && b.allSatisfy { abs($0) <= bound })
    let variance = w.reduce(0) { $0 + Double($1 * $1) } / 40_000
    // U(−a, a) has variance a²/3; its sample variance has sd ≈ a²·0.0015 here.
    #expect(abs(variance - Double(bound * bound) / 3) < 2e-5)
    b.withUnsafeMutableBufferPointer { bp in
      w.withUnsafeMutableBufferPointer { wp in
        Initializer.xavierUniform.fill(
          weights: wp.baseAddress!, count: 40_000, bias: bp.baseAddress!, biasCount: 100,
          fanIn: 400, fanOut: 100, using: &s)
      }
    }
    #expect(b.allSatisfy { $0 == 0 } && w.allSatisfy { abs($0) <= (6.0 / 500).squareRoot() })
  }
}
