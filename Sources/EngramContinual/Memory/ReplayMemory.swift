import EngramData
import EngramNN
import EngramRandom

/// A fixed-capacity store of examples for replay, in preallocated buffers.
///
/// Rows are kept raw (before task transforms, as the reference advises: store un-augmented,
/// transform on read) and as `UInt8` when the data are images, a quarter of the `Float` size.
/// Each slot holds a label (output unit), its task, optionally the logits recorded when it was
/// stored (DER), and where it came from. Slots are allocated and released by the policies;
/// `occupied` lists the filled ones.
public final class ReplayMemory {
  /// Maximum examples.
  public let capacity: Int
  /// Features per example.
  public let width: Int
  /// Logits stored per example (0 when none).
  public let logitWidth: Int
  /// Whether rows are stored as bytes (images) or floats.
  public let storesBytes: Bool
  private var bytes: [UInt8]
  private var floats: [Float]
  /// Label of each slot.
  public private(set) var labels: [Int32]
  /// Task of each slot.
  public private(set) var tasks: [Int32]
  /// The stream example in each slot (nil for raw rows or empty slots).
  public private(set) var origins: [ExampleReference?]
  /// Logits of each slot (capacity × logitWidth).
  public private(set) var logits: [Float]
  /// The filled slots, in no particular order.
  public private(set) var occupied: [Int] = []
  private var position: [Int]  // slot → index in `occupied`, or −1
  private var free: [Int]

  /// An empty memory.
  public init(capacity: Int, width: Int, storesBytes: Bool, logitWidth: Int = 0) {
    self.capacity = capacity
    self.width = width
    self.storesBytes = storesBytes
    self.logitWidth = logitWidth
    bytes = storesBytes ? [UInt8](repeating: 0, count: capacity * width) : []
    floats = storesBytes ? [] : [Float](repeating: 0, count: capacity * width)
    labels = [Int32](repeating: -1, count: capacity)
    tasks = [Int32](repeating: -1, count: capacity)
    origins = [ExampleReference?](repeating: nil, count: capacity)
    logits = [Float](repeating: 0, count: capacity * logitWidth)
    position = [Int](repeating: -1, count: capacity)
    free = Array((0..<capacity).reversed())
    occupied.reserveCapacity(capacity)
  }

  /// A memory sized for a stream's examples.
  public convenience init(capacity: Int, stream: TaskStream, logitWidth: Int = 0) {
    let first = stream.tasks[0].train
    var bytesOnly = true
    for task in stream.tasks { if case .floats = task.train.features { bytesOnly = false } }
    self.init(
      capacity: capacity, width: first.featureCount, storesBytes: bytesOnly, logitWidth: logitWidth)
  }

  /// Filled slots.
  public var count: Int { occupied.count }
  /// Whether every slot is filled.
  public var isFull: Bool { free.isEmpty }

  /// Bytes of the buffers (the memory budget in bytes).
  public var byteCount: Int {
    capacity * (storesBytes ? width : 4 * width) + capacity * (8 + 4 * logitWidth)
  }

  /// Takes a free slot, or nil when full.
  public func allocate() -> Int? {
    guard let slot = free.popLast() else { return nil }
    position[slot] = occupied.count
    occupied.append(slot)
    return slot
  }

  /// Frees a slot.
  public func release(_ slot: Int) {
    let at = position[slot]
    guard at >= 0 else { return }
    let last = occupied.removeLast()
    if last != slot {
      occupied[at] = last
      position[last] = at
    }
    position[slot] = -1
    labels[slot] = -1
    tasks[slot] = -1
    origins[slot] = nil
    free.append(slot)
  }

  /// Frees every slot.
  public func removeAll() {
    for slot in occupied { release(slot) }
  }

  /// Stores a stream example in `slot`, with optional logits.
  public func store(
    _ example: ExampleReference, from stream: TaskStream, in slot: Int,
    logits row: UnsafePointer<Float>? = nil
  ) {
    let data = stream.tasks[example.task].train
    switch data.features {
    case .bytes(let source):
      if storesBytes {
        source.withUnsafeBufferPointer { s in
          bytes.withUnsafeMutableBufferPointer { d in
            (d.baseAddress! + slot * width).update(
              from: s.baseAddress! + example.index * width, count: width)
          }
        }
      } else {
        floats.withUnsafeMutableBufferPointer { d in
          for j in 0..<width {
            d[slot * width + j] = Dataset.byteScale[Int(source[example.index * width + j])]
          }
        }
      }
    case .floats(let source):
      floats.withUnsafeMutableBufferPointer { d in
        source.withUnsafeBufferPointer { s in
          (d.baseAddress! + slot * width).update(
            from: s.baseAddress! + example.index * width, count: width)
        }
      }
    }
    labels[slot] = data.labels[example.index]
    tasks[slot] = Int32(example.task)
    origins[slot] = example
    if let row { setLogits(row, slot: slot) }
  }

