import EngramTestSupport
import Foundation
import Testing

/// A slice of real Fashion-MNIST (about 600 training images per Split pair), or nil without it.
private let slice: URL? =
  Fixtures.hasFashionMNIST ? try? Fixtures.fashionMNISTSlice(train: 3000, test: 1000) : nil

private func jsonArray(_ text: String) throws -> [[String: Any]] {
  try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
}

@Suite("engram replay-study and replay-advice")
struct ReplayStudyCommandTests {
  @Test(
    "count study on real Fashion-MNIST: the JSON contract, paired intervals, stored and reported",
    .enabled(if: Fixtures.hasFashionMNIST))
  func countStudy() throws {
    let folder = try Fixtures.temporaryDirectory("study-cli")
    let result = try CLI.run(
      [
        "replay-study", "count", "--first", "0,6", "--second", "1,7", "--dataset", slice!.path,
        "--memory", "0:3", "--seeds", "4", "--epochs", "1", "--model", "mlp:64", "--json",
      ], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try jsonArray(result.stdout)
    #expect(rows.map { $0["memory"] as? Int } == [0, 1, 2, 3])
    for row in rows {
      for key in ["forgetting_mean", "ci_low", "ci_high", "p_value"] {
        #expect(row[key] is Double, "\(key) in \(row)")
      }
      #expect(row["harmful"] is Bool)
      let (low, mean, high) = (
        row["ci_low"] as! Double, row["forgetting_mean"] as! Double, row["ci_high"] as! Double
      )
      #expect(low <= mean && mean <= high)
    }
    #expect(rows[0]["p_value"] as? Double == 1 && rows[0]["harmful"] as? Bool == false)
    // The first task is learnt (forgetting is a drop from a real accuracy), then forgotten.
    #expect((rows[0]["forgetting_mean"] as! Double) > 0.02)

    let list = try CLI.run(["runs", "list", "--json"], in: folder)
    #expect(list.stdout.contains("replay-study"))
    #expect(list.stdout.contains("count: Split"), "\(list.stdout)")
    let report = try CLI.run(
      ["report", "1", "--out", "study.html", "--figures", "figures"], in: folder)
    #expect(report.status == 0, "\(report.stderr)")
    let html = try String(
      contentsOf: folder.appendingPathComponent("study.html"), encoding: .utf8)
    #expect(html.contains("Replay study (run 1)") && html.contains("<svg"))
    #expect(html.contains("Welch p"))
    // The same chart as a standalone file a README or paper can embed.
    let figure = try String(
      contentsOf: folder.appendingPathComponent("figures/run-1-1.svg"), encoding: .utf8)
    #expect(figure.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(figure.contains("replayed samples m") && figure.hasSuffix("</svg>\n"))
    #expect(html.contains(figure.dropLast()))
  }

  @Test("sample study: no replay first, one row per class of the first task, paired statistics")
  func samplesStudy() throws {
    let result = try CLI.run([
      "replay-study", "samples", "--first", "0,1", "--second", "2,3", "--dataset", "synthetic",
      "--seeds", "3", "--epochs", "1", "--model", "mlp:32", "--json", "--no-store",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try jsonArray(result.stdout)
    #expect(rows.map { $0["sample"] as? String } == ["none", "class 0", "class 1"])
    #expect(rows.dropFirst().allSatisfy { $0["paired_p_value"] is Double })
  }

  @Test("longer sequences: --permuted 3 and a YAML stream replay every earlier task")
  func longerSequences() throws {
    let permuted = try CLI.run([
      "replay-study", "count", "--permuted", "3", "--dataset", "synthetic", "--memory", "0,6",
      "--seeds", "2", "--epochs", "1", "--model", "mlp:32", "--json", "--no-store",
    ])
    #expect(permuted.status == 0, "\(permuted.stderr)")
    let rows = try jsonArray(permuted.stdout)
    #expect(rows.map { $0["memory"] as? Int } == [0, 6])
    #expect(rows.allSatisfy { ($0["forgetting_mean"] as? Double)?.isFinite == true })

    let folder = try Fixtures.temporaryDirectory("study-config")
    try """
    benchmark: custom
    scenario: class
    dataset: synthetic
    epochs: 1
    model: mlp:32
    custom_tasks:
      - {classes: [0, 1]}
      - {classes: [2, 3]}
      - {classes: [4, 5]}
    """.write(to: folder.appendingPathComponent("three.yaml"), atomically: true, encoding: .utf8)
    let custom = try CLI.run(
      [
        "replay-study", "count", "--config", "three.yaml", "--memory", "0,4", "--seeds", "2",
        "--json",
      ], in: folder)
    #expect(custom.status == 0, "\(custom.stderr)")
    #expect(try jsonArray(custom.stdout).count == 2)
    let shown = try CLI.run(["runs", "show", "1"], in: folder)
    #expect(shown.stdout.contains("three.yaml (synthetic)"), "\(shown.stdout)")
    #expect(shown.stdout.contains("vs no replay"))
    // Tasks without their own dataset use the file's, under the paper's protocol.
    #expect(!shown.stdout.contains("fashion-mnist"))
    #expect(
      shown.stdout.contains("\"optimizer\":\"adam\"")
        && shown.stdout.contains("\"replay_loss\":\"sum\""))
    // A typo in the file is named with its line, not run with a default.
    try "benchmark: custom\ncustom_taks: []\n".write(
      to: folder.appendingPathComponent("typo.yaml"), atomically: true, encoding: .utf8)
    let typo = try CLI.run(
      ["replay-study", "count", "--config", "typo.yaml", "--seeds", "2"], in: folder)
    #expect(typo.status == 1 && typo.stderr.contains("custom_taks"), "\(typo.stderr)")
  }

  @Test(
    "regression study: linear SGD reaches the exact min-norm forgetting; replay of one sample hurts"
  )
  func regressionStudy() throws {
    let result = try CLI.run([
      "replay-study", "regression", "--figure", "1a", "--runs", "12", "--epochs", "400",
      "--no-mlp", "--json", "--no-store",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try jsonArray(result.stdout)
    let exact = rows.filter { ($0["model"] as? String)?.hasPrefix("exact") == true }
    let linear = rows.filter { ($0["model"] as? String)?.hasPrefix("linear") == true }
    #expect(exact.count == 3 && linear.count == 3)
    let e = exact.map { $0["forgetting_mean"] as! Double }
    let l = linear.map { $0["forgetting_mean"] as! Double }
    // Theorem C.1: one random replayed sample raises the forgetting of these tasks.
    #expect(e[1] > 1.5 * e[0] && exact[1]["harmful"] as? Bool == true)
    #expect(e[2] < 1e-12)
    // SGD from w₁ converges to the projection the theory computes (m = 0, 1).
    #expect(abs(l[0] - e[0]) < 0.01 * e[0] && abs(l[1] - e[1]) < 0.02 * e[1])
  }

  @Test("angle study: exact forgetting is an arch peaking near 45° and zero at 0° and 90°")
  func angleStudy() throws {
    let result = try CLI.run([
      "replay-study", "angle", "--angles", "0,30,45,60,90", "--dimension", "4", "--samples", "20",
      "--runs", "3", "--epochs", "50", "--mlp-width", "16", "--json", "--no-store",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try jsonArray(result.stdout)
    let exact = rows.filter { ($0["model"] as? String)?.hasPrefix("exact") == true }
      .map { $0["forgetting_mean"] as! Double }
    #expect(exact.count == 5)
    #expect(exact[0] < 1e-12 && exact[4] < 1e-12)
    #expect(exact[2] > exact[1] * 0.8 && exact[2] > exact[0] && exact[2] > exact[4])
    #expect(rows.filter { ($0["model"] as? String)?.hasPrefix("MLP") == true }.count == 5)
  }

  @Test("replay advice: ratios per m with a direction and confidence, checked against a study")
  func advice() throws {
    let folder = try Fixtures.temporaryDirectory("advice-cli")
    let common = [
      "--first", "0,1", "--second", "2,3", "--dataset", "synthetic", "--epochs", "1", "--model",
      "mlp:32",
    ]
    let study = try CLI.run(
      ["replay-study", "count", "--memory", "0:2", "--seeds", "3"] + common, in: folder)
    #expect(study.status == 0, "\(study.stderr)")
    let result = try CLI.run(
      [
        "replay-advice", "--memory", "0:2", "--samples", "200", "--targets", "4", "--draws", "8",
        "--compare", "1", "--json",
      ] + common, in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let advice = try #require(object["advice"] as? [[String: Any]])
    #expect(advice.map { $0["memory"] as? Int } == [0, 1, 2])
    #expect(advice[0]["ratio"] as? Double == 1)
    let directions = Set(advice.dropFirst().compactMap { $0["direction"] as? String })
    #expect(directions.isSubset(of: ["hurts", "helps", "no clear effect"]))
    let agreement = try #require(object["agreement"] as? [String: Any])
    #expect(agreement["all"] as? Int == 2)

    // The advice for m = 2 does not depend on which other memory sizes are asked for.
    let alone = try CLI.run(
      [
        "replay-advice", "--memory", "2", "--samples", "200", "--targets", "4", "--draws", "8",
        "--json", "--no-store",
      ] + common, in: folder)
    #expect(alone.status == 0, "\(alone.stderr)")
    let aloneObject = try #require(
      JSONSerialization.jsonObject(with: Data(alone.stdout.utf8)) as? [String: Any])
    let aloneAdvice = try #require(aloneObject["advice"] as? [[String: Any]])
    #expect(aloneAdvice.last?["memory"] as? Int == 2)
    #expect(aloneAdvice.last?["ratios"] as? [Double] == advice[2]["ratios"] as? [Double])
  }

  @Test("bad input: half a sequence, negative memory, too few seeds, a non-study run")
  func badInput() throws {
    let half = try CLI.run(["replay-study", "count", "--first", "0,1"])
    #expect(half.status != 0 && half.stderr.contains("--second"))
    let both = try CLI.run(["replay-study", "count", "--rotation", "0,45", "--config", "x.yaml"])
    #expect(both.status != 0 && both.stderr.contains("one sequence"))
    let negative = try CLI.run([
      "replay-study", "count", "--memory", "-1,2", "--dataset", "synthetic",
    ])
    #expect(negative.status != 0)
    let seeds = try CLI.run(["replay-study", "count", "--seeds", "1"])
    #expect(seeds.status != 0 && seeds.stderr.contains("--seeds"))
    let huge = try CLI.run([
      "replay-study", "count", "--dataset", "synthetic", "--first", "0,1", "--second", "2,3",
      "--memory", "0,999999", "--seeds", "2", "--no-store",
    ])
    #expect(huge.status != 0 && huge.stderr.contains("memory"))
    let figure = try CLI.run(["replay-study", "regression", "--figure", "2c"])
    #expect(figure.status != 0 && figure.stderr.contains("1a"))
  }
}
