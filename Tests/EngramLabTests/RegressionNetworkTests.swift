import EngramLinalg
import EngramRandom
import EngramTheory
import Testing

@testable import EngramLab

@Suite("Regression study networks")
struct RegressionNetworkTests {
  /// Two new samples and one replayed sample in R²; one full-batch step from w = 0.
  func step(rate: Double) throws -> RegressionNetwork {
    let network = try RegressionNetwork.linear(dimension: 2)
    let task = RegressionSamples(x: try Matrix([[1, 0], [0, 1]]), y: [1, 2])
    let memory = RegressionSamples(x: try Matrix([[1, 1]]), y: [3])
    var rng = RandomStream(seed: 0)
    try network.train(
      on: task, replaying: memory,
      schedule: RegressionSchedule(epochs: 1, batch: 2, firstRate: rate, secondRate: rate),
      taskIndex: 0, optimizer: .sgd(learningRate: Float(rate), momentum: 0, weightDecay: 0),
      rng: &rng)
    return network
  }

  @Test("the linear model takes an SGD step on new-part mean plus replayed-part mean, bias stays 0")
  func linearStep() throws {
    // At w = 0 the gradient is (2/2)·Σ x(−y) over the new rows = (−1, −2), plus (2/1)·(1, 1)(−3)
    // = (−6, −6) over the replayed row: (−7, −8); with rate 0.1, w = (0.7, 0.8). Float32
    // arithmetic on these small integers is exact to 1e-6.
    let network = try step(rate: 0.1)
    let p = Array(network.model.parameters)
    #expect(p.count == 3)
    #expect(abs(p[0] - 0.7) < 1e-6 && abs(p[1] - 0.8) < 1e-6 && p[2] == 0)
    // MSE on the two new rows: ((0.7 − 1)² + (0.8 − 2)²) / 2 = (0.09 + 1.44) / 2 = 0.765.
    let task = RegressionSamples(x: try Matrix([[1, 0], [0, 1]]), y: [1, 2])
    #expect(abs(network.meanSquaredError(on: task) - 0.765) < 1e-6)
  }

  @Test("a diverging rate stops training with an error naming the model's learning rate")
  func divergence() throws {
    let network = try RegressionNetwork.linear(dimension: 2)
    let task = RegressionSamples(x: try Matrix([[1, 0], [0, 1]]), y: [1, 2])
    var rng = RandomStream(seed: 0)
    do {
      try network.train(
        on: task, replaying: nil,
        schedule: RegressionSchedule(epochs: 200, batch: 1, firstRate: 1e30, secondRate: 1e30),
        taskIndex: 0, optimizer: .sgd(learningRate: 1e30, momentum: 0, weightDecay: 0), rng: &rng)
      Issue.record("a rate of 1e30 did not diverge")
    } catch let error as TheoryError {
      #expect("\(error)".hasPrefix("linear learning rate = 1e+30"), "\(error)")
    }
    #expect(network.model.parameters.allSatisfy { $0.isFinite })
  }
}
