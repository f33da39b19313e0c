import EngramRandom

/// Reorders the features of every example by one fixed permutation (Permuted MNIST).
///
/// Output feature j is input feature `permutation[j]`.
public struct PixelPermutation: Transform, Equatable {
  /// Where each output feature comes from.
  public let permutation: [Int]

  /// A given permutation.
  /// - Throws: `DataError.invalidParameter` unless it is a permutation of 0..<count.
  public init(_ permutation: [Int]) throws {
    guard Set(permutation) == Set(0..<permutation.count) else {
      throw DataError.invalidParameter(
        name: "permutation", value: "\(permutation.count) entries",
        allowed: "must contain each of 0..<\(permutation.count) once")
    }
    self.permutation = permutation
  }

  /// A uniformly random permutation of `width` features.
  public static func random(width: Int, using stream: inout RandomStream) -> PixelPermutation {
    var order = Array(0..<width)
    stream.shuffle(&order)
    return PixelPermutation(unchecked: order)
  }

  /// The identity (used for the first task when it is left unpermuted).
  public static func identity(width: Int) -> PixelPermutation {
    PixelPermutation(unchecked: Array(0..<width))
  }

  private init(unchecked: [Int]) {
    self.permutation = unchecked
  }

  /// "permute pixels".
  public var description: String { "permute \(permutation.count) features" }

  /// Gathers each row through the permutation.
  public func apply(
    to rows: UnsafeMutablePointer<Float>, count: Int, width: Int,
    scratch: UnsafeMutablePointer<Float>
  ) {
    precondition(
      width == permutation.count, "permutation of \(permutation.count) applied to rows of \(width)")
    permutation.withUnsafeBufferPointer { p in
      for r in 0..<count {
        let row = rows + r * width
        for j in 0..<width { scratch[j] = row[p[j]] }
        row.update(from: scratch, count: width)
      }
    }
  }
}
