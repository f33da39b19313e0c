import EngramData
import EngramNN

/// One task of a stream: its data with labels already mapped to output units.
public struct ContinualTask: Sendable {
  /// A short name ("task 2: classes 4, 5").
  public let name: String
  /// Position in the stream (0-based).
  public let index: Int
  /// Training examples; labels are output units.
  public let train: Dataset
  /// Test examples; labels are output units.
  public let test: Dataset
  /// Transforms applied to every example of this task (permutation, rotation, standardisation).
  public let transforms: [any Transform]
  /// The output units this task's labels use.
  public let units: [Int]
  /// The classes of the source dataset this task holds, in unit order.
  public let sourceClasses: [Int]
  /// A relabelling applied when examples are read (label-permuted and pair streams share one
  /// dataset between tasks and relabel it per task): unit = `labelMap[stored label]`.
  public let labelMap: [Int32]?
  /// Regression targets of the training examples (one output each), for regression streams
  /// (bit-flipping); nil for classification.
  public let targets: [Float]?

  /// A task.
  public init(
    name: String, index: Int, train: Dataset, test: Dataset, transforms: [any Transform] = [],
    units: [Int], sourceClasses: [Int]? = nil, labelMap: [Int32]? = nil, targets: [Float]? = nil
  ) {
    self.name = name
    self.index = index
    self.train = train
    self.test = test
    self.transforms = transforms
    self.units = units
    self.sourceClasses = sourceClasses ?? units
    self.labelMap = labelMap
    self.targets = targets
  }
}

/// An example of a stream: task t's training example i.
public struct ExampleReference: Sendable, Equatable, Hashable, Codable {
  /// The task it belongs to (its transform and units).
  public let task: Int
  /// Its index in that task's training set.
  public let index: Int

  /// A reference.
  public init(task: Int, index: Int) {
    self.task = task
    self.index = index
  }

  // Encoded as a pair [task, index]: checkpoints hold a whole epoch's order of them.
  public init(from decoder: Decoder) throws {
    var c = try decoder.unkeyedContainer()
    task = try c.decode(Int.self)
    index = try c.decode(Int.self)
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.unkeyedContainer()
    try c.encode(task)
    try c.encode(index)
  }
}

/// A sequence of tasks in one scenario, with everything that decides the active outputs.
public struct TaskStream: Sendable {
  /// A description ("split fashion-mnist, 5 tasks").
  public let name: String
  /// The scenario.
  public let scenario: Scenario
  /// Active outputs in class-incremental training.
  public let classOutputs: ClassOutputs
  /// The tasks in order.
  public let tasks: [ContinualTask]
  /// Number of output units of the network.
  public let outputCount: Int
  /// What each task trains on (normally its own examples; blurry streams mix neighbours;
  /// long streams draw a subset of a shared dataset per task, on demand).
  public let trainingViews: ExampleViews<ExampleReference>
  /// Per task, the test examples evaluated (nil: all of each task's test set).
  public let testViews: ExampleViews<Int>?

  /// A stream; each task trains on its own examples unless `trainingViews` says otherwise.
  public init(
    name: String, scenario: Scenario, classOutputs: ClassOutputs = .allSoFar,
    tasks: [ContinualTask],
    outputCount: Int, trainingViews: [[ExampleReference]]? = nil
  ) {
    self.init(
      name: name, scenario: scenario, classOutputs: classOutputs, tasks: tasks,
      outputCount: outputCount,
      views: ExampleViews(
        trainingViews
          ?? tasks.map { task in
            (0..<task.train.count).map { ExampleReference(task: task.index, index: $0) }
          }), testViews: nil)
  }

  /// A stream with the given views of its tasks' training and test sets.
  public init(
    name: String, scenario: Scenario, classOutputs: ClassOutputs = .allSoFar,
    tasks: [ContinualTask], outputCount: Int, views: ExampleViews<ExampleReference>,
    testViews: ExampleViews<Int>?
  ) {
    self.name = name
    self.scenario = scenario
    self.classOutputs = classOutputs
    self.tasks = tasks
    self.outputCount = outputCount
    self.trainingViews = views
    self.testViews = testViews
  }

  /// Whether the tasks are regression problems (targets instead of classes).
  public var isRegression: Bool { tasks.first?.targets != nil }

  /// The test examples of task `task` that evaluation uses.
  public func testIndices(task: Int) -> [Int] {
    testViews?[task] ?? Array(0..<tasks[task].test.count)
  }

  /// The network input shape.
  public var input: InputShape { InputShape(tasks[0].train) }

  /// Units active while training on an example of task `example` during task `current`.
  public func trainingUnits(example: Int, current: Int) -> [Int] {
    switch scenario {
    case .task: return tasks[example].units
    case .domain: return Array(0..<outputCount)
    case .class:
      switch classOutputs {
      case .all: return Array(0..<outputCount)
      case .current:
        return current == example
          ? tasks[current].units : tasks[0...max(current, example)].flatMap(\.units)
      case .allSoFar: return tasks[0...max(current, example)].flatMap(\.units)
      }
    }
  }

  /// Units among which predictions are made for task `task` after training up to `stage`.
  public func evaluationUnits(task: Int, stage: Int) -> [Int] {
    switch scenario {
    case .task: return tasks[task].units
    case .domain: return Array(0..<outputCount)
    case .class:
      return classOutputs == .all
        ? Array(0..<outputCount) : tasks[0...max(stage, task)].flatMap(\.units)
    }
  }

  /// The evaluation mask for task `task` after training up to `stage`.
  public func evaluationMask(task: Int, stage: Int) -> OutputMask {
    .only(evaluationUnits(task: task, stage: stage), of: outputCount)
  }

  /// Every training example of tasks `0...upTo` (cumulative and joint training).
  public func examples(through upTo: Int) -> [ExampleReference] {
    (0...upTo).flatMap { trainingViews[$0] }
  }
}
