import ArgumentParser
import EngramLab
import Foundation

/// Writes an `Encodable` value as one line of JSON on stdout, keys in snake_case and sorted.
///
/// JSONEncoder writes doubles in shortest round-trip form, so values survive a round trip
/// through Python's `json` or R's `jsonlite` exactly; sorted keys keep the text stable.
func printJSON<T: Encodable>(_ value: T) throws {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
  encoder.keyEncodingStrategy = .convertToSnakeCase
  let data: Data
  do {
    data = try encoder.encode(value)
  } catch EncodingError.invalidValue(let bad, let context) {
    // JSON has no NaN or infinity: a result that is not finite is an error, not output.
    let path = context.codingPath.map(\.stringValue).joined(separator: ".")
    throw CommandError(
      message:
        "the result \(path.isEmpty ? "" : "'\(path)' ")is \(bad), not a finite number: the computation overflowed or divided by zero; scale the inputs"
    )
  }
  print(String(decoding: data, as: UTF8.self))
}

/// Formats a number for tables: 6 significant digits, "—" for nil, and "≈0" below 1e-20,
/// where theory values are rounding residue of an exact zero (the JSON keeps the raw value).
func formatted(_ x: Double?, digits: Int = 6) -> String {
  guard let x else { return "—" }
  if x == 0 { return "0" }
  if abs(x) < 1e-20 { return "≈0" }
  if abs(x) >= 1e-4 && abs(x) < 1e6 { return String(format: "%.\(digits)g", x) }
  return String(format: "%.\(digits - 1)e", x)
}

/// A plain-text table with aligned columns.
struct TextTable {
  var header: [String]
  var rows: [[String]] = []

  init(_ header: [String]) {
    self.header = header
  }

  mutating func add(_ row: [String]) {
    rows.append(row)
  }

  var rendered: String {
    let all = [header] + rows
    // Rows may be longer than the header (a damaged stored record): every column gets a width.
    let columns = all.map(\.count).max() ?? 0
    let widths = (0..<columns).map { i in
      all.map { $0.indices.contains(i) ? $0[i].count : 0 }.max() ?? 0
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { i, cell in
        cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
      }.joined(separator: "  ").replacingOccurrences(
        of: "\\s+$", with: "", options: .regularExpression)
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
  }
}

/// Progress for long work on stderr: a redrawn bar with rate and ETA on a terminal, a plain
/// line per step otherwise (so logs stay readable).
struct ProgressReporter {
  let label: String
  let isTerminal = isatty(STDERR_FILENO) != 0
  let start = Date()
  var quiet = false

  init(label: String, quiet: Bool = false) {
    self.label = label
    self.quiet = quiet
  }

  /// Writes one line of progress to stderr (unless quiet).
  func line(_ text: String) {
    guard !quiet else { return }
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }

  func update(_ done: Int, _ total: Int) {
    update(done, total, label: label)
  }

  /// Shows `done` of `total`; the rate counts `rateOf` units since the start (default
  /// `done`) and the ETA covers `remaining` units (default `total - done`).
  func update(
    _ done: Int, _ total: Int, label: String, rateOf counted: Int? = nil, remaining left: Int? = nil
  ) {
    guard !quiet else { return }
    let elapsed = Date().timeIntervalSince(start)
    let rate = elapsed > 0 ? Double(counted ?? done) / elapsed : 0
    let remaining = rate > 0 ? Double(left ?? (total - done)) / rate : 0
    if isTerminal {
      let width = 24
      let filled = total > 0 ? width * done / total : width
      let bar =
        String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
      let text = String(
        format: "\r%@ [%@] %d/%d  %.1f/s  ETA %.0fs ", label, bar, done, total, rate, remaining)
      FileHandle.standardError.write(Data(text.utf8))
      if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
    } else {
      let text = String(format: "%@: %d/%d (%.1fs)\n", label, done, total, elapsed)
      FileHandle.standardError.write(Data(text.utf8))
    }
  }
}

/// An optional that encodes `nil` as JSON `null` instead of leaving the key out, so that
/// documented keys are always present.
struct Nullable<Wrapped: Encodable>: Encodable {
  let value: Wrapped?

  init(_ value: Wrapped?) {
    self.value = value
  }

  func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    if let value { try container.encode(value) } else { try container.encodeNil() }
  }
}

/// A JSON key chosen at run time (for rows whose first key is the swept parameter's name).
struct DynamicKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(_ s: String) { stringValue = s }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

/// Where a command records its results: `--store PATH` or `--no-store`.
struct StoreOptions: ParsableArguments {
  @Option(help: "The results store the work is recorded in. (default: \(ResultsStore.defaultPath))")
  var store: String?

  @Flag(help: "Record nothing in the results store.")
  var noStore = false

  /// A store named and refused in one command is a mistake, not a choice.
  func validate() throws {
    if store != nil && noStore {
      throw ValidationError("--store and --no-store contradict each other; give one of them")
    }
  }

  /// The store to write to, or nil with --no-store.
  var path: String? { noStore ? nil : store ?? ResultsStore.defaultPath }

  /// Inserts the record unless --no-store; its id, or nil.
  func insert(_ record: @autoclosure () throws -> RunRecord) throws -> Int64? {
    try path.map { try ResultsStore(path: $0).insert(try record()) }
  }

  /// The line that tells where a stored run went.
  func storedLine(_ id: Int64) -> String {
    "\nstored as run \(id) in \(path ?? ResultsStore.defaultPath) (engram report \(id))"
  }
}
