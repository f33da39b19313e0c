import EngramIO
import EngramNN
import EngramRandom
import Foundation
import Testing

func tinyModel(
  _ text: String = "mlp:6,5", seed: UInt64 = 1, input: InputShape = InputShape(features: 4),
  classes: Int = 3
) throws -> Model {
  let model = try Architecture(parsing: text).build(input: input, outputs: classes)
  model.initialize(streams: RandomStreams(seed: seed))
  model.prepare(batchCapacity: 8)
  return model
}

@Suite("Models")
struct ModelTests {
  @Test("architecture strings parse, print back, and reject nonsense with the fix")
  func architectures() throws {
    #expect(try Architecture(parsing: "mlp:400,400") == .mlp(hidden: [400, 400]))
    #expect(try Architecture(parsing: "cnn").description == "cnn:32,64,128")
    #expect(try Architecture(parsing: "linear") == .mlp(hidden: []))
    #expect(throws: ModelError.unknownArchitecture("resnet")) {
      try Architecture(parsing: "resnet")
    }
    #expect(throws: ModelError.self) { try Architecture(parsing: "mlp:400,x") }
    #expect(throws: ModelError.self) { try Architecture(parsing: "mlp:0") }
    #expect(throws: ModelError.needsImages("cnn:32,64,128")) {
      try Architecture(parsing: "cnn").build(input: InputShape(features: 10), outputs: 2)
    }
    #expect(
      ModelError.unknownArchitecture("resnet").description
        == "unknown architecture 'resnet'; use one of mlp:W1,W2,… (e.g. mlp:400,400), linear, cnn, cnn:C1,C2,H"
    )
  }

  @Test("784-400-400-10 has 478 410 parameters laid out layer by layer")
  func parameterCount() throws {
    let model = try Architecture(parsing: "mlp:400,400").build(
      input: InputShape(features: 784), outputs: 10)
    #expect(model.parameterCount == 784 * 400 + 400 + 400 * 400 + 400 + 400 * 10 + 10)
    #expect(model.windows.map(\.offset) == [0, 314_000, 474_400])
    let cnn = try Architecture(parsing: "cnn").build(
      input: InputShape(height: 28, width: 28), outputs: 10)
    #expect(
      cnn.parameterCount == (9 * 32 + 32) + (9 * 32 * 64 + 64) + (7 * 7 * 64 * 128 + 128)
        + (128 * 10 + 10))
  }

  @Test("the whole model's parameter gradient matches finite differences through cross-entropy")
  func modelGradient() throws {
    for text in ["mlp:6,5", "cnn:2,3,4"] {
      let input = text.hasPrefix("cnn") ? InputShape(height: 4, width: 4) : InputShape(features: 4)
      let model = try tinyModel(text, input: input)
      var s = RandomStream(seed: 3)
      let x = randomTensor(3, input.features, &s)
      var labels: [Int32] = [0, 2, 1]
      let gradient = Tensor(rows: 3, columns: 3)
      func loss() -> Float {
        SoftmaxCrossEntropy.loss(logits: model.forward(x, mode: .inference), labels: &labels)
      }
      model.zeroGradients()
      _ = SoftmaxCrossEntropy.loss(logits: model.forward(x), labels: &labels, gradient: gradient)
      model.backward(gradient)
      let analytic = Array(model.gradients)
      let p = model.parameters
      func numeric(_ i: Int, _ h: Float) -> Float {
        let saved = p[i]
        p[i] = saved + h
        let plus = loss()
        p[i] = saved - h
        let minus = loss()
        p[i] = saved
        return (plus - minus) / (2 * h)
      }
      // Where a ReLU or a max-pool winner flips inside ±h, differences at h and h/2 disagree:
      // the function is not smooth there, so that point says nothing and is skipped.
      var checked = 0
      var skipped = 0
      for i in stride(from: 0, to: model.parameterCount, by: max(1, model.parameterCount / 40)) {
        let coarse = numeric(i, step)
        guard agrees(coarse, numeric(i, step / 2)) else {
          skipped += 1
          continue
        }
        checked += 1
        #expect(agrees(analytic[i], coarse), "\(text) parameter \(i)")
      }
      #expect(
        skipped * 3 <= checked, "\(text): \(skipped) non-smooth points of \(checked + skipped)")
    }
  }

  @Test("same seed gives bit-identical weights after training steps; another seed does not")
  func determinism() throws {
    func trained(seed: UInt64) throws -> [Float] {
      let model = try tinyModel(seed: seed)
      let sgd = SGD(learningRate: 0.1, momentum: 0.9)
      var s = RandomStream(seed: 42)
      let x = randomTensor(8, 4, &s)
      var labels: [Int32] = [0, 1, 2, 0, 1, 2, 0, 1]
      let gradient = Tensor(rows: 8, columns: 3)
      for _ in 0..<20 {
        model.zeroGradients()
        _ = SoftmaxCrossEntropy.loss(logits: model.forward(x), labels: &labels, gradient: gradient)
        model.backward(gradient)
        sgd.step(parameters: model.parameters, gradients: model.gradients)
      }
      return model.parameterArray
    }
    #expect(try trained(seed: 5) == trained(seed: 5))
    #expect(try trained(seed: 5) != trained(seed: 6))
  }

  @Test("clones are independent copies; activations expose each layer's output")
  func cloneAndActivations() throws {
    let model = try tinyModel()
    let copy = model.clone()
    #expect(copy.parameterArray == model.parameterArray)
    model.parameters[0] += 1
    #expect(copy.parameters[0] != model.parameters[0])
    var s = RandomStream(seed: 1)
    _ = model.forward(randomTensor(2, 4, &s), mode: .inference)
    #expect(
      model.activations.map(\.layer) == ["linear 4→6", "relu", "linear 6→5", "relu", "linear 5→3"])
    #expect(model.activations[1].values.array.allSatisfy { $0 >= 0 })
  }
}

