import EngramData
import EngramLab
import EngramTestSupport
import Foundation
import Testing

@Suite("engram run on long streams")
struct PlasticityCommandTests {
  @Test("--diagnostics --json adds online_accuracy and diagnostics per task; the store and export keep them")
  func longStreamJSON() throws {
    let data = try #require(fmnistSlice, "dataset-fashion-mnist is not installed").path
    let folder = try Fixtures.temporaryDirectory("plasticity-cli")
    let store = folder.appendingPathComponent("results.sqlite").path
    let run = try CLI.run([
      "run", "--dataset", data, "--benchmark", "online-permuted", "--tasks", "4",
      "--task-examples", "200", "--strategy", "cbp", "--cbp-rate", "0.01", "--diagnostics",
      "--diagnostics-examples", "100", "--json", "--store", store, "--threads", "1",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] ?? [:]
    #expect((object["online_accuracy"] as? [Double])?.count == 4)
    #expect((object["task_end_accuracy"] as? [Double])?.count == 4)
    let diagnostics = object["diagnostics"] as? [[String: Any]] ?? []
    #expect(diagnostics.count == 4)
    for key in ["dormant_fraction", "effective_rank", "srank", "weight_magnitude", "gradient_norm"] {
      #expect(diagnostics.first?[key] is [Any], "missing \(key)")
    }
    #expect((object["accuracy_matrix"] as? [[Double]])?.isEmpty == true)
    let config = object["config"] as? [String: Any] ?? [:]
    #expect(config["batch"] as? Int == 16 && config["task_examples"] as? Int == 200)
    let export = folder.appendingPathComponent("csv")
    let exported = try CLI.run(["runs", "export", "--csv", export.path, "--store", store])
    #expect(exported.status == 0, "\(exported.stderr)")
    let tasks = try String(contentsOf: export.appendingPathComponent("task_results.csv"), encoding: .utf8)
    #expect(tasks.contains("online_accuracy,task_end_accuracy"))
    #expect(tasks.split(separator: "\n").count == 5)
    let rows = try String(contentsOf: export.appendingPathComponent("diagnostics.csv"), encoding: .utf8)
      .split(separator: "\n")
    #expect(rows.first == "run_id,task,layer,measure,value")
    #expect(rows.filter { $0.contains(",dormant_fraction,") }.count == 4 * 2)
  }

  @Test("--forgetting-events stores each example's events; runs export writes example_forgetting.csv")
  func forgettingEvents() throws {
    let data = try #require(fmnistSlice, "dataset-fashion-mnist is not installed").path
    let folder = try Fixtures.temporaryDirectory("forgetting-cli")
    let store = folder.appendingPathComponent("results.sqlite").path
    let run = try CLI.run([
      "run", "--dataset", data, "--tasks", "2", "--epochs", "3", "--batch", "32",
      "--forgetting-events", "--json", "--store", store, "--threads", "1",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] ?? [:]
    let forgettable = try #require(object["forgettable_examples"] as? Double)
    #expect(forgettable > 0 && forgettable < 1)
    let export = folder.appendingPathComponent("csv")
    #expect(try CLI.run(["runs", "export", "--csv", export.path, "--store", store]).status == 0)
    let rows = try String(
      contentsOf: export.appendingPathComponent("example_forgetting.csv"), encoding: .utf8
    ).split(separator: "\n")
    #expect(rows.first == "run_id,task,example,presentations,learning_events,forgetting_events,never_learned")
    // Every one of the slice's training images of the two tasks' classes, three times each.
    #expect(rows.count > 100 && rows.dropFirst().allSatisfy { $0.split(separator: ",")[3] == "3" })
    let metrics = try String(contentsOf: export.appendingPathComponent("metrics.csv"), encoding: .utf8)
    #expect(metrics.contains(",forgettable_examples,"))
  }

  @Test("bad plasticity settings are refused naming the key")
  func refusals() throws {
    for (flags, key) in [
      (["--strategy", "cbp", "--cbp-rate", "2"], "cbp_rate"),
      (["--strategy", "cbp", "--cbp-decay", "1"], "cbp_decay"),
      (["--strategy", "redo", "--redo-tau", "-0.1"], "redo_tau"),
      (["--diagnostics", "--diagnostics-tau", "1.5"], "diagnostics_tau"),
      (["--optimizer", "upgd", "--upgd-beta", "1"], "upgd_beta"),
      (["--strategy", "spectral", "--spectral-power", "0"], "spectral_power"),
      (["--benchmark", "online-permuted", "--task-examples", "0"], "task_examples"),
    ] {
      let result = try CLI.run(["run", "--no-store"] + flags)
      #expect(result.status != 0 && result.stderr.contains(key), "\(flags): \(result.stderr)")
    }
    let linear = try CLI.run(["run", "--no-store", "--model", "linear", "--diagnostics"])
    #expect(linear.status != 0 && linear.stderr.contains("hidden"), "\(linear.stderr)")
    let huge = try CLI.run([
      "run", "--no-store", "--benchmark", "online-permuted", "--task-examples", "100000000",
    ])
    #expect(huge.status != 0 && huge.stderr.contains("task-examples"), "\(huge.stderr)")
  }
}
