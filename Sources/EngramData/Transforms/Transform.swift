/// A batched, in-place transformation of Float example rows (applied after a batch is copied
/// out of its `Dataset`).
///
/// Transforms are values with their tables precomputed (a permutation, a rotation's sampling
/// map), so applying one costs a gather per feature and allocates nothing.
public protocol Transform: Sendable {
  /// A short description for logs and reports ("rotate 45°").
  var description: String { get }
  /// Transforms `count` rows of `width` floats at `rows` in place; `scratch` holds at least
  /// `width` floats.
  func apply(
    to rows: UnsafeMutablePointer<Float>, count: Int, width: Int,
    scratch: UnsafeMutablePointer<Float>)
}

/// Several transforms applied in order, with their scratch row.
public final class TransformPipeline: @unchecked Sendable {
  /// The transforms, first applied first.
  public let transforms: [any Transform]
  private let scratch: UnsafeMutablePointer<Float>
  private let width: Int

  /// A pipeline for rows of `width` features.
  public init(_ transforms: [any Transform], width: Int) {
    self.transforms = transforms
    self.width = width
    scratch = .allocate(capacity: max(1, width))
  }

  deinit { scratch.deallocate() }

  /// Applies every transform to `count` rows.
  public func apply(to rows: UnsafeMutablePointer<Float>, count: Int) {
    for t in transforms { t.apply(to: rows, count: count, width: width, scratch: scratch) }
  }
}
