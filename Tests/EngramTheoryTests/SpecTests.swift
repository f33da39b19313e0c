import EngramLinalg
import EngramRandom
import EngramTheory
import Foundation
import Testing

func parse(_ text: String) throws -> RegressionSpec {
  try RegressionSpec(json: Data(text.utf8), file: "spec.json")
}

func specError(_ text: String) -> String? {
  do {
    _ = try parse(text)
    return nil
  } catch {
    return "\(error)"
  }
}

@Suite("Spec files")
struct SpecTests {
  @Test("basis tasks are sampled on their span, and a too-small sample is refused")
  func basisTasks() throws {
    let spec = try parse(
      #"{"w_star": [1, 2, 3], "tasks": [{"basis": [[1, 1, 0], [0, 0, 2]], "samples": 5}, {"rows": [[0, 1, 0]]}]}"#
    )
    #expect(spec.isRandom)
    var stream = RandomStream(seed: 1)
    let sequence = try spec.sequence(using: &stream)
    #expect(sequence.tasks[0].rows == 5)
    // Every sample lies in span{(1,1,0), (0,0,1)}: orthogonal to (1,−1,0).
    #expect(try sequence.tasks[0].multiplied(by: [1, -1, 0]).allSatisfy { abs($0) < 1e-12 })
    #expect(try sequence.tasks[0].rank() == 2)
    let tooFew = try parse(
      #"{"w_star": [1, 2, 3], "tasks": [{"basis": [[1, 0, 0], [0, 1, 0]], "samples": 1}]}"#)
    #expect(
      throws: TheoryError.invalidSpec(
        file: nil, field: "tasks[0].samples",
        problem:
          "1 samples cannot span a 2-dimensional task; use at least 2 (Assumption 3.3: n_t ≥ k_t)")
    ) {
      try tooFew.sequence(using: &stream)
    }
  }

  @Test("a construction written as bases reproduces the construction's expectation exactly")
  func basesReproduceConstruction() throws {
    let built = try instance(.threeD(epsilon: 0.2, samples: 10), seed: 5)
    let spec = try RegressionSpec(
      sources: built.sources, groundTruth: built.sequence.groundTruth, order: built.order)
    let again = try RegressionSpec(json: try JSONEncoder().encode(spec))
    var noise = RandomStreams(seed: 5).stream(.noise)
    let sequence = try again.sequence(using: &noise)
    #expect(sequence == built.sequence)
  }

  @Test("a full spec parses, and encoding then parsing gives it back")
  func roundTrip() throws {
    let spec = try parse(
      #"{"w_star": [0.6, 0.8], "tasks": [{"rows": [[1, 0]]}, {"rows": [[0.6, 0.8], [1, 1]]}], "replay": {"task": 1, "rows": [[1, 0]]}, "order": [0, 1, 0]}"#
    )
    #expect(spec.sources.count == 2 && spec.order == [0, 1, 0] && spec.replay?.rows.rows == 1)
    #expect(!spec.isRandom)
    let again = try RegressionSpec(json: try JSONEncoder().encode(spec))
    #expect(again == spec)
  }

