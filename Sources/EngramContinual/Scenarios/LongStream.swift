import EngramData
import EngramRandom

/// The long task streams of the loss-of-plasticity literature, built on one shared dataset
/// (reference/plasticity.md §9–10).
///
/// Every task uses the same training and test sets (no copies); what makes a task is a pixel
/// permutation, a label permutation or a class pair, drawn from stream `"long-stream"`, and
/// the subset of examples it trains on, drawn on demand from stream `"long-stream-views"`
/// (one sub-stream per task), so a 500-task stream holds a permutation per task and nothing
/// per example. The scenario is domain-incremental: every task shares the network's outputs.
public enum LongStream: Sendable, Equatable {
  /// Online Permuted (Dohare et al.): each task a fixed random pixel permutation of
  /// `examples` training images drawn afresh, seen once.
  case onlinePermuted(tasks: Int, examples: Int)
  /// Label-permuted (Elsayed & Mahmood): the images unchanged, the labels permuted afresh per
  /// task.
  case labelPermuted(tasks: Int, examples: Int)
  /// Continual pairs (Dohare et al.'s Continual ImageNet on a smaller dataset): each task two
  /// random classes, `examples` training and `testExamples` test images of each, two outputs.
  case pairs(tasks: Int, examples: Int, testExamples: Int)
  /// Slowly-changing regression (`BitFlipping`): no dataset, `examples` steps per task.
  case bitFlipping(tasks: Int, examples: Int)

  /// The number of tasks.
  public var taskCount: Int {
    switch self {
    case .onlinePermuted(let tasks, _), .labelPermuted(let tasks, _), .pairs(let tasks, _, _),
      .bitFlipping(let tasks, _):
      return tasks
    }
  }

