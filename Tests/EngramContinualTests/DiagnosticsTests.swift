import EngramContinual
import EngramData
import EngramNN
import EngramRandom
import EngramTestSupport
import Foundation
import Testing

@testable import EngramContinual

@Suite("Plasticity diagnostics")
struct DiagnosticsTests {
  func plan(diagnostics: DiagnosticsSettings?) throws -> ExperimentPlan {
    var p = ExperimentPlan(
      stream: try LongStream.onlinePermuted(tasks: 4, examples: 80).stream(
        data: try tenClassImages(), preprocessing: .standardize, streams: RandomStreams(seed: 2)),
      architecture: .mlp(hidden: [12, 10]),
      optimizer: .sgd(learningRate: 0.05, momentum: 0.9, weightDecay: 0),
      trainer: TrainerConfig(batchSize: 8), seed: 2)
    p.evaluation = .currentTask
    p.diagnostics = diagnostics
    return p
  }

  @Test("diagnostics measure every task and leave training exactly as it was")
  func measuredWithoutTouchingTraining() throws {
    let plain = try ContinualExperiment(plan: try plan(diagnostics: nil)).run()
    let settings = DiagnosticsSettings(probeExamples: 50, plasticityEvery: 2, plasticitySteps: 20)
    let measured = try ContinualExperiment(plan: try plan(diagnostics: settings)).run()
    #expect(measured.onlineAccuracy == plain.onlineAccuracy)
    #expect(measured.taskEndAccuracy == plain.taskEndAccuracy)
    #expect(measured.taskLosses == plain.taskLosses)
    #expect(measured.cost.trainingFLOPs == plain.cost.trainingFLOPs, "probes are not training")
    let d = try #require(measured.diagnostics)
    #expect(d.map(\.task) == [0, 1, 2, 3])
    for task in d {
      #expect(task.dormantFraction.count == 2 && task.effectiveRank.count == 2)
      #expect(task.weightMagnitude.count == 3 && task.gradientNorm.count == 3)
      #expect(task.effectiveRank.allSatisfy { $0 >= 1 && $0 <= 12 })
      #expect(zip(task.srank, [12, 10]).allSatisfy { $0 >= 1 && $0 <= $1 })
      #expect(task.dormantFraction.allSatisfy { (0...1).contains($0) })
      #expect(task.gradientNorm.allSatisfy { $0 > 0 } && task.featureNorm.allSatisfy { $0 > 0 })
    }
    // The probe runs after the first task, every second task, and after the last.
    #expect(d.map { $0.plasticity != nil } == [true, false, true, true])
    #expect(d.compactMap(\.plasticity).allSatisfy { (0...1).contains($0) })
  }

  @Test("a dead unit is counted dead and dormant; the gradient norm is the probe loss's")
  func deadUnitAndGradient() throws {
    let p = try plan(diagnostics: DiagnosticsSettings(probeExamples: 40, plasticityEvery: 100))
    let experiment = try ContinualExperiment(plan: p)
    let model = experiment.model
    let layer = try #require(model.hiddenLayers.first)
    model.parameters[layer.bias(unit: 3)] = -1e6
    let probe = try #require(experiment.probe)
    let d = try probe.measure(model: model, task: 0, taskCount: 9, learningRate: 0.05)
    #expect(d.deadFraction[0] >= 1.0 / 12 && d.dormantFraction[0] >= 1.0 / 12)
    #expect(d.plasticity != nil, "the first task is always probed")
    // The gradient of the mean cross-entropy on the same 40 examples, computed directly.
    let view = Array(p.stream.trainingViews[0].prefix(40))
    let x = Tensor(rows: 40, columns: 64)
    var labels = [Int32](repeating: 0, count: 40)
    StreamBatchReader(stream: p.stream).read(view, into: x, start: 0, labels: &labels)
    let before = Array(model.gradients)
    model.zeroGradients()
    let logits = model.forward(x, mode: .inference)
    let g = Tensor(rows: 40, columns: 10)
    _ = SoftmaxCrossEntropy.loss(logits: logits, labels: labels, gradient: g)
    model.backward(g)
    let head = try #require(model.windows.last)
    let norm = (head.offset..<(head.offset + head.count)).reduce(0.0) {
      $0 + Double(model.gradients[$1] * model.gradients[$1])
    }.squareRoot()
    #expect(abs(norm - d.gradientNorm[2]) < 1e-5 * max(norm, 1))
    model.gradients.update(fromContentsOf: before)
  }

  @Test("diagnostics on a model without a hidden layer are refused by name")
  func noHiddenLayer() throws {
    var p = try plan(diagnostics: DiagnosticsSettings())
    p.architecture = .mlp(hidden: [])
    #expect(throws: ModelError.self) { try ContinualExperiment(plan: p) }
  }

  @Test("tidy measurements: one row per measure and layer, plasticity at layer −1")
  func measurements() {
    let d = TaskDiagnostics(
      task: 3, dormantFraction: [0.1, 0.2], deadFraction: [0, 0.1], effectiveRank: [5, 4],
      srank: [6, 5], featureNorm: [1, 2], weightMagnitude: [0.1, 0.2, 0.3],
      gradientNorm: [1, 2, 3], plasticity: 0.5)
    let rows = d.measurements
    #expect(rows.count == 2 * 5 + 3 * 2 + 1)
    #expect(rows.contains { $0 == ("plasticity", -1, 0.5) })
    #expect(rows.contains { $0 == ("srank", 1, 5) })
  }
}

@Suite("Example forgetting events")
struct ExampleForgettingTests {
  func plan() throws -> ExperimentPlan {
    var p = ExperimentPlan(
      stream: try twoTaskStream(), architecture: .mlp(hidden: [16]),
      optimizer: .sgd(learningRate: 0.05, momentum: 0.9, weightDecay: 0),
      trainer: TrainerConfig(batchSize: 16, epochs: 3), seed: 3)
    p.tracksForgettingEvents = true
    return p
  }

  @Test("every presentation of a training example is counted; events agree with the presentations")
  func counted() throws {
    let result = try ContinualExperiment(plan: try plan()).run()
    let events = try #require(result.exampleForgetting)
    let stream = try twoTaskStream()
    #expect(events.map(\.count) == stream.tasks.map(\.train.count))
    for (t, task) in events.enumerated() {
      for i in 0..<task.count {
        #expect(task.presentations(of: i) == 3, "task \(t) example \(i)")
        // Events alternate, so learning and forgetting differ by at most one.
        #expect(abs(task.learningEvents(of: i) - task.forgettingEvents(of: i)) <= 1)
        #expect(task.learningEvents(of: i) + task.forgettingEvents(of: i) <= 2)
      }
    }
    #expect(events.contains { t in (0..<t.count).contains { !t.neverLearned($0) } })
  }

  @Test("the counts survive a resume from any checkpoint; long streams refuse them")
  func resumeAndRefusal() throws {
    let (whole, resumed) = try resumedFromEverySnapshot(plan, every: 10, label: "f")
    #expect(resumed.count >= 3)
    for (i, result) in resumed.enumerated() {
      #expect(result.exampleForgetting == whole.exampleForgetting, "snapshot \(i)")
    }
    var long = try DiagnosticsTests().plan(diagnostics: nil)
    long.tracksForgettingEvents = true
    #expect(throws: TrainingError.self) { try ContinualExperiment(plan: long) }
  }
}
