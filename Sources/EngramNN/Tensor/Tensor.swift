/// Owns one aligned, contiguous Float buffer. Tensors are views into it.
public final class TensorStorage: @unchecked Sendable {
  /// The first element.
  public let base: UnsafeMutablePointer<Float>
  /// Number of elements.
  public let capacity: Int

  /// Allocates `capacity` zeroed floats, 64-byte aligned for SIMD and BLAS.
  public init(capacity: Int) {
    self.capacity = capacity
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: max(1, capacity) * MemoryLayout<Float>.stride, alignment: 64)
    base = raw.bindMemory(to: Float.self, capacity: max(1, capacity))
    base.initialize(repeating: 0, count: max(1, capacity))
  }

  deinit { base.deallocate() }
}

/// A batch of examples as a row-major Float matrix: one example per row.
///
/// A tensor is a *view*: copying it shares the elements. Layers return views into buffers
/// they own, valid until that layer's next call (documented on each layer). Image activations
/// are stored channels-last per row (height × width × channels), so a convolution's output
/// matrix (positions × channels) is already the next layer's input with no transpose.
public struct Tensor: @unchecked Sendable {
  /// Number of examples.
  public let rows: Int
  /// Features per example.
  public let columns: Int
  let storage: TensorStorage
  let offset: Int

  /// A new zero tensor with its own storage.
  public init(rows: Int, columns: Int) {
    self.rows = rows
    self.columns = columns
    self.storage = TensorStorage(capacity: rows * columns)
    self.offset = 0
  }

  /// A new tensor holding `values` (row-major).
  public init(rows: Int, columns: Int, values: [Float]) {
    precondition(
      values.count == rows * columns, "expected \(rows * columns) values, got \(values.count)")
    self.init(rows: rows, columns: columns)
    values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
  }

  init(storage: TensorStorage, offset: Int = 0, rows: Int, columns: Int) {
    precondition(offset + rows * columns <= storage.capacity, "view outside its storage")
    self.storage = storage
    self.offset = offset
    self.rows = rows
    self.columns = columns
  }

  /// The first element.
  public var pointer: UnsafeMutablePointer<Float> { storage.base + offset }

  /// Number of elements.
  public var count: Int { rows * columns }

  /// The elements as a buffer (shared, not copied).
  public var buffer: UnsafeMutableBufferPointer<Float> {
    UnsafeMutableBufferPointer(start: pointer, count: count)
  }

  /// A view of the first `n` rows (for a short final batch).
  public func prefix(rows n: Int) -> Tensor {
    precondition(n <= rows, "prefix of \(n) rows from \(rows)")
    return Tensor(storage: storage, offset: offset, rows: n, columns: columns)
  }

  /// A view of rows `start..<start + n`.
  public func rows(_ start: Int, count n: Int) -> Tensor {
    precondition(start >= 0 && start + n <= rows, "rows \(start)..<\(start + n) of \(rows)")
    return Tensor(storage: storage, offset: offset + start * columns, rows: n, columns: columns)
  }

  /// The same elements seen as `rows × columns` (the count must match).
  public func reshaped(rows: Int, columns: Int) -> Tensor {
    precondition(
      rows * columns == count, "reshape \(self.rows)×\(self.columns) to \(rows)×\(columns)")
    return Tensor(storage: storage, offset: offset, rows: rows, columns: columns)
  }

  /// Element (row, column).
  public subscript(row: Int, column: Int) -> Float {
    get { pointer[row * columns + column] }
    nonmutating set { pointer[row * columns + column] = newValue }
  }

  /// A copy of the elements.
  public var array: [Float] { Array(buffer) }

  /// Sets every element to zero.
  public func zero() {
    pointer.update(repeating: 0, count: count)
  }

  /// Copies another tensor of the same shape into this one.
  public func copy(from other: Tensor) {
    precondition(other.rows == rows && other.columns == columns, "copy between different shapes")
    pointer.update(from: other.pointer, count: count)
  }
}
