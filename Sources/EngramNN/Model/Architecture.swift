import EngramIO
import Foundation

/// The shape of a network's input: a flat feature count, and image geometry when the features
/// are images (channels last).
public struct InputShape: Sendable, Equatable {
  /// Features per example.
  public let features: Int
  /// Image height, width and channels, if the features are an image.
  public let image: (height: Int, width: Int, channels: Int)?

  /// Plain features.
  public init(features: Int) {
    self.features = features
    self.image = nil
  }

  /// An image of height × width × channels.
  public init(height: Int, width: Int, channels: Int = 1) {
    self.features = height * width * channels
    self.image = (height, width, channels)
  }

  public static func == (a: InputShape, b: InputShape) -> Bool {
    a.features == b.features && a.image?.height == b.image?.height
      && a.image?.width == b.image?.width
      && a.image?.channels == b.image?.channels
  }
}

/// A network architecture by name: `mlp:400,400`, `linear`, `cnn` or `cnn:C1,C2,H`.
///
/// - `mlp:W1,…,Wk`: Linear → ReLU (or the activation `build` is given) per hidden width, then Linear to the classes (the field's
///   standard 784-400-400-10 is `mlp:400,400`).
/// - `linear`: one Linear layer (multinomial logistic regression).
/// - `cnn:C1,C2,H` (`cnn` = `cnn:32,64,128`): two blocks of 3×3 convolution (padding 1) → ReLU →
///   2×2 max-pool, then Linear → ReLU to H units and Linear to the classes. For 28×28 inputs.
public enum Architecture: Sendable, Equatable, CustomStringConvertible {
  /// A multilayer perceptron with these hidden widths.
  case mlp(hidden: [Int])
  /// A small convolutional network.
  case cnn(channels: [Int], hidden: Int)

  /// Parses an architecture string.
  /// - Throws: `ModelError.unknownArchitecture` or `.invalidArchitecture`.
  public init(parsing text: String) throws {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let parts = trimmed.split(separator: ":", maxSplits: 1).map(String.init)
    let numbers = { (list: String) throws -> [Int] in
      let values = list.split(separator: ",", omittingEmptySubsequences: false).map {
        Int($0.trimmingCharacters(in: .whitespaces))
      }
      guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 1_000_000 }) else {
        throw ModelError.invalidArchitecture(
          trimmed, problem: "'\(list)' must be positive whole numbers separated by commas")
      }
      return values.compactMap { $0 }
    }
    switch (parts.first ?? "", parts.count) {
    case ("linear", 1):
      self = .mlp(hidden: [])
    case ("mlp", 2):
      self = .mlp(hidden: try numbers(parts[1]))
    case ("mlp", 1):
      throw ModelError.invalidArchitecture(trimmed, problem: "give the hidden widths after a colon")
    case ("cnn", 1):
      self = .cnn(channels: [32, 64], hidden: 128)
    case ("cnn", 2):
      let values = try numbers(parts[1])
      guard values.count == 3 else {
        throw ModelError.invalidArchitecture(
          trimmed, problem: "cnn takes three numbers: two channel counts and a hidden width")
      }
      self = .cnn(channels: [values[0], values[1]], hidden: values[2])
    default:
      throw ModelError.unknownArchitecture(trimmed)
    }
  }

  /// The canonical string (parsing it gives this architecture back).
  public var description: String {
    switch self {
    case .mlp(let hidden):
      return hidden.isEmpty ? "linear" : "mlp:" + hidden.map(String.init).joined(separator: ",")
    case .cnn(let channels, let hidden): return "cnn:\(channels[0]),\(channels[1]),\(hidden)"
    }
  }

  /// Builds the layers for an input shape and a number of outputs (parameters still zero), with
  /// `activation` after every hidden layer.
  /// - Throws: `ModelError.needsImages` for a CNN on plain features;
  ///   `.invalidArchitecture` when the image is too small for two poolings.
  public func build(
    input: InputShape, outputs: Int, activation: Activation.Kind = .relu
  ) throws -> Model {
    // Parameters, gradients and up to two optimiser moments: 16 bytes a parameter.
    try MemoryLimit.check(
      count: parameterCount(input: input, outputs: outputs), bytesEach: 16,
      for: "the model \(description)")
    var layers: [Layer] = []
    switch self {
    case .mlp(let hidden):
      var width = input.features
      for h in hidden {
        layers.append(Linear(width, h))
        layers.append(Activation(activation, width: h))
        width = h
      }
      layers.append(Linear(width, outputs))
    case .cnn(let channels, let hidden):
      guard let image = input.image else { throw ModelError.needsImages(description) }
      var (h, w, c) = image
      for out in channels {
        guard h >= 2 && w >= 2 else {
          throw ModelError.invalidArchitecture(
            description,
            problem: "the \(image.height)×\(image.width) input is too small for two 2×2 poolings")
        }
        let conv = Conv2D(
          ConvolutionGeometry(height: h, width: w, channels: c, kernel: 3, stride: 1, padding: 1),
          outputChannels: out)
        layers.append(conv)
        layers.append(Activation(activation, width: conv.outputWidth))
        let pool = MaxPool2D(height: h, width: w, channels: out)
        layers.append(pool)
        (h, w, c) = (pool.geometry.outputHeight, pool.geometry.outputWidth, out)
      }
      layers.append(Flatten(width: h * w * c))
      layers.append(Linear(h * w * c, hidden))
      layers.append(Activation(activation, width: hidden))
      layers.append(Linear(hidden, outputs))
    }
    return Model(architecture: self, layers: layers)
  }

  /// The number of parameters for an input shape and output count, counted before anything is
  /// allocated (nil when it overflows).
  public func parameterCount(input: InputShape, outputs: Int) -> Int? {
    func linear(_ inputs: Int?, _ outputs: Int) -> Int? {
      CheckedSize.sum([CheckedSize.product(inputs, outputs), outputs])
    }
    switch self {
    case .mlp(let hidden):
      var widths: [Int] = [input.features] + hidden
      widths.append(outputs)
      return CheckedSize.sum(zip(widths, widths.dropFirst()).map { linear($0, $1) })
    case .cnn(let channels, let hidden):
      guard let image = input.image else { return 0 }
      var (h, w, c) = image
      var counts: [Int?] = []
      for out in channels {
        counts.append(CheckedSize.sum([CheckedSize.product(9, c, out), out]))
        (h, w, c) = (h / 2, w / 2, out)
      }
      counts.append(linear(CheckedSize.product(h, w, c), hidden))
      counts.append(linear(hidden, outputs))
      return CheckedSize.sum(counts)
    }
  }
}
