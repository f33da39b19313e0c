import EngramContinual
import EngramData
import EngramRandom
import Testing

@Suite("Replay memory and samplers")
struct MemoryTests {
  @Test("oracle O3: scripted reservoir over a…h keeps [f, d, h]")
  func scriptedReservoir() {
    var sampler = ReservoirSampler(capacity: 3)
    var buffer: [Character] = []
    let draws: [Int?] = [nil, nil, nil, 1, 4, 0, 6, 2]
    for (item, draw) in zip("abcdefgh", draws) {
      guard let slot = sampler.nextSlot(draw: draw) else { continue }
      if slot < buffer.count { buffer[slot] = item } else { buffer.append(item) }
    }
    #expect(buffer == ["f", "d", "h"])
  }

  @Test(
    "oracle O3: reservoir inclusion probability is min(1, M/N) and size min(N, M)",
    arguments: [(2, 5, 0.4), (3, 10, 0.3)])
  func reservoirInclusion(capacity: Int, items: Int, probability: Double) {
    var stream = RandomStream(seed: 1)
    var counts = [Int](repeating: 0, count: items)
    let trials = 20_000
    for _ in 0..<trials {
      var sampler = ReservoirSampler(capacity: capacity)
      var buffer: [Int] = []
      for i in 0..<items {
        guard let slot = sampler.nextSlot(using: &stream) else { continue }
        if slot < buffer.count { buffer[slot] = i } else { buffer.append(i) }
      }
      #expect(buffer.count == min(items, capacity))
      for i in buffer { counts[i] += 1 }
    }
    // Binomial(20000, p): sd ≤ 71; allow 5 sd.
    #expect(counts.allSatisfy { abs(Double($0) - probability * Double(trials)) < 355 })
  }

  @Test("oracle O3: class-balanced quotas [4, 3, 3], [3, 3, 2, 2], 50 each")
  func quotas() {
    #expect(balancedQuotas(budget: 10, groups: 3) == [4, 3, 3])
    #expect(balancedQuotas(budget: 10, groups: 4) == [3, 3, 2, 2])
    #expect(balancedQuotas(budget: 500, groups: 10) == [Int](repeating: 50, count: 10))
  }

  @Test(
    "oracle O3: GDumb's greedy sampler with oldest eviction ends with counts {0: 1, 1: 1, 2: 2}")
  func gdumbSampler() {
    var sampler = GreedyClassBalancedSampler(capacity: 4, eviction: .oldest)
    var stream = RandomStream(seed: 0)
    var memory = [Int32](repeating: -1, count: 4)
    var history: [[Int32]] = []
    for label: Int32 in [0, 0, 0, 1, 1, 2, 2] {
      if let slot = sampler.place(label: label, using: &stream) { memory[slot] = label }
      history.append(memory.filter { $0 >= 0 }.sorted())
    }
    #expect(
      history == [
        [0], [0, 0], [0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 1], [0, 1, 1, 2], [0, 1, 2, 2],
      ])
    #expect(sampler.counts == [0: 1, 1: 1, 2: 2])
  }

  @Test("oracle O10: herding order [2, 3, 1, 0] with distances 0.282843, 0.141421, 0.210819, 0")
  func herding() {
    let features: [[Float]] = [[1, 0], [0, 1], [0.6, 0.8], [0.96, 0.28]]
    let mean: [Float] = [0.64, 0.52]
    let (order, distances) = herdingOrder(features: features, mean: mean, count: 4)
    #expect(order == [2, 3, 1, 0])
    for (d, expected) in zip(distances, [0.282843, 0.141421, 0.210819, 0] as [Float]) {
      #expect(abs(d - expected) < 1e-5)
    }
    // van de Ven re-normalises the mean first: same order, other distances.
    let (renormalized, renormalizedDistances) = herdingOrder(
      features: features, mean: normalized(mean), count: 4)
    #expect(renormalized == [2, 3, 1, 0])
    for (d, expected) in zip(
      renormalizedDistances, [0.244367, 0.090676, 0.263687, 0.175379] as [Float])
    { #expect(abs(d - expected) < 1e-5) }
  }

  @Test("memory stores bytes raw, reads floats /255, and frees slots")
  func memoryStorage() throws {
    let data = try Dataset(
      name: "img", features: .bytes([0, 255, 51, 102]), labels: [1, 0], featureCount: 2,
      classCount: 2)
    let stream = try Benchmark.split(groups: [[0, 1]]).stream(
      data: [TrainTestData(train: data, test: data)], scenario: .class, preprocessing: .none,
      streams: RandomStreams(seed: 0))
    let memory = ReplayMemory(capacity: 3, stream: stream)
    #expect(memory.storesBytes && memory.byteCount == 3 * 2 + 3 * 8)
    guard let slot = memory.allocate() else {
      Issue.record("no slot")
      return
    }
    memory.store(ExampleReference(task: 0, index: 1), from: stream, in: slot)
    var x = [Float](repeating: 0, count: 2)
    var y: Int32 = -1
    var t: Int32 = -1
    x.withUnsafeMutableBufferPointer {
      memory.copy(slots: [slot], into: $0.baseAddress!, labels: &y, tasks: &t)
    }
    #expect(x == [0.2, 0.4] && y == 0 && t == 0)
    memory.release(slot)
    #expect(memory.count == 0 && memory.allocate() != nil)
  }
}