  /// The stream on `data`; standardisation (if any) is fitted once to the training set.
  /// - Throws: `TrainingError.invalidSetting` for sizes the data cannot give.
  public func stream(
    data: TrainTestData, preprocessing: Preprocessing, streams: RandomStreams
  ) throws -> TaskStream {
    if case .bitFlipping(let tasks, let examples) = self {
      return try BitFlipping.stream(tasks: tasks, examples: examples, streams: streams)
    }
    let train = data.train
    let test = data.test
    let classes = train.classCount
    guard taskCount >= 1 else {
      throw TrainingError.invalidSetting(name: "tasks", value: "\(taskCount)", allowed: "at least 1")
    }
    var draws = streams.stream("long-stream")
    let standardize = preprocessing.transform(fittedTo: train)
    let source = train.name.split(separator: "/").first.map(String.init) ?? train.name
    var tasks: [ContinualTask] = []
    tasks.reserveCapacity(taskCount)
    let perTask: Int
    let label: String
    let outputs: Int
    var testPerTask: Int?
    var pairsOfTasks: [(Int, Int)] = []
    switch self {
    case .onlinePermuted(let count, let examples), .labelPermuted(let count, let examples):
      guard examples >= 1, examples <= train.count else {
        throw TrainingError.invalidSetting(
          name: "task-examples", value: "\(examples)",
          allowed: "between 1 and the \(train.count) training examples of \(train.name)")
      }
      perTask = examples
      outputs = classes
      let permutesPixels: Bool
      if case .onlinePermuted = self { permutesPixels = true } else { permutesPixels = false }
      for t in 0..<count {
        var transforms: [any Transform] = standardize.map { [$0] } ?? []
        var map: [Int32]?
        let name: String
        if permutesPixels {
          transforms.append(PixelPermutation.random(width: train.featureCount, using: &draws))
          name = "task \(t): permutation \(t)"
        } else {
          var order = (0..<classes).map(Int32.init)
          draws.shuffle(&order)
          map = order
          name = "task \(t): labels " + order.map(String.init).joined(separator: ",")
        }
        tasks.append(
          ContinualTask(
            name: name, index: t, train: train, test: test, transforms: transforms,
            units: Array(0..<classes), sourceClasses: Array(0..<classes), labelMap: map))
      }
      label =
        "\(permutesPixels ? "online permuted" : "label-permuted") \(source), \(count) tasks of \(examples)"
    case .pairs(let count, let examples, let testExamples):
      guard classes >= 2 else {
        throw TrainingError.invalidSetting(
          name: "benchmark", value: "pairs", allowed: "a dataset of at least two classes")
      }
      let fewestTrain = Self.classCounts(train).min() ?? 0
      let fewestTest = Self.classCounts(test).min() ?? 0
      guard examples >= 1, examples <= fewestTrain, testExamples >= 1, testExamples <= fewestTest
      else {
        throw TrainingError.invalidSetting(
          name: "task-examples", value: "\(examples) per class (\(testExamples) test)",
          allowed:
            "between 1 and \(fewestTrain) training (\(fewestTest) test) examples per class of \(train.name)"
        )
      }
      perTask = examples
      testPerTask = testExamples
      outputs = 2
      for t in 0..<count {
        let first = draws.nextInt(below: classes)
        var second = draws.nextInt(below: classes - 1)
        if second >= first { second += 1 }
        pairsOfTasks.append((first, second))
        var map = [Int32](repeating: -1, count: classes)
        map[first] = 0
        map[second] = 1
        tasks.append(
          ContinualTask(
            name: "task \(t): classes \(first), \(second)", index: t, train: train, test: test,
            transforms: standardize.map { [$0] } ?? [], units: [0, 1],
            sourceClasses: [first, second], labelMap: map))
      }
      label = "pairs \(source), \(count) tasks of 2 × \(examples)"
    case .bitFlipping:
      preconditionFailure("built by BitFlipping above")
    }
    let viewSeeds = streams
    let trainCount = train.count
    let views: ExampleViews<ExampleReference>
    let testViews: ExampleViews<Int>?
    switch self {
    case .onlinePermuted, .labelPermuted:
      views = ExampleViews(count: taskCount) { t in
        var draw = viewSeeds.stream("long-stream-views", worker: t)
        return draw.sampleWithoutReplacement(perTask, from: trainCount).map {
          ExampleReference(task: t, index: $0)
        }
      }
      testViews = nil
    case .bitFlipping:
      preconditionFailure("built by BitFlipping above")
    case .pairs:
      let byClass = Self.indicesByClass(train)
      let testByClass = Self.indicesByClass(test)
      let pairs = pairsOfTasks
      let testCount = testPerTask ?? 0
      views = ExampleViews(count: taskCount) { t in
        var draw = viewSeeds.stream("long-stream-views", worker: t)
        let (a, b) = pairs[t]
        return [a, b].flatMap { c in
          draw.sampleWithoutReplacement(perTask, from: byClass[c].count).map {
            ExampleReference(task: t, index: byClass[c][$0])
          }
        }
      }
      testViews = ExampleViews(count: taskCount) { t in
        var draw = viewSeeds.stream("long-stream-test", worker: t)
        let (a, b) = pairs[t]
        return [a, b].flatMap { c in
          draw.sampleWithoutReplacement(testCount, from: testByClass[c].count).map {
            testByClass[c][$0]
          }
        }.sorted()
      }
    }
    return TaskStream(
      name: label, scenario: .domain, classOutputs: .all, tasks: tasks, outputCount: outputs,
      views: views, testViews: testViews)
  }

  /// Examples per class.
  static func classCounts(_ data: Dataset) -> [Int] {
    var counts = [Int](repeating: 0, count: data.classCount)
    for label in data.labels { counts[Int(label)] += 1 }
    return counts
  }

  /// The example indices of each class.
  static func indicesByClass(_ data: Dataset) -> [[Int]] {
    var result = [[Int]](repeating: [], count: data.classCount)
    for (i, label) in data.labels.enumerated() { result[Int(label)].append(i) }
    return result
  }
}
