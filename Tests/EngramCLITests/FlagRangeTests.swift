import EngramTestSupport
import Foundation
import Testing

/// Every command checks its numbers before it runs: out-of-range values end in one error line
/// that names the flag and the value (they used to run with them, or hide the value).
@Suite("Flag ranges in every command")
struct FlagRangeTests {
  @Test("out-of-range numbers are refused by every command, naming the flag and the value")
  func everyCommandChecksItsNumbers() throws {
    let work = try Fixtures.temporaryDirectory("flags")
    let data = try Fixtures.idxFolder(trainSide: 8, testSide: 8, pixel: 3).path
    let spec = work.appendingPathComponent("spec.json")
    try #"{"w_star": [0, 1, 0], "tasks": [{"rows": [[1, 0, 0]]}, {"rows": [[0, 1, 0]]}]}"#
      .write(to: spec, atomically: true, encoding: .utf8)
    let sweep = work.appendingPathComponent("s.yaml")
    try "name: s\nbase: {dataset: \(data), tasks: 1, iterations: 1}\n"
      .write(to: sweep, atomically: true, encoding: .utf8)
    let study = ["--no-store", "--dataset", data, "--first", "0,1", "--second", "2,3"]
    let cases: [([String], String)] = [
      (["theory", "forgetting", "--spec", spec.path, "--threads", "0"], "--threads 0"),
      (["theory", "expected", "--construction", "three-d", "--threads", "5000"], "--threads 5000"),
      (["theory", "construction", "--construction", "three-d", "--memory", "-1"], "--memory -1"),
      (["theory", "demo", "--draws", "0"], "--draws 0"),
      (["theory", "forgetting", "--spec", spec.path, "--seed", "18446744073709551615"], "--seed"),
      (["replay-study", "count", "--seeds", "2", "--lr", "-1"] + study, "--lr -1"),
      (["replay-study", "count", "--seeds", "2", "--epochs", "0"] + study, "--epochs 0"),
      (["replay-advice", "--energies", "1.5"] + study, "--energies 1.5"),
      (["replay-advice", "--energies", "0.9,nan"] + study, "--energies"),
      (["sweep", "--config", sweep.path, "--backend", "slurm", "--cpus-per-task", "0"], "--cpus-per-task 0"),
      (["sweep", "--config", sweep.path, "--workers", "0"], "--workers 0"),
      (["demo", "--workers", "0", "--dataset", data], "--workers 0"),
      (["train", "--seed", "9223372036854775808"], "--seed 9223372036854775808"),
      (["runs", "show", "-1"], "'-1'"),
      (["runs", "delete", "-5"], "'-5'"),
      (["sweep", "summary", "-3"], "'-3'"),
      (["theory", "forgetting", "--spec", spec.path, "--order", "random:1000000000000"], "--order random:1000000000000"),
      (["theory", "forgetting", "--spec", spec.path, "--order", "cyclic:100000000"], "--order cyclic"),
      (["theory", "expected", "--spec", spec.path, "--into", "9"], "--into 9"),
    ]
    for (arguments, message) in cases {
      let result = try CLI.run(arguments, in: work, environment: ["PATH": "/nonexistent"])
      #expect([1, 64].contains(result.status), "\(arguments): \(result.status)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr.prefix(300))")
      let errorLines = result.stderr.split(separator: "\n").filter {
        $0.hasPrefix("error:") || $0.hasPrefix("Error:")
      }
      #expect(errorLines.count == 1, "\(arguments): \(result.stderr.prefix(300))")
    }
    // Nothing ran: no store was created by the refused commands.
    #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent(".engram").path))
  }
}
