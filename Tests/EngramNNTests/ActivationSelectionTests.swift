import EngramNN
import EngramRandom
import Testing

@Suite("Hidden activation selection")
struct ActivationSelectionTests {
  @Test("names parse to kinds and back; bad ones name the problem")
  func parsing() throws {
    #expect(try Activation.Kind(parsing: "relu") == .relu)
    #expect(try Activation.Kind(parsing: "elephant") == .elephant(width: 1, steepness: 4, height: 1))
    let custom = try Activation.Kind(parsing: "elephant:0.5,2")
    #expect(custom == .elephant(width: 0.5, steepness: 2, height: 1))
    #expect(try Activation.Kind(parsing: custom.name) == custom)
    #expect(Activation.Kind.elephantDefault.name == "elephant")
    for bad in ["sigmoid", "elephant:0", "elephant:1,2,3,4", "elephant:x", "elephant:inf", ""] {
      #expect(throws: ModelError.self) { try Activation.Kind(parsing: bad) }
    }
  }

  @Test("an MLP and a CNN use the activation after every hidden layer, not the output")
  func build() throws {
    let kind = Activation.Kind.elephantDefault
    let mlp = try Architecture.mlp(hidden: [8, 6]).build(
      input: InputShape(features: 5), outputs: 3, activation: kind)
    let kinds = mlp.network.layers.compactMap { ($0 as? Activation)?.kind }
    #expect(kinds == [kind, kind] && mlp.network.layers.last is Linear)
    #expect(mlp.hiddenActivation == kind)
    let cnn = try Architecture.cnn(channels: [2, 3], hidden: 4).build(
      input: InputShape(height: 8, width: 8), outputs: 2, activation: kind)
    #expect(cnn.network.layers.compactMap { ($0 as? Activation)?.kind } == [kind, kind, kind])
    #expect(try Architecture.mlp(hidden: [4]).build(input: InputShape(features: 2), outputs: 2)
      .hiddenActivation == .relu)
  }

  @Test("a checkpoint of an Elephant network is refused by a ReLU one of the same shape")
  func checkpointNamesActivation() throws {
    let architecture = Architecture.mlp(hidden: [4])
    let elephant = try architecture.build(
      input: InputShape(features: 3), outputs: 2, activation: .elephantDefault)
    elephant.initialize(streams: RandomStreams(seed: 1))
    var checkpoint = Checkpoint()
    elephant.save(into: &checkpoint)
    let relu = try architecture.build(input: InputShape(features: 3), outputs: 2)
    #expect(
      throws: ModelError.checkpointMismatch(
        file: "m.ckpt", field: "activation", expected: "relu", found: "elephant")
    ) { try relu.load(from: checkpoint, file: "m.ckpt") }
    let again = try architecture.build(
      input: InputShape(features: 3), outputs: 2, activation: .elephantDefault)
    try again.load(from: checkpoint, file: "m.ckpt")
    #expect(again.parameterArray == elephant.parameterArray)
  }
}