  /// Stores a raw Float row (for learners fed arrays rather than datasets).
  public func store(
    raw row: UnsafePointer<Float>, label: Int32, task: Int, in slot: Int,
    logits: UnsafePointer<Float>? = nil
  ) {
    precondition(!storesBytes, "raw rows need a Float memory")
    floats.withUnsafeMutableBufferPointer { (it: inout UnsafeMutableBufferPointer<Float>) in
      (it.baseAddress! + slot * width).update(from: row, count: width)
    }
    labels[slot] = label
    tasks[slot] = Int32(task)
    origins[slot] = nil
    if let logits { setLogits(logits, slot: slot) }
  }

  private func setLogits(_ row: UnsafePointer<Float>, slot: Int) {
    guard logitWidth > 0 else { return }
    logits.withUnsafeMutableBufferPointer { (it: inout UnsafeMutableBufferPointer<Float>) in
      (it.baseAddress! + slot * logitWidth).update(from: row, count: logitWidth)
    }
  }

  /// Copies the rows of `slots` as Floats (bytes/255), with labels and tasks.
  public func copy<C: Collection>(
    slots: C, into x: UnsafeMutablePointer<Float>, labels y: UnsafeMutablePointer<Int32>,
    tasks t: UnsafeMutablePointer<Int32>
  ) where C.Element == Int {
    var row = 0
    for slot in slots {
      let to = x + row * width
      if storesBytes {
        bytes.withUnsafeBufferPointer { b in
          Dataset.byteScale.withUnsafeBufferPointer { scale in
            for j in 0..<width { to[j] = scale[Int(b[slot * width + j])] }
          }
        }
      } else {
        floats.withUnsafeBufferPointer { f in
          to.update(from: f.baseAddress! + slot * width, count: width)
        }
      }
      y[row] = labels[slot]
      t[row] = tasks[slot]
      row += 1
    }
  }

  /// `n` filled slots drawn uniformly without replacement (all of them if fewer), into `into`.
  public func sample(_ n: Int, using stream: inout RandomStream, into: inout [Int]) {
    into.removeAll(keepingCapacity: true)
    let k = min(n, occupied.count)
    var scratch = occupied
    for i in 0..<k {
      let j = i + stream.nextInt(below: scratch.count - i)
      scratch.swapAt(i, j)
      into.append(scratch[i])
    }
  }

  func rowBytes(_ slot: Int) -> ArraySlice<UInt8> { bytes[(slot * width)..<((slot + 1) * width)] }
  func rowFloats(_ slot: Int) -> ArraySlice<Float> { floats[(slot * width)..<((slot + 1) * width)] }
  func setRows(bytes: [UInt8]) { self.bytes = bytes }
  func setRows(floats: [Float]) { self.floats = floats }
  func setLogits(_ values: [Float]) { logits = values }

  /// Replaces the slot bookkeeping (checkpoint restore).
  func setBookkeeping(
    labels: [Int32], tasks: [Int32], origins: [ExampleReference?], occupied: [Int]
  ) {
    self.labels = labels
    self.tasks = tasks
    self.origins = origins
    self.occupied = occupied
    position = [Int](repeating: -1, count: capacity)
    for (i, slot) in occupied.enumerated() { position[slot] = i }
    let taken = Set(occupied)
    free = (0..<capacity).reversed().filter { !taken.contains($0) }
  }

  /// Filled slots per label.
  public var slotsByLabel: [Int32: [Int]] {
    Dictionary(grouping: occupied, by: { labels[$0] })
  }
}

extension ReplayMemory {
  /// The mean squared distance between the logits of `segment`'s rows and the logits stored
  /// with them (DER, SER's backward consistency); adds `weight`·gradient into `gradient`.
  /// `scratch` holds at least `segment.count` rows of logits.
  func storedLogitDistance(
    _ segment: BatchSegment, batch: BatchView, scratch: Tensor, gradient: Tensor, weight: Float
  ) -> Float {
    copyLogits(segment.slots, into: scratch)
    return MeanSquaredError.loss(
      outputs: batch.logits.rows(segment.start, count: segment.count),
      targets: scratch.prefix(rows: segment.count),
      gradient: gradient.rows(segment.start, count: segment.count), weight: weight,
      accumulate: true)
  }

  /// Copies the logits stored with `slots` into the first rows of `rows` (DER, SER).
  func copyLogits(_ slots: [Int], into rows: Tensor) {
    let c = logitWidth
    logits.withUnsafeBufferPointer { stored in
      for (r, slot) in slots.enumerated() {
        (rows.pointer + r * c).update(from: stored.baseAddress! + slot * c, count: c)
      }
    }
  }
}