@Suite("Per-example gradient statistics")
struct PerExampleTests {
  @Test(
    "Σₙ gₙ² and Σₙ |gₙ| equal the sums of single-example gradients",
    arguments: ["mlp:5", "cnn:2,2,3"])
  func matchesSingleExamples(text: String) throws {
    let input = text.hasPrefix("cnn") ? InputShape(height: 4, width: 4) : InputShape(features: 4)
    let model = try tinyModel(text, input: input)
    var s = RandomStream(seed: 8)
    let x = randomTensor(3, input.features, &s)
    var labels: [Int32] = [2, 0, 1]
    for statistic in [PerExampleStatistic.squared, .absolute] {
      // Per-example output gradients: CE with weight n gives ∂ℓₙ/∂z per row.
      let g = Tensor(rows: 3, columns: 3)
      _ = SoftmaxCrossEntropy.loss(
        logits: model.forward(x, mode: .inference), labels: &labels, gradient: g, weight: 3)
      var fast = [Float](repeating: 0, count: model.parameterCount)
      model.gradients.update(repeating: 7)
      fast.withUnsafeMutableBufferPointer {
        model.accumulatePerExample(statistic, outputGradient: g, into: $0)
      }
      #expect(model.gradients.allSatisfy { $0 == 7 })
      var slow = [Float](repeating: 0, count: model.parameterCount)
      for n in 0..<3 {
        let one = x.rows(n, count: 1)
        let gOne = Tensor(rows: 1, columns: 3)
        _ = SoftmaxCrossEntropy.loss(
          logits: model.forward(one, mode: .inference), labels: &labels[n], gradient: gOne)
        model.zeroGradients()
        model.backward(gOne)
        for i in slow.indices {
          slow[i] +=
            statistic == .squared
            ? model.gradients[i] * model.gradients[i] : abs(model.gradients[i])
        }
      }
      for i in slow.indices {
        #expect(
          abs(fast[i] - slow[i]) <= 1e-5 + 1e-4 * abs(slow[i]),
          "\(text) \(statistic) parameter \(i)")
      }
    }
  }
}

@Suite("Model sizes")
struct ModelSizeTests {
  @Test("parameters are counted before anything is allocated, exactly as the built model has them")
  func countedBeforeBuilding() throws {
    let image = InputShape(height: 28, width: 28)
    for (text, input) in [
      ("linear", InputShape(features: 7)), ("mlp:400,400", image), ("mlp:3", InputShape(features: 5)),
      ("cnn", image), ("cnn:4,8,16", InputShape(height: 12, width: 10, channels: 3)),
    ] {
      let architecture = try Architecture(parsing: text)
      let model = try architecture.build(input: input, outputs: 10)
      #expect(architecture.parameterCount(input: input, outputs: 10) == model.parameterCount, "\(text)")
    }
  }

  @Test("a model larger than the machine's memory is refused, naming what it would need")
  func tooLarge() throws {
    let huge = try Architecture(parsing: "mlp:1000000,1000000")
    #expect(throws: MemoryLimitError.self) {
      try huge.build(input: InputShape(features: 784), outputs: 10)
    }
    #expect(Architecture.mlp(hidden: [Int.max / 2, 4]).parameterCount(
      input: InputShape(features: 8), outputs: 2) == nil)
  }
}
