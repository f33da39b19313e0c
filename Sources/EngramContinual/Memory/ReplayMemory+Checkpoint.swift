import EngramNN

extension ReplayMemory {
  /// Adds the memory's contents to a checkpoint under `prefix`.
  public func save(into checkpoint: inout Checkpoint, prefix: String) {
    var rows: [Float] = []
    var raw: [UInt8] = []
    for slot in 0..<capacity {
      if storesBytes {
        raw += rowBytes(slot)
      } else {
        rows += rowFloats(slot)
      }
    }
    if storesBytes {
      checkpoint.sections["\(prefix).bytes"] = raw
    } else {
      checkpoint.setFloats(rows, for: "\(prefix).floats")
    }
    checkpoint.setInts(labels.map(Int.init), for: "\(prefix).labels")
    checkpoint.setInts(tasks.map(Int.init), for: "\(prefix).tasks")
    checkpoint.setInts(
      origins.flatMap { [$0?.task ?? -1, $0?.index ?? -1] }, for: "\(prefix).origins")
    checkpoint.setInts(occupied, for: "\(prefix).occupied")
    if logitWidth > 0 { checkpoint.setFloats(logits, for: "\(prefix).logits") }
  }

  /// Restores contents saved by `save(into:prefix:)` into this (same-sized) memory.
  /// - Throws: `ModelError.checkpointMismatch` when the saved memory has another shape.
  public func restore(from checkpoint: Checkpoint, prefix: String) throws {
    func mismatch(_ field: String, _ found: Int, _ expected: Int) -> ModelError {
      .checkpointMismatch(
        file: "checkpoint", field: "\(prefix).\(field)", expected: "\(expected) values",
        found: "\(found)")
    }
    guard let labels = checkpoint.ints("\(prefix).labels"), labels.count == capacity else {
      throw mismatch("labels", checkpoint.ints("\(prefix).labels")?.count ?? 0, capacity)
    }
    let tasks = checkpoint.ints("\(prefix).tasks") ?? []
    let origins = checkpoint.ints("\(prefix).origins") ?? []
    let occupied = checkpoint.ints("\(prefix).occupied") ?? []
    guard tasks.count == capacity, origins.count == 2 * capacity,
      occupied.allSatisfy({ $0 >= 0 && $0 < capacity })
    else {
      throw mismatch("tasks", tasks.count, capacity)
    }
    if storesBytes {
      guard let bytes = checkpoint.sections["\(prefix).bytes"], bytes.count == capacity * width
      else {
        throw mismatch(
          "bytes", checkpoint.sections["\(prefix).bytes"]?.count ?? 0, capacity * width)
      }
      setRows(bytes: bytes)
    } else {
      guard let floats = checkpoint.floats("\(prefix).floats"), floats.count == capacity * width
      else {
        throw mismatch(
          "floats", checkpoint.floats("\(prefix).floats")?.count ?? 0, capacity * width)
      }
      setRows(floats: floats)
    }
    if logitWidth > 0 {
      guard let saved = checkpoint.floats("\(prefix).logits"), saved.count == capacity * logitWidth
      else {
        throw mismatch(
          "logits", checkpoint.floats("\(prefix).logits")?.count ?? 0, capacity * logitWidth)
      }
      setLogits(saved)
    }
    setBookkeeping(
      labels: labels.map(Int32.init), tasks: tasks.map(Int32.init),
      origins: (0..<capacity).map {
        origins[2 * $0] < 0
          ? nil : ExampleReference(task: origins[2 * $0], index: origins[2 * $0 + 1])
      },
      occupied: occupied)
  }
}
