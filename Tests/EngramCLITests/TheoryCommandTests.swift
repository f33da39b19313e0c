import Foundation
import Testing

@Suite("engram theory")
struct TheoryCommandTests {
  @Test("forgetting --json prints the documented object (oracle O1 at 45°)")
  func forgettingJSON() throws {
    let spec = try CLI.temporaryFile(o1Spec)
    let result = try CLI.run(["theory", "forgetting", "--spec", spec, "--json"])
    #expect(result.status == 0 && result.stderr.isEmpty)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(
      Set(object?.keys.map { $0 } ?? []) == [
        "forgetting", "per_task", "weights", "normalization", "expected_test_forgetting",
        "expected_forgetting_random_w_star", "per_task_expected_test", "training_errors", "order",
      ])
    #expect(abs((object?["forgetting"] as? Double ?? 0) - 0.16) < 1e-12)
    #expect(object?["normalization"] as? String == "m25")
    let weights = object?["weights"] as? [Double] ?? []
    #expect(weights.count == 2 && abs(weights[0] - 1) < 1e-12 && abs(weights[1] - 0.4) < 1e-12)
  }

  @Test("forgetting prints a readable table")
  func forgettingTable() throws {
    let spec = try CLI.temporaryFile(o1Spec)
    let result = try CLI.run(["theory", "forgetting", "--spec", spec, "--normalization", "e22"])
    #expect(result.status == 0)
    #expect(
      result.stdout == """
        Forgetting (e22, training samples): 0.08
        Expected forgetting over test samples (Proposition 3.4): 0.08
        … and over w* ~ N(0, I) (Proposition 3.6's trace formula): 0.125
        Order: 0 → 1

        task  samples  loss (training)  loss (expected test)
        ----  -------  ---------------  --------------------
        0     1        0.16             0.16
        1     1        ≈0               ≈0

        Final weights: [1, 0.4]

        """)
  }

  @Test("--order cyclic:N reproduces oracle O2 (45°, w* = (0, 1), k = 4: 0.03125)")
  func cyclicOrder() throws {
    let spec = try CLI.temporaryFile(
      #"{"w_star": [0, 1], "tasks": [{"rows": [[1, 0]]}, {"rows": [[0.7071067811865476, 0.7071067811865476]]}]}"#
    )
    let result = try CLI.run([
      "theory", "forgetting", "--spec", spec, "--order", "cyclic:2", "--normalization", "e22",
      "--json",
    ])
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(abs((object?["forgetting"] as? Double ?? 0) - 0.03125) < 1e-12)
    #expect(object?["order"] as? [Int] == [0, 1, 0, 1])
    let bad = try CLI.run(["theory", "forgetting", "--spec", spec, "--order", "0,2"])
    #expect(
      bad.status == 1
        && bad.stderr
          == "error: --order 0,2: order[1]: task index 2 does not exist; indices are 0-based and below 2\n"
    )
  }

  @Test("expected --spec on a construction written as bases equals expected --construction")
  func basesSpecMatchesConstruction() throws {
    let built = try CLI.run([
      "theory", "construction", "--construction", "three-d", "--bases", "--seed", "2",
    ])
    let spec = try CLI.temporaryFile(built.stdout)
    let viaSpec = try CLI.run([
      "theory", "expected", "--spec", spec, "--memory", "1", "--draws", "300", "--seed", "2",
      "--json",
    ])
    let viaConstruction = try CLI.run([
      "theory", "expected", "--construction", "three-d", "--memory", "1", "--draws", "300",
      "--seed", "2", "--json",
    ])
    let a = try JSONSerialization.jsonObject(with: Data(viaSpec.stdout.utf8)) as? [String: Any]
    let b =
      try JSONSerialization.jsonObject(with: Data(viaConstruction.stdout.utf8)) as? [String: Any]
    let x = a?["expected_forgetting"] as? Double ?? 0
    let y = b?["expected_forgetting"] as? Double ?? 1
    #expect(abs(x - y) <= 1e-12 * y)
  }

  @Test("angles --json gives 45° and the Theorem 6 / Proposition 3.6 verdicts")
  func angles() throws {
    let spec = try CLI.temporaryFile(o1Spec)
    let result = try CLI.run(["theory", "angles", "--spec", spec, "--json"])
    #expect(result.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(abs(((object?["degrees"] as? [Double])?.first ?? 0) - 45) < 1e-9)
    #expect(object?["forgets_nothing"] as? Bool == false)
    #expect(object?["replay_cannot_hurt_on_average"] as? Bool == true)
  }

  @Test("expected --json for the worst case: 3/(28·4) and 3/14, ratio 8, exact")
  func expectedWorstCase() throws {
    let result = try CLI.run([
      "theory", "expected", "--construction", "worst-case", "--tasks", "5", "--json",
    ])
    #expect(result.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(abs((object?["expected_forgetting"] as? Double ?? 0) - 3.0 / 14) < 1e-12)
    #expect(abs((object?["expected_forgetting_no_replay"] as? Double ?? 0) - 3.0 / 112) < 1e-12)
    #expect(abs((object?["ratio"] as? Double ?? 0) - 8) < 1e-9)
    #expect(object?["stderr"] as? Double == 0)
  }

  @Test("expected --json for three-d agrees with the closed form within 4 standard errors")
  func expectedThreeD() throws {
    let result = try CLI.run([
      "theory", "expected", "--construction", "three-d", "--epsilon", "0.2", "--memory", "1",
      "--draws", "2000", "--seed", "4", "--json",
    ])
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let mean = object?["expected_forgetting"] as? Double ?? 0
    let stderr = object?["stderr"] as? Double ?? 0
    #expect(stderr > 0 && abs(mean - 0.096) < 4 * stderr)
    #expect(object?["closed_form"] as? Double == 0.096)
  }

  @Test("sweep --json: one row per m with the documented keys; --csv has a header")
  func sweep() throws {
    let result = try CLI.run([
      "theory", "sweep", "--construction", "three-d", "--memory", "0:2", "--draws", "200", "--json",
    ])
    #expect(result.status == 0)
    let rows =
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
    #expect(rows.map { $0["memory"] as? Int } == [0, 1, 2])
    #expect(
      Set(rows.first?.keys.map { $0 } ?? []) == [
        "memory", "expected_forgetting", "ratio", "stderr", "harmful", "no_replay", "turn",
      ])
    #expect(rows.map { $0["harmful"] as? Bool } == [false, true, false])
    #expect(rows[1]["turn"] as? String == "peak")
    let csv = try CLI.run([
      "theory", "sweep", "--construction", "hyperplanes", "--angle", "0,45,90", "--samples", "20",
      "--memory", "0", "--csv",
    ])
    #expect(
      csv.stdout.hasPrefix("angle,expected_forgetting,stderr,no_replay,ratio,harmful,turn\n0.0,"))
  }

  @Test("construction output is a spec that forgetting reads back")
  func constructionRoundTrip() throws {
    let built = try CLI.run([
      "theory", "construction", "--construction", "worst-case", "--tasks", "3", "--memory", "1",
    ])
    #expect(built.status == 0)
    let spec = try CLI.temporaryFile(built.stdout)
    let result = try CLI.run(["theory", "forgetting", "--spec", spec, "--json"])
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(abs((object?["forgetting"] as? Double ?? 0) - 3.0 / 14) < 1e-12)
  }

  @Test(
    "bad input: one error line naming the field, exit status 1",
    arguments: [
      (
        ["theory", "expected", "--construction", "three-dee"],
        "error: unknown construction 'three-dee' (did you mean 'three-d'?); valid constructions: worst-case, three-d, subspace, two-lines, hyperplanes, evron-identity, evron-cyclic\n"
      ),
      (
        ["theory", "expected", "--construction", "three-d", "--epsilon", "1.5"],
        "error: epsilon = 1.5 is out of range: must lie strictly between 0 and 1\n"
      ),
      (
        ["theory", "expected", "--construction", "three-d", "--memory", "11"],
        "error: memory = 11 is larger than the 10 samples of task 0; choose a memory of at most 10\n"
      ),
      (
        ["theory", "expected", "--construction", "three-d", "--angle", "3"],
        "error: --angle does not apply to the three-d construction; it takes --epsilon, --samples\n"
      ),
      (
        ["theory", "expected", "--construction", "three-d", "--epsilon", "0.1,0.2"],
        "error: --epsilon takes one value here; use 'engram theory sweep' to vary it\n"
      ),
      (
        [
          "theory", "sweep", "--construction", "hyperplanes", "--angle", "0:90:45", "--dimension",
          "3,4",
        ], "error: sweep one parameter at a time; --angle and --dimension are all lists\n"
      ),
      (
        ["theory", "sweep", "--construction", "evron-identity", "--epsilon", "0.1,0.2"],
        "error: --epsilon does not apply to a sweep of 'evron-identity'; sweep --angle for two-lines/hyperplanes, --tasks for worst-case, --epsilon for three-d/subspace, --memory for any\n"
      ),
    ])
  func badInput(arguments: [String], message: String) throws {
    let result = try CLI.run(arguments)
    #expect(result.status == 1)
    #expect(result.stderr == message)
    #expect(result.stdout.isEmpty)
  }

  @Test("a bad spec file is named in the error, with the field")
  func badSpecFile() throws {
    let spec = try CLI.temporaryFile(
      #"{"w_star": [1, 2], "tasks": [{"rows": [[1, 0], [1]]}]}"#, name: "ragged.json")
    let result = try CLI.run(["theory", "forgetting", "--spec", spec])
    #expect(result.status == 1)
    #expect(
      result.stderr
        == "error: ragged.json: tasks[0].rows[1]: has 1 entries but w_star has 2; every row needs one entry per feature\n"
    )
    let missing = try CLI.run(["theory", "angles", "--spec", "/nonexistent/spec.json"])
    #expect(
      missing.status == 1
        && missing.stderr.hasPrefix("error: /nonexistent/spec.json: (file): cannot be read"))
  }

  @Test("an unknown flag is a usage error (status 64)")
  func usageError() throws {
    let result = try CLI.run(["theory", "expected", "--construction", "three-d", "--bogus"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("Unknown option '--bogus'"))
  }

  @Test("the demo shows the worst case, the d = 3 closed form and a harmful d = 50 sweep")
  func demo() throws {
    let result = try CLI.run(["theory", "demo", "--draws", "100"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("2        0.107143    0.107143     0.214286   0.214286"))
    #expect(
      result.stdout.contains(
        "Replay increases forgetting at memory = 5, 10, 15, 20, 25, 30, 35, 40, 45."))
    #expect(result.stdout.contains("Forgetting is non-monotonic in memory"))
  }
}
