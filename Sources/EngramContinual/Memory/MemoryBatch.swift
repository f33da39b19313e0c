import EngramNN

/// Reads memory rows (transformed by their own tasks) into a preallocated batch for extra
/// forward passes: GEM and A-GEM gradients, iCaRL means.
public final class MemoryBatch {
  /// Inputs of the last read.
  public let inputs: Tensor
  /// Labels of the last read.
  public var labels: [Int32]
  /// Tasks of the last read.
  public var tasks: [Int32]

  /// A batch of up to `capacity` rows of `width` features.
  public init(capacity: Int, width: Int) {
    inputs = Tensor(rows: capacity, columns: width)
    labels = [Int32](repeating: 0, count: capacity)
    tasks = [Int32](repeating: 0, count: capacity)
  }

  /// Reads `slots` of `memory`; returns the view of the rows read.
  public func read(_ slots: [Int], from memory: ReplayMemory, reader: StreamBatchReader) -> Tensor {
    let n = min(slots.count, inputs.rows)
    labels.withUnsafeMutableBufferPointer { l in
      tasks.withUnsafeMutableBufferPointer { t in
        memory.copy(
          slots: slots.prefix(n), into: inputs.pointer, labels: l.baseAddress!,
          tasks: t.baseAddress!)
        for r in 0..<n {
          reader.transform(inputs.pointer + r * inputs.columns, count: 1, task: Int(t[r]))
        }
      }
    }
    return inputs.prefix(rows: n)
  }

  /// Per-row masks for these rows under the scenario while training task `current`.
  public func masks(rows: Int, stream: TaskStream, current: Int, width: Int) -> OutputMask {
    var active = [UInt8](repeating: 0, count: rows * width)
    for r in 0..<rows {
      for u in stream.trainingUnits(example: Int(tasks[r]), current: current) {
        active[r * width + u] = 1
      }
    }
    return OutputMask(active: active, classes: width, perExample: true)
  }
}

/// Forward passes over stream examples in chunks, for statistics at task boundaries.
enum StreamPasses {
  /// Calls `body` with each chunk's inputs (after the forward pass), logits, labels and refs.
  static func forEachChunk(
    _ examples: [ExampleReference], model: Model, reader: StreamBatchReader, chunk: Int = 256,
    _ body: (
      _ logits: Tensor, _ labels: UnsafeMutablePointer<Int32>,
      _ references: ArraySlice<ExampleReference>
    ) -> Void
  ) {
    let size = max(1, min(chunk, max(model.batchCapacity, 1)))
    let inputs = Tensor(rows: size, columns: model.inputWidth)
    var labels = [Int32](repeating: 0, count: size)
    var start = 0
    while start < examples.count {
      let part = examples[start..<min(start + size, examples.count)]
      labels.withUnsafeMutableBufferPointer { l in
        reader.read(part, into: inputs, start: 0, labels: l.baseAddress!)
        let logits = model.forward(inputs.prefix(rows: part.count), mode: .inference)
        body(logits, l.baseAddress!, part)
      }
      start += part.count
    }
  }
}
