import EngramNN
import EngramRandom
import Foundation
import Testing

/// Oracle values come from reference/methods.md §10 (O8, O9); tolerance 1e-5 in Float.
@Suite("Losses")
struct LossTests {
  @Test("cross-entropy over all outputs and over a restricted set (oracle O9)")
  func crossEntropyOracle() {
    let logits = Tensor(rows: 1, columns: 4, values: [2, 1, 0.5, -0.5])
    var label: Int32 = 2
    #expect(abs(SoftmaxCrossEntropy.loss(logits: logits, labels: &label) - 2.014675) < 1e-5)
    let restricted = SoftmaxCrossEntropy.loss(
      logits: logits, labels: &label, mask: .only([2, 3], of: 4))
    #expect(abs(restricted - 0.313262) < 1e-5)
  }

  @Test("cross-entropy gradient matches finite differences, with and without a mask")
  func crossEntropyGradient() {
    var s = RandomStream(seed: 4)
    let logits = randomTensor(3, 5, &s, scale: 2)
    var labels: [Int32] = [1, 4, 3]
    for mask in [nil, OutputMask.only([1, 3, 4], of: 5)] {
      let gradient = Tensor(rows: 3, columns: 5)
      _ = SoftmaxCrossEntropy.loss(logits: logits, labels: &labels, mask: mask, gradient: gradient)
      for i in 0..<15 {
        let saved = logits.pointer[i]
        logits.pointer[i] = saved + step
        let plus = SoftmaxCrossEntropy.loss(logits: logits, labels: &labels, mask: mask)
        logits.pointer[i] = saved - step
        let minus = SoftmaxCrossEntropy.loss(logits: logits, labels: &labels, mask: mask)
        logits.pointer[i] = saved
        #expect(agrees(gradient.pointer[i], (plus - minus) / (2 * step)), "logit \(i)")
      }
      if let mask {
        #expect(gradient.pointer[0] == 0 && gradient.pointer[2] == 0 && !mask.isActive(0))
      }
    }
  }

  @Test("cross-entropy is finite for huge logits (log-sum-exp)")
  func crossEntropyStable() {
    let logits = Tensor(rows: 1, columns: 3, values: [1000, 999, -1000])
    var label: Int32 = 1
    let gradient = Tensor(rows: 1, columns: 3)
    let loss = SoftmaxCrossEntropy.loss(logits: logits, labels: &label, gradient: gradient)
    #expect(abs(loss - 1.3132616) < 1e-5)
    #expect(gradient.array.allSatisfy { $0.isFinite })
  }

  @Test("per-example mask: each row's own classes")
  func perExampleMask() {
    let logits = Tensor(rows: 2, columns: 4, values: [5, 1, 0, 0, 5, 1, 0, 0])
    var labels: [Int32] = [1, 3]
    let mask = OutputMask.perExample([[true, true, false, false], [false, false, true, true]])
    var each = [Float](repeating: 0, count: 2)
    _ = SoftmaxCrossEntropy.loss(logits: logits, labels: &labels, mask: mask, perExample: &each)
    #expect(abs(each[0] - Float(log(1 + exp(4.0)))) < 1e-5)
    #expect(abs(each[1] - Float(log(2.0))) < 1e-6)
  }

  @Test("distillation at T = 2: cross-entropy 1.041485, KL 0.015241, ×T² 4.165939 (oracle O8)")
  func distillationOracle() {
    let teacher = Tensor(rows: 1, columns: 3, values: [2, 1, 0.1])
    let student = Tensor(rows: 1, columns: 3, values: [1.5, 1.2, 0.3])
    #expect(
      abs(Distillation.loss(student: student, teacher: teacher, temperature: 2) - 1.041485) < 1e-5)
    #expect(
      abs(
        Distillation.loss(student: student, teacher: teacher, temperature: 2, form: .kl) - 0.015241)
        < 1e-5)
    #expect(
      abs(
        Distillation.loss(
          student: student, teacher: teacher, temperature: 2, scaleBySquaredTemperature: true)
          - 4.165939) < 2e-5)
  }

  @Test(
    "distillation gradient matches finite differences for both forms",
    arguments: Distillation.Form.allCases)
  func distillationGradient(form: Distillation.Form) {
    var s = RandomStream(seed: 6)
    let student = randomTensor(2, 4, &s)
    let teacher = randomTensor(2, 4, &s)
    let gradient = Tensor(rows: 2, columns: 4)
    _ = Distillation.loss(
      student: student, teacher: teacher, temperature: 2, form: form, gradient: gradient)
    for i in 0..<8 {
      let saved = student.pointer[i]
      student.pointer[i] = saved + step
      let plus = Distillation.loss(student: student, teacher: teacher, temperature: 2, form: form)
      student.pointer[i] = saved - step
      let minus = Distillation.loss(student: student, teacher: teacher, temperature: 2, form: form)
      student.pointer[i] = saved
      #expect(agrees(gradient.pointer[i], (plus - minus) / (2 * step)), "logit \(i)")
    }
  }

  @Test("mean squared error: O9's mean 0.666667, and its gradient")
  func meanSquared() {
    let current = Tensor(rows: 1, columns: 3, values: [1, 0, 0.5])
    let stored = Tensor(rows: 1, columns: 3, values: [2, -1, 0.5])
    let gradient = Tensor(rows: 1, columns: 3)
    #expect(
      abs(MeanSquaredError.loss(outputs: current, targets: stored, gradient: gradient) - 0.666667)
        < 1e-5)
    #expect(gradient.array == [-2.0 / 3, 2.0 / 3, 0])
  }
}
