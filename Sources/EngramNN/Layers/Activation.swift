import EngramRandom
import Foundation

/// An element-wise nonlinearity: ReLU, leaky ReLU, tanh, the logistic sigmoid or Elephant.
///
/// Backward uses the layer's output y where it determines the derivative:
/// ReLU 1[y > 0]; leaky ReLU 1 or the slope by the sign of y; tanh 1 − y²; sigmoid y(1 − y).
/// Elephant's derivative needs the input x.
public final class Activation: Layer {
  /// Which nonlinearity.
  public enum Kind: Sendable, Equatable {
    /// max(x, 0).
    case relu
    /// x for x > 0, slope·x otherwise.
    case leakyReLU(slope: Float)
    /// tanh x.
    case tanh
    /// 1 / (1 + e^{−x}).
    case sigmoid
    /// Elephant (Lan & Mahmood 2023): h / (1 + |x/a|^d), a bump of height h and width a whose
    /// gradient vanishes away from 0, so few units change for any one input (sparse,
    /// local updates). Fixed a, d, h here (the 2025 code also learns a and h per unit).
    case elephant(width: Float, steepness: Float, height: Float)
  }

  /// The nonlinearity.
  public let kind: Kind
  /// Features in and out.
  public let inputWidth: Int
  private var output = Tensor(rows: 0, columns: 0)
  private var inputGradient = Tensor(rows: 0, columns: 0)

  /// An activation over `width` features.
  public init(_ kind: Kind, width: Int) {
    self.kind = kind
    self.inputWidth = width
  }

  public var description: String {
    switch kind {
    case .relu: return "relu"
    case .leakyReLU(let slope): return "leaky-relu(\(slope))"
    case .tanh: return "tanh"
    case .sigmoid: return "sigmoid"
    case .elephant(let a, let d, let h): return "elephant(a=\(a), d=\(d), h=\(h))"
    }
  }
  public var outputWidth: Int { inputWidth }
  public var parameterCount: Int { 0 }
  public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>)
  {}
  public func initialize(
    _ initializer: Initializer, weights: inout RandomStream, noise: inout RandomStream
  ) {}

  public func prepare(batchCapacity: Int) {
    output = Tensor(rows: batchCapacity, columns: inputWidth)
    inputGradient = Tensor(rows: batchCapacity, columns: inputWidth)
  }

  public func forward(_ x: Tensor, mode: Mode) -> Tensor {
    let y = output.prefix(rows: x.rows)
    let n = x.count
    let input = x.pointer
    let out = y.pointer
    switch kind {
    case .relu:
      let lanes = n / 16 * 16
      var i = 0
      while i < lanes {
        let x = UnsafeRawPointer(input + i).loadUnaligned(as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(out + i).storeBytes(
          of: x.replacing(with: 0, where: x .< 0), as: SIMD16<Float>.self)
        i += 16
      }
      for j in lanes..<n { out[j] = max(input[j], 0) }
    case .leakyReLU(let slope):
      for i in 0..<n { out[i] = input[i] > 0 ? input[i] : slope * input[i] }
    case .tanh:
      for i in 0..<n { out[i] = Foundation.tanh(input[i]) }
    case .sigmoid:
      for i in 0..<n { out[i] = 1 / (1 + exp(-input[i])) }
    case .elephant(let a, let d, let h):
      for i in 0..<n { out[i] = h / (1 + pow(abs(input[i] / a), d)) }
    }
    return y
  }

  public func backward(_ dy: Tensor, input x: Tensor, output y: Tensor, inputGradient wanted: Bool)
    -> Tensor?
  {
    guard wanted else { return nil }
    let dx = inputGradient.prefix(rows: dy.rows)
    let n = dy.count
    let g = dy.pointer
    let out = y.pointer
    let d = dx.pointer
    switch kind {
    case .relu:
      // Sixteen lanes at a time: the scalar select does not vectorise through raw pointers.
      let lanes = n / 16 * 16
      var i = 0
      while i < lanes {
        let y = UnsafeRawPointer(out + i).loadUnaligned(as: SIMD16<Float>.self)
        let gradient = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(d + i).storeBytes(
          of: gradient.replacing(with: 0, where: y .<= 0), as: SIMD16<Float>.self)
        i += 16
      }
      for j in lanes..<n { d[j] = out[j] > 0 ? g[j] : 0 }
    case .leakyReLU(let slope):
      for i in 0..<n { d[i] = out[i] > 0 ? g[i] : slope * g[i] }
    case .tanh:
      for i in 0..<n { d[i] = g[i] * (1 - out[i] * out[i]) }
    case .sigmoid:
      for i in 0..<n { d[i] = g[i] * out[i] * (1 - out[i]) }
    case .elephant(let a, let steepness, let h):
      // f'(x) = −h·d·sign(x)·|x/a|^{d−1} / (a(1 + |x/a|^d)²)
      let input = x.pointer
      for i in 0..<n {
        let u = abs(input[i] / a)
        let base = 1 + pow(u, steepness)
        let sign: Float = input[i] > 0 ? 1 : (input[i] < 0 ? -1 : 0)
        d[i] = g[i] * (-h * steepness * sign * pow(u, steepness - 1) / (a * base * base))
      }
    }
    return dx
  }

  public func makeCopy() -> Layer { Activation(kind, width: inputWidth) }
}

extension Activation.Kind {
  /// The hidden activations a network can be built with by name (`--activation`).
  public static let hiddenNames = ["relu", "elephant"]

  /// Elephant's defaults without LayerNorm: a = 1, d = 4, h = 1. The authors' code uses
  /// a = 0.1 after a LayerNorm; Engram's MLPs have no LayerNorm and Kaiming-initialised
  /// pre-activations of about unit scale, where a = 0.1 would leave almost every unit flat.
  public static let elephantDefault = Activation.Kind.elephant(width: 1, steepness: 4, height: 1)

  /// Parses `relu`, `elephant` or `elephant:A,D,H` (width, steepness, height; missing ones take
  /// the defaults).
  /// - Throws: `ModelError.invalidActivation` naming the problem.
  public init(parsing text: String) throws {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let parts = trimmed.split(separator: ":", maxSplits: 1).map(String.init)
    switch (parts.first ?? "", parts.count) {
    case ("relu", 1): self = .relu
    case ("elephant", 1): self = Self.elephantDefault
    case ("elephant", 2):
      let values = parts[1].split(separator: ",", omittingEmptySubsequences: false).map {
        Float($0.trimmingCharacters(in: .whitespaces))
      }
      guard (1...3).contains(values.count), values.allSatisfy({ ($0 ?? 0) > 0 && $0!.isFinite })
      else {
        throw ModelError.invalidActivation(
          trimmed, problem: "elephant takes up to three positive numbers: width, steepness, height")
      }
      let given = values.compactMap { $0 }
      self = .elephant(
        width: given[0], steepness: given.count > 1 ? given[1] : 4,
        height: given.count > 2 ? given[2] : 1)
    default:
      throw ModelError.invalidActivation(
        trimmed, problem: "the activation must be relu, elephant or elephant:WIDTH,STEEPNESS,HEIGHT")
    }
  }

  /// The canonical name (parsing it gives this kind back): `relu`, `elephant:1.0,4.0,1.0`.
  public var name: String {
    switch self {
    case .relu: return "relu"
    case .leakyReLU(let slope): return "leaky-relu:\(slope)"
    case .tanh: return "tanh"
    case .sigmoid: return "sigmoid"
    case .elephant(let a, let d, let h):
      return self == Self.elephantDefault ? "elephant" : "elephant:\(a),\(d),\(h)"
    }
  }
}
