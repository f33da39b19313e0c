import EngramData
import EngramRandom

/// A task sequence built from a dataset: Split, Permuted, Rotated or a custom list.
///
/// See reference/methods.md §8.2–8.4. Units are assigned by scenario: class- and
/// task-incremental give every task its own units (Split with the natural order keeps unit =
/// class; Permuted class-incremental has tasks × classes units); domain-incremental maps each
/// class to its position within its task.
public enum Benchmark: Sendable, Equatable {
  /// Classes grouped into tasks, in the given order (e.g. [[0, 1], [2, 3], …]).
  case split(groups: [[Int]])
  /// `tasks` tasks of fixed random pixel permutations; the first is the identity unless
  /// `permuteFirst` (Engram's default: every task permuted; DESIGN.md).
  case permuted(tasks: Int, permuteFirst: Bool)
  /// One task per rotation angle (degrees, counter-clockwise, bilinear, fill 0).
  case rotated(angles: [Double])
  /// Tasks given one by one.
  case custom([CustomTask])

  /// One task of a custom stream.
  public struct CustomTask: Sendable, Equatable {
    /// Which of the datasets handed to `stream` (index into the list).
    public let dataset: Int
    /// Classes to keep (nil: all).
    public let classes: [Int]?
    /// Rotation in degrees (nil: none).
    public let rotation: Double?
    /// Whether to apply a random pixel permutation.
    public let permute: Bool

    /// A custom task.
    public init(
      dataset: Int = 0, classes: [Int]? = nil, rotation: Double? = nil, permute: Bool = false
    ) {
      self.dataset = dataset
      self.classes = classes
      self.rotation = rotation
      self.permute = permute
    }
  }

  /// The benchmark's command-line names.
  public static let names = ["split", "permuted", "rotated"]

  /// Split of `classCount` classes into `tasks` equal groups, in `order` (default 0, 1, …).
  /// - Throws: `TrainingError.invalidSetting` when the classes cannot be split evenly or the
  ///   order is not a permutation of them.
  public static func split(classCount: Int, tasks: Int, order: [Int]? = nil) throws -> Benchmark {
    let order = order ?? Array(0..<classCount)
    guard Set(order) == Set(0..<classCount), order.count == classCount else {
      throw TrainingError.invalidSetting(
        name: "class-order", value: order.map(String.init).joined(separator: ","),
        allowed: "must list each of the \(classCount) classes 0…\(classCount - 1) once")
    }
    guard tasks >= 1, tasks <= classCount, classCount % tasks == 0 else {
      throw TrainingError.invalidSetting(
        name: "tasks", value: "\(tasks)",
        allowed:
          "must divide the \(classCount) classes evenly (e.g. \(divisors(classCount).map(String.init).joined(separator: ", "))); give explicit groups for uneven splits"
      )
    }
    let size = classCount / tasks
    return .split(groups: (0..<tasks).map { Array(order[($0 * size)..<(($0 + 1) * size)]) })
  }

