import EngramLab
import Foundation

/// The pages of `engram serve`, rendered from the results store for a request path: the run
/// list (`/`, filtered by `?where=KEY=VALUE` like `engram runs list --where`), a page per run
/// (`/runs/ID`), sweep (`/sweeps/ID`) and study (`/studies/ID`), and a 404 page for anything
/// else. The plots are the static report's (`Report`), so a page looks like the report of the
/// same item.
///
/// Reads only: the store is opened by its owner and never written here. Pages of running runs
/// (and the list while any run is running) reload every few seconds with an HTML refresh —
/// no JavaScript — so a curve grows while its run trains.
public struct Dashboard: Sendable {
  /// A rendered page.
  public struct Page: Sendable, Equatable {
    /// The HTTP status (200, 404, 400 or 503).
    public let status: Int
    /// The HTML.
    public let html: String
  }

  /// The store.
  public let store: ResultsStore
  /// Seconds between reloads of pages that show running runs.
  public let refreshSeconds: Int

  /// A dashboard of `store`.
  public init(store: ResultsStore, refreshSeconds: Int = 2) {
    self.store = store
    self.refreshSeconds = refreshSeconds
  }

  /// The page for `path` with query items `query`.
  public func page(path: String, query: [(name: String, value: String)] = []) -> Page {
    let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    do {
      switch parts.count {
      case 0:
        return try runList(filters: query.filter { $0.name == "where" }.map(\.value))
      case 2:
        guard let id = Int64(parts[1]), id >= 1 else { return notFound(path) }
        switch parts[0] {
        case "runs": return try run(id, path: path)
        case "sweeps": return try sweep(id, path: path)
        case "studies": return try study(id, path: path)
        default: return notFound(path)
        }
      default:
        return notFound(path)
      }
    } catch let error as StoreError {
      if case .unknown = error { return notFound(path) }
      return Page(status: 503, html: message("The store cannot be read", "\(error)"))
    } catch let error as ConfigError {
      return Page(status: 400, html: message("Bad filter", "\(error)"))
    } catch {
      return Page(status: 503, html: message("The store cannot be read", "\(error)"))
    }
  }

  private func runList(filters: [String]) throws -> Page {
    let filter = try RunFilter(filters.filter { !$0.isEmpty })
    let runs = try store.summaries().filter(filter.matches)
    let rows = runs.map { run -> String in
      let link =
        run.kind == .study
        ? "/studies/\(run.id)" : "/runs/\(run.id)"
      let sweep = run.sweepID.map { "<a href=\"/sweeps/\($0)\">\($0)</a>" } ?? ""
      let cells = [
        "<a href=\"\(link)\">\(run.id)</a>", escape(run.status.rawValue), escape(run.kind.rawValue),
        escape(run.label), "\(run.seed)", sweep,
        run.metrics["average_accuracy"].map { String(format: "%.4f", $0) } ?? "",
        run.metrics["forgetting"].map { String(format: "%.4f", $0) } ?? "", escape(run.startedAt),
      ]
      return "<tr>" + cells.map { "<td class=\"l\">\($0)</td>" }.joined() + "</tr>"
    }
    let header = ["id", "status", "kind", "strategy", "seed", "sweep", "average accuracy", "forgetting", "started"]
    let form = """
      <form method="get" action="/"><label>where <input name="where" value="\(escape(filters.first ?? ""))" \
      placeholder="strategy=replay"></label> <button>filter</button> <span class="meta">KEY=VALUE as in engram runs list --where; \
      add &amp;where=… for more</span></form>
      """
    let table =
      "<table><tr>" + header.map { "<th class=\"l\">\($0)</th>" }.joined() + "</tr>"
      + rows.joined(separator: "\n") + "</table>"
    let count = "<p class=\"meta\">\(runs.count) run\(runs.count == 1 ? "" : "s")</p>"
    let live = runs.contains { $0.status == .running }
    return Page(
      status: 200,
      html: Report.page(
        title: "Engram runs", sections: [.init(title: "Runs", html: form + count + table)],
        store: store.path, refreshSeconds: live ? refreshSeconds * 2 : nil))
  }

  private func run(_ id: Int64, path: String) throws -> Page {
    let record = try store.record(id: id)
    let section: Report.Section
    switch record.kind {
    case .network: section = Report.runSection(record, id: id)
    case .theory: section = Report.theorySection(record, id: id)
    case .study: section = Report.studySection(record, id: id)
    }
    return Page(
      status: 200,
      html: Report.page(
        title: "Run \(id)", sections: [section], store: store.path,
        refreshSeconds: record.status == .running ? refreshSeconds : nil))
  }

  private func sweep(_ id: Int64, path: String) throws -> Page {
    let summary = try SweepSummary.make(store: store, sweep: id)
    var records: [Int64: RunRecord] = [:]
    for group in summary.groups {
      for run in group.runIDs { records[run] = try store.record(id: run) }
    }
    let live = try store.summaries(sweep: id).contains { $0.status == .running }
    return Page(
      status: 200,
      html: Report.page(
        title: "Sweep \(id)", sections: [Report.sweepSection(summary, records: records)],
        store: store.path, refreshSeconds: live ? refreshSeconds : nil))
  }

  private func study(_ id: Int64, path: String) throws -> Page {
    let record = try store.record(id: id)
    guard record.kind == .study else { return notFound(path) }
    return Page(
      status: 200,
      html: Report.page(
        title: "Study \(id)", sections: [Report.studySection(record, id: id)], store: store.path))
  }

  private func notFound(_ path: String) -> Page {
    Page(
      status: 404,
      html: message(
        "Not found", "Nothing at \(path) in this store. The run list at / links every run, sweep and study."))
  }

  private func message(_ title: String, _ text: String) -> String {
    Report.page(
      title: title, sections: [.init(title: title, html: "<p>\(escape(text))</p><p><a href=\"/\">all runs</a></p>")],
      store: store.path)
  }

  private func escape(_ text: String) -> String { Report.escape(text) }
}
