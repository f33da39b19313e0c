import EngramContinual
import EngramData
import EngramNN
import EngramRandom
import Foundation
import Testing

@testable import EngramContinual

/// The loss-of-plasticity methods on reference/plasticity.md's hand-checked cases.
@Suite("Plasticity methods")
struct PlasticityMethodTests {
  /// An MLP 8 → 3 → 4 on the two-task stream with the reference's outgoing weights in rows 0–1.
  func referenceModel() throws -> (Model, TaskStream, HiddenLayer) {
    let stream = try twoTaskStream()
    let model = try Architecture.mlp(hidden: [3]).build(input: stream.input, outputs: 4)
    model.initialize(streams: RandomStreams(seed: 1))
    let layer = try #require(model.hiddenLayers.first)
    let w: [[Float]] = [[0.5, -1, 0], [0.5, 1, 0.2], [0, 0, 0], [0, 0, 0]]
    for k in 0..<4 {
      for i in 0..<3 { model.parameters[layer.outgoingWeight(unit: i, output: k)] = w[k][i] }
      model.parameters[layer.outgoingBias(k)] = 0
    }
    return (model, stream, layer)
  }

  func close(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-4) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
  }

  @Test("hidden layers: each Linear → activation → Linear, with its flat offsets")
  func hiddenLayers() throws {
    let model = try Architecture.mlp(hidden: [5, 4]).build(input: InputShape(features: 3), outputs: 2)
    let layers = model.hiddenLayers
    #expect(layers.map(\.units) == [5, 4] && layers.map(\.fanIn) == [3, 5])
    #expect(layers.map(\.outgoingWidth) == [4, 2])
    #expect(layers[0].incomingOffset == 0 && layers[0].outgoingOffset == 3 * 5 + 5)
    #expect(layers[1].outgoingOffset == 20 + 5 * 4 + 4)
    #expect(try Architecture.mlp(hidden: []).build(input: InputShape(features: 3), outputs: 2)
      .hiddenLayers.isEmpty)
    // A unit's parameters: row, bias, one outgoing weight per output.
    #expect(layers[1].parameterRanges(unit: 2).reduce(0) { $0 + $1.count } == 5 + 1 + 2)
  }

  @Test("CBP utilities: h = (2, 0.5, 3) gives û = (2, 1, 0.6); then h = (1, 0, 1) gives (1.4975, 0.4975, 0.3990)")
  func cbpUtilities() throws {
    let (model, stream, layer) = try referenceModel()
    var cbp = ContinualBackprop(replacementRate: 0.5, maturity: 0, decay: 0.99, utility: .contribution)
    try cbp.prepare(model: model, stream: stream, batchSize: 1)
    var first: [Float] = [2, 0.5, 3]
    ContinualBackprop.updateUtilities(
      &cbp.layers[0], h: &first, rows: 1, layer: layer, parameters: model.parameters, decay: 0.99,
      utility: .contribution)
    #expect(close(cbp.layers[0].utility, [0.02, 0.01, 0.006], 1e-6))
    #expect(close(ContinualBackprop.correctedUtilities(cbp.layers[0], decay: 0.99), [2, 1, 0.6]))
    var second: [Float] = [1, 0, 1]
    ContinualBackprop.updateUtilities(
      &cbp.layers[0], h: &second, rows: 1, layer: layer, parameters: model.parameters, decay: 0.99,
      utility: .contribution)
    #expect(
      close(ContinualBackprop.correctedUtilities(cbp.layers[0], decay: 0.99), [1.4975, 0.4975, 0.3990]))
    // All mature: the lowest û, unit 3, is replaced; its column is zero, the others untouched,
    // and the new unit adds nothing to the output: only the old unit's share (0.2·h₃) is gone.
    let x = Tensor(rows: 1, columns: 8, values: (0..<8).map { Float($0) / 8 })
    model.prepare(batchCapacity: 4)
    let before = Array(model.forward(x, mode: .inference).buffer.prefix(4))
    let oldH = model.network.outputs[layer.activation].buffer[2]
    let rowBefore = (0..<8).map { model.parameters[layer.incomingWeight(unit: 2, input: $0)] }
    var rng = RandomStream(seed: 3)
    cbp.replace(layer: 0, count: 1, model: model, rng: &rng)
    let rowAfter = (0..<8).map { model.parameters[layer.incomingWeight(unit: 2, input: $0)] }
    #expect(rowAfter != rowBefore && model.parameters[layer.bias(unit: 2)] == 0)
    #expect((0..<4).allSatisfy { model.parameters[layer.outgoingWeight(unit: 2, output: $0)] == 0 })
    #expect(model.parameters[layer.outgoingWeight(unit: 1, output: 1)] == 1)
    #expect(cbp.layers[0].age[2] == 0 && cbp.layers[0].utility[2] == 0 && cbp.replacements == [1])
    #expect(
      close(
        Array(model.forward(x, mode: .inference).buffer.prefix(4)),
        [before[0], before[1] - 0.2 * oldH, before[2], before[3]], 1e-6))
    // Row, bias and column are queued for the optimiser to forget.
    #expect(model.takeReinitialized().reduce(0) { $0 + $1.count } == 8 + 1 + 4)
  }

  @Test("CBP bias transfer: with f̂₃ = 3 the next layer's bias gains W[:, 3]·3 = (0, 0.6)")
  func cbpBiasTransfer() throws {
    let (model, stream, layer) = try referenceModel()
    var cbp = ContinualBackprop(replacementRate: 0.5, maturity: 0, decay: 0.99, utility: .meanCorrected)
    try cbp.prepare(model: model, stream: stream, batchSize: 1)
    cbp.layers[0].age = [1, 1, 1]
    cbp.layers[0].meanActivation = [0, 0, 0.03]  // f̂ = 0.03 / (1 − 0.99) = 3
    cbp.layers[0].utility = [1, 1, 0]
    var rng = RandomStream(seed: 3)
    cbp.replace(layer: 0, count: 1, model: model, rng: &rng)
    let bias = (0..<4).map { model.parameters[layer.outgoingBias($0)] }
    #expect(close(bias, [0, 0.6, 0, 0], 1e-6))
    #expect(cbp.layers[0].meanActivation[2] == 0)
  }

  @Test("CBP's counter is exact: ρ|E| = 0.25 fires at steps 4, 8, 12; 0.1 at 10, 20 (a float sum fires at 11)")
  func cbpCounter() {
    func firing(_ rho: Double, eligible: Int, steps: Int) -> [Int] {
      let rate = ContinualBackprop.fraction(rho)
      var counter = 0
      return (1...steps).filter { _ in
        ContinualBackprop.advance(&counter, eligible: eligible, rate: rate) > 0
      }
    }
    #expect(firing(0.25, eligible: 1, steps: 12) == [4, 8, 12])
    #expect(firing(0.1, eligible: 1, steps: 20) == [10, 20])
    #expect(firing(0.05, eligible: 5, steps: 8) == [4, 8])
    var float = 0.0
    var floatFires: [Int] = []
    for step in 1...20 {
      float += 0.1
      if float >= 1 {
        floatFires.append(step)
        float -= 1
      }
    }
    #expect(floatFires.first == 11, "the float sum a naive counter uses is late")
    #expect(ContinualBackprop.fraction(1e-4) == (1, 10_000))
    #expect(ContinualBackprop.fraction(1e-9) == (1, 1_000_000_000))
  }

  @Test("CBP in a run replaces about ρ·units·steps units per layer and keeps training finite")
  func cbpRun() throws {
    let stream = try twoTaskStream()
    let plan = ExperimentPlan(
      stream: stream, architecture: .mlp(hidden: [32, 32]),
      optimizer: .sgd(learningRate: 0.05, momentum: 0.9, weightDecay: 0),
      trainer: TrainerConfig(batchSize: 16, epochs: 2),
      strategies: [ContinualBackprop(replacementRate: 0.01, maturity: 5)], seed: 1)
    let experiment = try ContinualExperiment(plan: plan)
    let result = try experiment.run()
    let cbp = try #require(experiment.trainer.strategies.first as? ContinualBackprop)
    // 2 tasks × 15 steps × 2 epochs = 60 steps; eligible after step 5: ≈ 0.01·32·55 ≈ 17.
    #expect(cbp.replacements.allSatisfy { (15...19).contains($0) }, "\(cbp.replacements)")
    #expect(result.accuracyMatrix.rows[1][1] > 0.8)
  }

  @Test("ReDo scores from mean activations (0, 2, 2, 0.05): s = (0, 1.9753, 1.9753, 0.04938)")
  func redoScores() {
    let means = [0.0, 2, 2, 0.05]
    let s = RepresentationMeasures.dormantScores(means: means)
    let expected = [0, 1.9753, 1.9753, 0.04938]
    #expect(zip(s, expected).allSatisfy { abs($0 - $1) < 1e-4 })
    #expect(RepresentationMeasures.dormantUnits(scores: s, tau: 0.025) == [0])
    #expect(RepresentationMeasures.dormantUnits(scores: s, tau: 0.1) == [0, 3])
  }

  @Test("ReDo recycles a dead unit every F steps: fresh row, zero bias and column, and no other")
  func redoRecycles() throws {
    let stream = try twoTaskStream()
    let model = try Architecture.mlp(hidden: [6]).build(input: stream.input, outputs: 4)
    model.initialize(streams: RandomStreams(seed: 2))
    let layer = try #require(model.hiddenLayers.first)
    // Unit 0 dead: a large negative bias.
    model.parameters[layer.bias(unit: 0)] = -1000
    let trainer = try Trainer(
      model: model, optimizer: SGD(learningRate: 0.01, momentum: 0.9),
      config: TrainerConfig(batchSize: 8), stream: stream, strategies: [ReDo(threshold: 0.01, every: 3)],
      streams: RandomStreams(seed: 2))
    try trainer.beginTask(0)
    let examples = stream.trainingViews[0]
    for s in 0..<3 {
      try trainer.step(newExamples: examples[(s * 8)..<(s * 8 + 8)], task: 0)
    }
    let redo = try #require(trainer.strategies.first as? ReDo)
    #expect(redo.recycled == [1])
    #expect(model.parameters[layer.bias(unit: 0)] == 0)
    #expect((0..<4).allSatisfy { model.parameters[layer.outgoingWeight(unit: 0, output: $0)] == 0 })
    #expect(model.parameters[layer.bias(unit: 1)] != 0)
  }

  @Test("spectral: W = diag(2, 0.5), u₀ = (1, 1)/√2: σ̂ 1.944071 then 1.999771; penalty 7.7251, ∂/∂W₁₁ 20.927")
  func spectralCase() {
    var theta: [Float] = [2, 0, 0, 0.5, 0, 0]
    var gradient = [Float](repeating: 0, count: 6)
    var u: [Float] = [1 / Float(2).squareRoot(), 1 / Float(2).squareRoot()]
    var v: [Float] = [0, 0]
    let matrix = SpectralRegularization.WeightMatrix(offset: 0, rows: 2, columns: 2)
    func once() -> Float {
      theta.withUnsafeMutableBufferPointer { t in
        gradient.withUnsafeMutableBufferPointer { g in
          SpectralRegularization.penalize(
            matrix, includeBias: false, u: &u, v: &v, parameters: t, gradient: g, lambda: 1,
            power: 2)
        }
      }
    }
    let first = once()
    #expect(abs(first - 7.7251) < 1e-3 && abs(gradient[0] - 20.927) < 1e-2)
    #expect(gradient[4] == 0 && gradient[5] == 0, "the bias is left alone by default")
    let second = once()
    let sigma = (second.squareRoot() + 1).squareRoot()
    #expect(abs(sigma - 1.999771) < 1e-4)
  }

  @Test("L2: loss (λ/2)‖θ‖², gradient λθ")
  func l2() throws {
    let stream = try twoTaskStream()
    let model = try Architecture.mlp(hidden: []).build(input: stream.input, outputs: 4)
    model.initialize(streams: RandomStreams(seed: 1))
    let gradient = [Float](repeating: 0, count: model.parameterCount)
    var copy = gradient
    let value: Float = copy.withUnsafeMutableBufferPointer { g in
      var terms = LossTerms(logitGradient: Tensor(rows: 1, columns: 4), parameterGradient: g)
      var l2 = L2(lambda: 0.1)
      let x = Tensor(rows: 1, columns: 8)
      var labels: [Int32] = [0]
      var tasks: [Int32] = [0]
      var losses: [Float] = [0]
      let view = BatchView(
        inputs: x, labels: &labels, tasks: &tasks, segments: [], logits: Tensor(rows: 1, columns: 4),
        newExamples: nil, rawNewInputs: nil, currentTask: 0, stream: stream,
        mask: .only([0], of: 4), perExampleLoss: &losses)
      l2.addLoss(&terms, batch: view, model: model)
      return terms.total
    }
    let theta = Array(model.parameters)
    let expected = 0.05 * theta.reduce(0) { $0 + $1 * $1 }
    #expect(abs(value - expected) < 1e-5)
    #expect(zip(copy, theta).allSatisfy { abs($0 - 0.1 * $1) < 1e-7 })
  }

  @Test("optimisers forget only the given parameters (SGD velocity, Adam moments; Adam's t kept)")
  func optimizerForget() throws {
    var w: [Float] = [1, 2, 3, 4]
    var g: [Float] = [1, 1, 1, 1]
    let sgd = SGD(learningRate: 0.1, momentum: 0.9)
    let adam = Adam(learningRate: 0.1)
    for optimizer in [sgd as Optimizer, adam] {
      w.withUnsafeMutableBufferPointer { wp in
        g.withUnsafeMutableBufferPointer { optimizer.step(parameters: wp, gradients: $0) }
      }
      optimizer.forget([1..<3])
    }
    #expect(sgd.state["velocity"] == [1, 0, 0, 1])
    #expect(adam.state["first"].map { $0[1] == 0 && $0[2] == 0 && $0[0] != 0 } == true)
    #expect(adam.state["steps"] == [0, 1])
  }
}
