import EngramRandom

extension Dataset {
  /// The examples at `indices`, in that order (a copy).
  public func selecting<C: Collection>(_ indices: C, name: String? = nil) -> Dataset
  where C.Element == Int {
    let width = featureCount
    let chosen: Features
    switch features {
    case .bytes(let b):
      // One allocation, one memcpy per row.
      let out = [UInt8](unsafeUninitializedCapacity: indices.count * width) { buffer, count in
        b.withUnsafeBufferPointer { source in
          var row = 0
          for i in indices {
            (buffer.baseAddress! + row * width).initialize(
              from: source.baseAddress! + i * width, count: width)
            row += 1
          }
        }
        count = indices.count * width
      }
      chosen = .bytes(out)
    case .floats(let f):
      var out = [Float]()
      out.reserveCapacity(indices.count * width)
      for i in indices { out.append(contentsOf: f[(i * width)..<((i + 1) * width)]) }
      chosen = .floats(out)
    }
    // Cannot fail: sizes and labels come from a valid dataset.
    return Dataset(
      unchecked: name ?? self.name, features: chosen, labels: indices.map { labels[$0] },
      featureCount: featureCount, image: image, classCount: classCount)
  }

  /// The examples whose class is in `classes`, keeping their original labels.
  /// - Throws: `DataError.invalidParameter` for a class outside 0..<classCount or no match.
  public func filtering(classes: [Int]) throws -> Dataset {
    if let bad = classes.first(where: { $0 < 0 || $0 >= classCount }) {
      throw DataError.invalidParameter(
        name: "class", value: "\(bad)", allowed: "\(name) has classes 0..<\(classCount)")
    }
    let wanted = Set(classes.map(Int32.init))
    let indices = labels.indices.filter { wanted.contains(labels[$0]) }
    guard !indices.isEmpty else {
      throw DataError.invalidParameter(
        name: "classes", value: "\(classes)", allowed: "\(name) has no examples of these classes")
    }
    return selecting(
      indices, name: "\(name)[classes \(classes.map(String.init).joined(separator: ","))]")
  }

  /// A random split into (training, validation), the validation part holding `fraction` of
  /// the examples, drawn from `stream`.
  /// - Throws: `DataError.invalidParameter` unless 0 < fraction < 1 and both parts are non-empty.
  public func split(validationFraction fraction: Double, using stream: inout RandomStream) throws
    -> (training: Dataset, validation: Dataset)
  {
    let held = Int((Double(count) * fraction).rounded())
    guard fraction > 0, fraction < 1, held > 0, held < count else {
      throw DataError.invalidParameter(
        name: "validation fraction", value: "\(fraction)",
        allowed:
          "must lie strictly between 0 and 1 and leave examples on both sides (\(count) examples)")
    }
    var order = Array(0..<count)
    stream.shuffle(&order)
    return (
      selecting(order[held...].sorted(), name: "\(name)/train"),
      selecting(order[..<held].sorted(), name: "\(name)/validation")
    )
  }

  /// How many examples each class has.
  public var classCounts: [Int] {
    var counts = [Int](repeating: 0, count: classCount)
    for label in labels { counts[Int(label)] += 1 }
    return counts
  }

  init(
    unchecked name: String, features: Features, labels: [Int32], featureCount: Int,
    image: ImageShape?, classCount: Int
  ) {
    self.name = name
    self.features = features
    self.labels = labels
    self.featureCount = featureCount
    self.image = image
    self.classCount = classCount
  }
}

extension Dataset {
  /// The same examples with labels mapped through `map` (old label → new label).
  /// - Throws: `DataError.invalidParameter` when a label maps outside 0..<classCount.
  public func relabeled(_ map: [Int32], classCount: Int) throws -> Dataset {
    let mapped = try labels.map { old -> Int32 in
      let new = Int(old) < map.count ? map[Int(old)] : -1
      guard new >= 0, Int(new) < classCount else {
        throw DataError.invalidParameter(
          name: "\(name) label \(old)", value: "\(new)", allowed: "maps outside 0..<\(classCount)")
      }
      return new
    }
    return Dataset(
      unchecked: name, features: features, labels: mapped, featureCount: featureCount, image: image,
      classCount: classCount)
  }

  /// The same examples declared to have `classCount` classes (at least as many as used).
  /// - Throws: `DataError.invalidParameter` when a label is out of the new range.
  public func withClassCount(_ classCount: Int) throws -> Dataset {
    try Dataset(
      name: name, features: features, labels: labels, featureCount: featureCount, image: image,
      classCount: classCount)
  }
}

extension Dataset {
  /// A dataset with no examples (for streams whose data arrive from elsewhere).
  public static func empty(name: String, featureCount: Int, classCount: Int) -> Dataset {
    Dataset(
      unchecked: name, features: .floats([]), labels: [], featureCount: featureCount, image: nil,
      classCount: classCount)
  }
}
