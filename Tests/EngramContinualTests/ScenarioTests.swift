import EngramContinual
import EngramData
import EngramNN
import EngramRandom
import Testing

/// 10 classes × 4 examples of 3 features: class c's examples are all c/10.
func tenClasses() throws -> TrainTestData {
  let labels = (0..<40).map { Int32($0 % 10) }
  let features = labels.flatMap { [Float](repeating: Float($0) / 10, count: 3) }
  let data = try Dataset(
    name: "ten/train", features: .floats(features), labels: labels, featureCount: 3, classCount: 10)
  return TrainTestData(train: data, test: data)
}

@Suite("Scenarios and benchmarks")
struct ScenarioTests {
  @Test("split class-incremental: natural order keeps unit = class; masks grow all-so-far")
  func splitClass() throws {
    let stream = try Benchmark.split(classCount: 10, tasks: 5).stream(
      data: [tenClasses()], scenario: .class, preprocessing: .none, streams: RandomStreams(seed: 0))
    #expect(stream.outputCount == 10)
    #expect(stream.tasks.map(\.units) == [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]])
    #expect(Set(stream.tasks[2].train.labels) == [4, 5])
    #expect(stream.trainingUnits(example: 2, current: 2) == [0, 1, 2, 3, 4, 5])
    #expect(stream.evaluationUnits(task: 0, stage: 1) == [0, 1, 2, 3])
  }

  @Test("class outputs: all keeps every unit, current only the task's")
  func classOutputs() throws {
    let all = try Benchmark.split(classCount: 10, tasks: 5).stream(
      data: [tenClasses()], scenario: .class, classOutputs: .all, preprocessing: .none,
      streams: RandomStreams(seed: 0))
    #expect(all.trainingUnits(example: 0, current: 0) == Array(0..<10))
    #expect(all.evaluationUnits(task: 0, stage: 0) == Array(0..<10))
    let current = try Benchmark.split(classCount: 10, tasks: 5).stream(
      data: [tenClasses()], scenario: .class, classOutputs: .current, preprocessing: .none,
      streams: RandomStreams(seed: 0))
    #expect(current.trainingUnits(example: 3, current: 3) == [6, 7])
    #expect(current.evaluationUnits(task: 3, stage: 3) == Array(0..<8))
  }

  @Test("split with a shuffled order maps each class to its task's units")
  func splitOrder() throws {
    let stream = try Benchmark.split(
      classCount: 10, tasks: 2, order: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]
    ).stream(
      data: [tenClasses()], scenario: .class, preprocessing: .none, streams: RandomStreams(seed: 0))
    #expect(stream.tasks[0].sourceClasses == [9, 8, 7, 6, 5])
    // Class 9 becomes unit 0: its examples (features 0.9) now carry label 0.
    let data = stream.tasks[0].train
    let nines = data.labels.indices.filter { data.example($0)[0] == 0.9 }
    #expect(!nines.isEmpty && nines.allSatisfy { data.labels[$0] == 0 })
  }

  @Test(
    "domain-incremental remaps labels to their position in the task; task-incremental masks per task"
  )
  func domainAndTask() throws {
    let domain = try Benchmark.split(classCount: 10, tasks: 5).stream(
      data: [tenClasses()], scenario: .domain, preprocessing: .none, streams: RandomStreams(seed: 0)
    )
    #expect(domain.outputCount == 2 && domain.tasks.allSatisfy { $0.units == [0, 1] })
    #expect(
      Set(domain.tasks[3].train.labels) == [0, 1] && domain.tasks[3].sourceClasses == [6, 7])
    let task = try Benchmark.split(classCount: 10, tasks: 5).stream(
      data: [tenClasses()], scenario: .task, preprocessing: .none, streams: RandomStreams(seed: 0))
    #expect(task.trainingUnits(example: 1, current: 4) == [2, 3])
    #expect(task.evaluationUnits(task: 1, stage: 4) == [2, 3])
  }

  @Test("permuted class-incremental has tasks × classes units; each task has its own permutation")
  func permuted() throws {
    let stream = try Benchmark.permuted(tasks: 3, permuteFirst: true).stream(
      data: [tenClasses()], scenario: .class, preprocessing: .none, streams: RandomStreams(seed: 2))
    #expect(stream.outputCount == 30 && stream.tasks[2].units == Array(20..<30))
    let permutations = stream.tasks.compactMap { $0.transforms.first as? PixelPermutation }
    #expect(permutations.count == 3 && Set(permutations.map(\.permutation)).count == 3)
    let identityFirst = try Benchmark.permuted(tasks: 2, permuteFirst: false).stream(
      data: [tenClasses()], scenario: .domain, preprocessing: .none, streams: RandomStreams(seed: 2)
    )
    #expect(identityFirst.tasks[0].transforms.isEmpty && identityFirst.outputCount == 10)
  }

  @Test("impossible splits and out-of-range groups are refused with the fix")
  func badSplits() throws {
    #expect(throws: TrainingError.self) { try Benchmark.split(classCount: 10, tasks: 3) }
    #expect(throws: TrainingError.self) { try Benchmark.split(classCount: 10, tasks: 11) }
    #expect(throws: TrainingError.self) {
      try Benchmark.split(classCount: 10, tasks: 2, order: [0, 1, 2])
    }
    #expect(throws: TrainingError.self) {
      try Benchmark.split(groups: [[0, 1], [1, 2]]).stream(
        data: [tenClasses()], scenario: .class, streams: RandomStreams(seed: 0))
    }
    #expect(throws: TrainingError.self) {
      try Benchmark.split(groups: [[0, 12]]).stream(
        data: [tenClasses()], scenario: .class, streams: RandomStreams(seed: 0))
    }
    do {
      _ = try Benchmark.split(classCount: 10, tasks: 3)
    } catch let error as TrainingError {
      #expect(
        error.description
          == "tasks = 3 is out of range: must divide the 10 classes evenly (e.g. 1, 2, 5, 10); give explicit groups for uneven splits"
      )
    }
  }
}
