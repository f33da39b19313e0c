import EngramLinalg
import EngramNN

/// Regression samples as a network reads them: inputs n × d and targets n × 1, in Float.
///
/// The theory engine keeps its tasks in Double; the trained models of the regression study
/// read the same samples converted once, here, rather than once per batch.
struct RegressionSamples {
  /// One sample per row.
  let inputs: Tensor
  /// One target per row.
  let targets: Tensor
  /// The targets as given (Double), which errors are measured against.
  let values: [Double]

  /// The samples (rows of `x`) with their targets `y`.
  init(x: Matrix<Double>, y: [Double]) {
    precondition(y.count == x.rows, "one target per row")
    inputs = Tensor(rows: x.rows, columns: x.columns, values: x.elements.map(Float.init))
    targets = Tensor(rows: y.count, columns: 1, values: y.map(Float.init))
    values = y
  }

  /// Number of samples.
  var count: Int { inputs.rows }

  /// Copies the samples `rows` (in that order) into `inputs` and `targets` from row `start` on.
  func copy<C: Collection<Int>>(_ rows: C, into inputs: Tensor, _ targets: Tensor, at start: Int) {
    let d = self.inputs.columns
    for (r, i) in zip(start..., rows) {
      (inputs.pointer + r * d).update(from: self.inputs.pointer + i * d, count: d)
      targets.pointer[r] = self.targets.pointer[i]
    }
  }
}
