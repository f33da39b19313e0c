import ArgumentParser
import EngramLab
import Foundation

/// `engram report`: an HTML page of runs and sweeps.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write a self-contained HTML report (SVG plots and their tables) of stored results.",
    discussion: """
      Give runs and sweeps as run:ID (or just ID) and sweep:ID, several to put them on one \
      page; with none, the newest sweep (or the newest run). A network run shows its accuracy \
      matrix as a heatmap and its continual-evaluation curves with task boundaries (the \
      stability gap); a theory sweep shows forgetting against the swept parameter with the \
      harmful region shaded; a sweep shows accuracy and forgetting per configuration with 95 % \
      intervals, and forgetting against replay size when the memory varies.
      """)

  @Argument(help: "run:ID, ID or sweep:ID (default: the newest sweep, else the newest run).")
  var items: [String] = []

  @Option(help: "The HTML file to write.")
  var out: String = "report.html"

  @Option(help: "The results store.")
  var store: String = ResultsStore.defaultPath

  @Option(help: "The page's title.")
  var title: String = "Engram report"

  @Option(help: "Also write each plot as its own SVG file in this folder (ID-K.svg).")
  var figures: String?

  @Flag(help: "Replace --out (and figure files) even when Engram did not write them.")
  var force = false

  func run() throws {
    try reportingErrors {
      try OutputFile.check(
        URL(fileURLWithPath: out), marker: Report.marker, force: force, store: store, flag: "--out")
      let results = try ResultsStore(path: store, create: false)
      var references = try items.map(Self.parse)
      if references.isEmpty {
        if let sweep = try? results.sweep(nil) {
          references = [.sweep(sweep.id)]
        } else if let last = try results.summaries().last {
          references = [.run(last.id)]
        } else {
          throw StoreError.unknown(
            kind: "run", id: "at all", hint: "engram run or engram sweep records results first")
        }
      }
      let sections = try references.map { try Self.section($0, store: results) }
      let html = Report.page(title: title, sections: sections, store: store)
      try writeAtomically(html, to: URL(fileURLWithPath: out))
      print(
        "wrote \(out) (\(html.utf8.count / 1024) kB, \(sections.count) section\(sections.count == 1 ? "" : "s"))"
      )
      if let figures {
        try Self.writeFigures(
          sections, references: references, to: figures, force: force, store: store)
      }
    }
  }

  /// Each section's charts as `run-ID-K.svg` or `sweep-ID-K.svg` in `folder`.
  static func writeFigures(
    _ sections: [Report.Section], references: [Reference], to folder: String, force: Bool,
    store: String
  ) throws {
    let directory = URL(fileURLWithPath: folder)
    try OutputFile.makeFolder(directory, flag: "--figures")
    var written = 0
    for (section, reference) in zip(sections, references) {
      let name: String
      switch reference {
      case .run(let id): name = "run-\(id)"
      case .sweep(let id): name = "sweep-\(id)"
      }
      for (k, chart) in Report.charts(in: section.html).enumerated() {
        let url = directory.appendingPathComponent("\(name)-\(k + 1).svg")
        try OutputFile.check(
          url, marker: Report.figureMarker, force: force, store: store, flag: "--figures")
        try writeAtomically(chart + "\n", to: url)
        written += 1
      }
    }
    print("wrote \(written) figure\(written == 1 ? "" : "s") to \(folder)")
  }

  enum Reference {
    case run(Int64)
    case sweep(Int64)
  }

  static func parse(_ text: String) throws -> Reference {
    let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
    if parts.count == 1, let id = Int64(parts[0]) { return .run(id) }
    if parts.count == 2, let id = Int64(parts[1]) {
      if parts[0] == "run" { return .run(id) }
      if parts[0] == "sweep" { return .sweep(id) }
    }
    throw CommandError(message: "\(text): give run:ID, ID or sweep:ID (e.g. sweep:2)")
  }

  static func section(_ reference: Reference, store: ResultsStore) throws -> Report.Section {
    switch reference {
    case .run(let id):
      let record = try store.record(id: id)
      switch record.kind {
      case .theory: return Report.theorySection(record, id: id)
      case .study: return Report.studySection(record, id: id)
      case .network: return Report.runSection(record, id: id)
      }
    case .sweep(let id):
      let summary = try SweepSummary.make(store: store, sweep: id)
      var records: [Int64: RunRecord] = [:]
      for group in summary.groups {
        for run in group.runIDs { records[run] = try store.record(id: run) }
      }
      return Report.sweepSection(summary, records: records)
    }
  }
}