  @Test(
    "bad specs get one message naming the file, the field and the fix",
    arguments: [
      (
        #"{"w_star": [1, 2], "tasks": [{"rows": [[1, 0], [1]]}]}"#,
        "spec.json: tasks[0].rows[1]: has 1 entries but w_star has 2"
      ),
      (
        #"{"w_star": [1, 2], "tasks": [{"rows": [[1, 0, 3]]}]}"#,
        "spec.json: tasks[0].rows[0]: has 3 entries but w_star has 2"
      ),
      (
        #"{"w_star": [1, 2], "tasks": [{"rows": []}]}"#,
        "spec.json: tasks[0].rows: is empty; a task needs at least one sample"
      ),
      (#"{"w_star": [1, 2], "tasks": []}"#, "spec.json: tasks: is empty; give at least one task"),
      (
        #"{"w_star": [1, 2], "taks": []}"#,
        "spec.json: taks: is not a known key; did you mean 'tasks'?"
      ),
      (
        #"{"w_star": [1, 2], "tasks": [{"rows": [[1e999, 0]]}]}"#,
        "spec.json: tasks[0].rows[0][0]: holds"
      ),
      (
        #"{"w_star": [1, "x"], "tasks": [{"rows": [[1, 0]]}]}"#,
        "spec.json: w_star[1]: must be a number, not a string"
      ),
      (#"{"tasks": [{"rows": [[1, 0]]}]}"#, "spec.json: w_star: is missing"),
      (
        #"{"w_star": [1, 2], "tasks": [{"rows": [[1, 0]]}], "order": [0, 3]}"#,
        "spec.json: order[1]: task index 3 does not exist"
      ),
      (
        #"{"w_star": [1, 2], "tasks": [{"rows": [[1, 0]]}, {"rows": [[0, 1]]}], "order": [0], "replay": {"task": 1, "rows": [[1, 0]]}}"#,
        "spec.json: replay.task: task 1 is never trained"
      ),
      (
        #"{"w_star": [1, 2], "tasks": [{"rows": [[1, 0]]}], "replay": {"task": 0, "rows": [[1, 0, 0]]}}"#,
        "spec.json: replay.rows[0]: has 3 entries"
      ),
      (
        #"{"w_star": [1, 2], "tasks": [{"rowz": [[1, 0]]}]}"#,
        "spec.json: tasks[0].rowz: is not a known key; did you mean 'rows'?"
      ),
      (
        #"{"w_star": [1, 2], "tasks": [{"rows": [[1, 0]]}"#,
        "spec.json: (document): is not valid JSON"
      ),
      (
        #"{"w_star": [1, 2], "tasks": [{"rows": [[1, 0]]}], "order": [0.5]}"#,
        "spec.json: order[0]: must be a whole number"
      ),
      (
        #"{"w_star": [1, 2], "tasks": [{"basis": [[1, 0]]}]}"#,
        "spec.json: tasks[0].samples: is missing"
      ),
      (
        #"{"w_star": [1, 2], "tasks": [{"rows": [[1, 0]], "basis": [[1, 0]], "samples": 3}]}"#,
        "spec.json: tasks[0]: has both \"rows\" and \"basis\""
      ),
      (
        #"{"w_star": [1, 2], "tasks": [{"rows": [[1, 0]], "samples": 3}]}"#,
        "spec.json: tasks[0].samples: goes with \"basis\""
      ),
      (
        #"{"w_star": [1, 2], "tasks": [{"basis": [[1, 0]], "samples": 0}]}"#,
        "spec.json: tasks[0].samples: must be at least 1"
      ),
      // A key given twice: JSON parsers keep the last one without a word (issue 14).
      (
        "{\"w_star\": [1, 2],\n \"tasks\": [{\"rows\": [[1, 0]]}],\n \"w_star\": [0, 1]}",
        "spec.json: w_star: is given twice, on lines 1 and 3; give each key once"
      ),
      (
        #"{"w_star": [1, 2], "tasks": [{"rows": [[1, 0]]}, {"rows": [[1, 0]], "rows": [[0, 1]]}]}"#,
        "spec.json: tasks[1].rows: is given twice, on lines 1 and 1; give each key once"
      ),
      (
        #"{"w_star": [1, 2], "tasks": [{"rows": [[1, 0]]}], "replay": {"task": 0, "rows": [], "task": 0}}"#,
        "spec.json: replay.task: is given twice, on lines 1 and 1; give each key once"
      ),
      (
        #"{"w_star": [1, 2], "w_st\u0061r": [0, 1], "tasks": [{"rows": [[1, 0]]}]}"#,
        "spec.json: w_star: is given twice, on lines 1 and 1; give each key once"
      ),
    ])
  func badSpecs(text: String, message: String) {
    let error = specError(text)
    #expect(error?.hasPrefix(message) == true, "got: \(error ?? "no error")")
  }
}