  /// The stream on the given data; random permutations come from stream `"permutations"`.
  /// - Throws: `TrainingError.invalidSetting` for impossible class groups, empty tasks or
  ///   datasets that disagree in shape.
  public func stream(
    data: [TrainTestData], scenario: Scenario, classOutputs: ClassOutputs = .allSoFar,
    preprocessing: Preprocessing = .standardize, streams: RandomStreams, name: String? = nil
  ) throws -> TaskStream {
    guard let first = data.first else {
      throw TrainingError.invalidSetting(
        name: "dataset", value: "none", allowed: "give at least one dataset")
    }
    // Every later copy sizes rows by the first training set: check all shapes first.
    for source in data { try source.checkShapes(against: first) }
    var permutations = streams.stream("permutations")
    let specs: [CustomTask]
    let label: String
    switch self {
    case .split(let groups):
      let all = groups.flatMap { $0 }
      guard !groups.isEmpty, groups.allSatisfy({ !$0.isEmpty }), Set(all).count == all.count,
        all.allSatisfy({ $0 >= 0 && $0 < first.train.classCount })
      else {
        throw TrainingError.invalidSetting(
          name: "class groups",
          value: groups.map { $0.map(String.init).joined(separator: ",") }.joined(separator: ";"),
          allowed:
            "each task needs at least one class, no class twice, classes within 0…\(first.train.classCount - 1)"
        )
      }
      specs = groups.map { CustomTask(classes: $0) }
      label = "split \(first.train.name.split(separator: "/").first ?? ""), \(groups.count) tasks"
    case .permuted(let tasks, let permuteFirst):
      guard tasks >= 1 else {
        throw TrainingError.invalidSetting(
          name: "tasks", value: "\(tasks)", allowed: "must be at least 1")
      }
      specs = (0..<tasks).map { CustomTask(permute: $0 > 0 || permuteFirst) }
      label = "permuted \(first.train.name.split(separator: "/").first ?? ""), \(tasks) tasks"
    case .rotated(let angles):
      guard !angles.isEmpty, angles.allSatisfy({ $0.isFinite && abs($0) <= 3600 }) else {
        throw TrainingError.invalidSetting(
          name: "angles", value: "\(angles)", allowed: "give at least one angle in −3600…3600 degrees")
      }
      guard first.train.image != nil else {
        throw TrainingError.invalidSetting(
          name: "benchmark", value: "rotated", allowed: "rotation needs image data")
      }
      specs = angles.map { CustomTask(rotation: $0) }
      label =
        "rotated \(first.train.name.split(separator: "/").first ?? ""), \(angles.map { "\(Int($0))°" }.joined(separator: " "))"
    case .custom(let tasks):
      specs = tasks
      label = "custom stream, \(tasks.count) tasks"
    }
    var tasks: [ContinualTask] = []
    var fitted: [Int: (any Transform)?] = [:]
    var nextUnit = 0
    var domainWidth = 0
    for (t, spec) in specs.enumerated() {
      guard spec.dataset >= 0, spec.dataset < data.count else {
        throw TrainingError.invalidSetting(
          name: "task \(t) dataset", value: "\(spec.dataset)",
          allowed: "must name one of \(data.count) datasets")
      }
      if let rotation = spec.rotation, !(rotation.isFinite && abs(rotation) <= 3600) {
        throw TrainingError.invalidSetting(
          name: "task \(t) rotation", value: "\(rotation)", allowed: "an angle in −3600…3600 degrees")
      }
      let source = data[spec.dataset]
      guard source.train.featureCount == first.train.featureCount else {
        throw TrainingError.invalidSetting(
          name: "task \(t) dataset", value: source.train.name,
          allowed: "must have \(first.train.featureCount) features like the first task's")
      }
      let classes = spec.classes ?? Array(0..<source.train.classCount)
      guard !classes.isEmpty, Set(classes).count == classes.count,
        classes.allSatisfy({ $0 >= 0 && $0 < source.train.classCount })
      else {
        throw TrainingError.invalidSetting(
          name: "task \(t) classes", value: classes.map(String.init).joined(separator: ","),
          allowed:
            "at least one class, none twice, within 0…\(source.train.classCount - 1) of \(source.train.name)"
        )
      }
      let train = try source.train.filtering(classes: classes)
      let test = try source.test.filtering(classes: classes)
      let units: [Int]
      switch scenario {
      case .task, .class:
        units = Array(nextUnit..<(nextUnit + classes.count))
        nextUnit += classes.count
      case .domain:
        units = Array(0..<classes.count)
        domainWidth = max(domainWidth, classes.count)
      }
      var unitOf = [Int32](repeating: -1, count: source.train.classCount)
      for (position, c) in classes.enumerated() { unitOf[c] = Int32(units[position]) }
      var transforms: [any Transform] = []
      // Rotation comes first so the corners it uncovers are background (raw 0), not the
      // standardized mean.
      if let angle = spec.rotation {
        guard let image = train.image else {
          throw TrainingError.invalidSetting(
            name: "task \(t) rotation", value: "\(angle)", allowed: "rotation needs image data")
        }
        transforms.append(Rotation(degrees: angle, image: image))
      }
      // Statistics of the whole training set, fitted once per dataset: fitting them per task
      // would hand class-incremental testing the task identity through the normalisation.
      if fitted[spec.dataset] == nil {
        fitted[spec.dataset] = .some(preprocessing.transform(fittedTo: source.train))
      }
      if let standardize = fitted[spec.dataset] ?? nil { transforms.append(standardize) }
      if spec.permute {
        transforms.append(PixelPermutation.random(width: train.featureCount, using: &permutations))
      }
      let outputs = scenario == .domain ? 0 : nextUnit
      let describe =
        spec.classes.map { "classes \($0.map(String.init).joined(separator: ", "))" }
        ?? (spec.rotation.map { "rotation \($0)°" }
          ?? (spec.permute ? "permutation \(t)" : "all classes"))
      tasks.append(
        ContinualTask(
          name: "task \(t): \(describe)", index: t,
          train: try train.relabeled(unitOf, classCount: max(outputs, classes.count)),
          test: try test.relabeled(unitOf, classCount: max(outputs, classes.count)),
          transforms: transforms, units: units,
          sourceClasses: classes))
    }
    let outputCount = scenario == .domain ? domainWidth : nextUnit
    tasks = try tasks.map { task in
      ContinualTask(
        name: task.name, index: task.index, train: try task.train.withClassCount(outputCount),
        test: try task.test.withClassCount(outputCount), transforms: task.transforms,
        units: task.units,
        sourceClasses: task.sourceClasses)
    }
    return TaskStream(
      name: name ?? label, scenario: scenario, classOutputs: classOutputs, tasks: tasks,
      outputCount: outputCount)
  }
}

private func divisors(_ n: Int) -> [Int] { (1...max(1, n)).filter { n % $0 == 0 } }
