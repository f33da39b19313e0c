import EngramData
import EngramRandom
import Testing

func apply(_ transform: any Transform, to rows: [Float], width: Int) -> [Float] {
  var out = rows
  var scratch = [Float](repeating: 0, count: width)
  out.withUnsafeMutableBufferPointer { o in
    scratch.withUnsafeMutableBufferPointer { s in
      transform.apply(
        to: o.baseAddress!, count: rows.count / width, width: width, scratch: s.baseAddress!)
    }
  }
  return out
}

@Suite("Transforms")
struct TransformTests {
  @Test("a permutation gathers output j from input permutation[j], for every row")
  func permutation() throws {
    let p = try PixelPermutation([2, 0, 1])
    #expect(apply(p, to: [10, 11, 12, 20, 21, 22], width: 3) == [12, 10, 11, 22, 20, 21])
    #expect(throws: DataError.self) { try PixelPermutation([0, 0, 1]) }
    var stream = RandomStream(seed: 2)
    let random = PixelPermutation.random(width: 784, using: &stream)
    #expect(Set(random.permutation).count == 784 && random.permutation != Array(0..<784))
  }

  @Test("rotation by 0° and 360° is the identity; four turns of 90° return the image exactly")
  func rotationIdentities() {
    let shape = ImageShape(height: 5, width: 5)
    var stream = RandomStream(seed: 8)
    let image = (0..<25).map { _ in Float(stream.nextUniform()) }
    #expect(apply(Rotation(degrees: 0, image: shape), to: image, width: 25) == image)
    let full = apply(Rotation(degrees: 360, image: shape), to: image, width: 25)
    #expect(zip(full, image).allSatisfy { abs($0 - $1) < 1e-5 })
    var turned = image
    for _ in 0..<4 { turned = apply(Rotation(degrees: 90, image: shape), to: turned, width: 25) }
    #expect(turned == image)
  }

  @Test("a 90° counter-clockwise turn moves the pixel below the centre to its right")
  func rotationDirection() {
    let shape = ImageShape(height: 3, width: 3)
    var image = [Float](repeating: 0, count: 9)
    image[2 * 3 + 1] = 1  // bottom middle
    let turned = apply(Rotation(degrees: 90, image: shape), to: image, width: 9)
    #expect(turned[1 * 3 + 2] == 1)  // middle right
    #expect(turned.reduce(0, +) == 1)
  }

  @Test("bilinear rotation by 45° keeps a centred blob's mass, and corners fill with 0")
  func rotationInterpolates() {
    let shape = ImageShape(height: 9, width: 9)
    var image = [Float](repeating: 1, count: 81)
    let turned = apply(Rotation(degrees: 45, image: shape), to: image, width: 81)
    #expect(turned[0] == 0 && turned[40] == 1)
    image = (0..<81).map { i in
      let x = Float(i % 9) - 4
      let y = Float(i / 9) - 4
      return x * x + y * y <= 4 ? 1 : 0
    }
    let mass = apply(Rotation(degrees: 45, image: shape), to: image, width: 81).reduce(0, +)
    #expect(abs(mass - image.reduce(0, +)) < 0.5)
  }

  @Test("standardisation maps mean to 0 and mean + σ to 1")
  func standardization() throws {
    let s = try Standardization(mean: 0.5, standardDeviation: 0.25)
    #expect(apply(s, to: [0.5, 0.75, 0], width: 3) == [0, 1, -2])
    #expect(throws: DataError.self) { try Standardization(mean: 0, standardDeviation: 0) }
  }
}
