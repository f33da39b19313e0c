import EngramRandom
import Foundation

/// Generated datasets for tests, examples, and demos where real data is missing.
public enum SyntheticData {
  /// Images of `classes` classes: each class is a fixed pattern of three Gaussian blobs; an
  /// example is its class pattern shifted by up to 2 pixels, scaled in brightness, with pixel
  /// noise — learnable, not trivial, and shaped like MNIST (side × side, UInt8).
  /// - Throws: `DataError.invalidParameter` for non-positive sizes.
  public static func images(
    classes: Int = 10, examplesPerClass: Int, side: Int = 28, name: String = "synthetic",
    using stream: inout RandomStream
  ) throws -> Dataset {
    guard classes >= 2, examplesPerClass >= 1, side >= 8 else {
      throw DataError.invalidParameter(
        name: "synthetic images", value: "\(classes) classes × \(examplesPerClass), side \(side)",
        allowed: "need ≥ 2 classes, ≥ 1 example each, side ≥ 8")
    }
    let pixels = side * side
    var templates = [[Double]](repeating: [Double](repeating: 0, count: pixels), count: classes)
    for c in 0..<classes {
      for _ in 0..<3 {
        let mx = 4 + stream.nextUniform() * Double(side - 8)
        let my = 4 + stream.nextUniform() * Double(side - 8)
        let sigma = 1.5 + stream.nextUniform() * 3
        for y in 0..<side {
          for x in 0..<side {
            let d2 = (Double(x) - mx) * (Double(x) - mx) + (Double(y) - my) * (Double(y) - my)
            templates[c][y * side + x] += exp(-d2 / (2 * sigma * sigma))
          }
        }
      }
    }
    var bytes = [UInt8](repeating: 0, count: classes * examplesPerClass * pixels)
    var labels = [Int32](repeating: 0, count: classes * examplesPerClass)
    var order = Array(0..<(classes * examplesPerClass))
    stream.shuffle(&order)
    for (slot, k) in order.enumerated() {
      let c = k % classes
      labels[slot] = Int32(c)
      let shiftX = stream.nextInt(below: 5) - 2
      let shiftY = stream.nextInt(below: 5) - 2
      let brightness = 160 + stream.nextUniform() * 95
      for y in 0..<side {
        for x in 0..<side {
          let sx = x - shiftX
          let sy = y - shiftY
          let base =
            (sx >= 0 && sx < side && sy >= 0 && sy < side) ? templates[c][sy * side + sx] : 0
          let value = min(1, base) * brightness + stream.nextGaussian() * 12
          bytes[slot * pixels + y * side + x] = UInt8(max(0, min(255, value.rounded())))
        }
      }
    }
    return try Dataset(
      name: name, features: .bytes(bytes), labels: labels, featureCount: pixels,
      image: ImageShape(height: side, width: side), classCount: classes)
  }

  /// Gaussian clusters: class c has mean μ_c ~ N(0, separation²·I) and examples μ_c + N(0, I).
  /// - Throws: `DataError.invalidParameter` for non-positive sizes.
  public static func gaussianClusters(
    classes: Int, dimension: Int, examplesPerClass: Int, separation: Double = 3,
    using stream: inout RandomStream
  ) throws -> Dataset {
    guard classes >= 2, dimension >= 1, examplesPerClass >= 1 else {
      throw DataError.invalidParameter(
        name: "clusters", value: "\(classes) × \(examplesPerClass) in \(dimension)-d",
        allowed: "need ≥ 2 classes, ≥ 1 dimension, ≥ 1 example")
    }
    let means = (0..<classes).map { _ in
      (0..<dimension).map { _ in stream.nextGaussian() * separation }
    }
    var features = [Float]()
    features.reserveCapacity(classes * examplesPerClass * dimension)
    var labels = [Int32]()
    for i in 0..<(classes * examplesPerClass) {
      let c = i % classes
      labels.append(Int32(c))
      for j in 0..<dimension { features.append(Float(means[c][j] + stream.nextGaussian())) }
    }
    return try Dataset(
      name: "clusters", features: .floats(features), labels: labels, featureCount: dimension,
      classCount: classes)
  }
}
