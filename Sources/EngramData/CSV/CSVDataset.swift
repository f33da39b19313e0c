import CSV
import EngramIO
import Foundation

/// Reads labelled examples from a CSV file: one example per line, a label column and numeric
/// feature columns.
///
/// The first line is a header when none of its feature fields is a number (always, when the
/// label column is given by name), and data when all of them are; a first line that mixes the
/// two is refused, since a data line with one mistyped number would otherwise vanish as a
/// header. Feature fields are plain decimal numbers (`EngramIO.DecimalText`: no trailing characters,
/// no hexadecimal, no `inf` or `nan`). Labels are all class indices (whole numbers from 0) or
/// all class names (mapped to 0, 1, … in sorted order; the mapping is returned): see
/// ``CSVLabels``. Every line must have the same number of fields.
public enum CSVDataset {
  /// Which column holds the label.
  public enum LabelColumn: Sendable, Equatable {
    /// The first column.
    case first
    /// The last column.
    case last
    /// A 0-based column index.
    case index(Int)
    /// The column with this header name.
    case named(String)
  }

  /// A dataset read from CSV, with the names of its classes.
  public struct Result: Sendable {
    /// The examples.
    public let dataset: Dataset
    /// The class names in index order (the integers themselves when labels were integers).
    public let classNames: [String]
  }

  /// The largest CSV file read (2 GiB): it is parsed in memory, several times its size.
  public static let maximumBytes = 1 << 31

  /// Reads a CSV file.
  /// - Throws: `DataError.csv` naming the line and column of a bad field or a line of the
  ///   wrong width; `DataError.unreadable`.
  public static func read(
    _ url: URL, labelColumn: LabelColumn = .first, delimiter: UnicodeScalar = ","
  ) throws -> Result {
    let file = url.lastPathComponent
    let data: Data
    do {
      data = try InputFile.read(url.path, limit: maximumBytes, what: "a CSV dataset")
    } catch let error as InputFileError {
      throw DataError.unreadable(file: url.path, reason: error.reason)
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw DataError.csv(
        file: file, line: 1, column: 0, problem: "is not UTF-8 text; save the file as UTF-8 CSV")
    }
    // CSV.swift's InputStream mode reports an error at a normal end of file on Linux; its
    // string mode does not, so the file is read whole.
    let reader: CSVReader
    do {
      reader = try CSVReader(
        string: text, hasHeaderRow: false, trimFields: true, delimiter: delimiter)
    } catch {
      throw DataError.unreadable(file: url.path, reason: "\(error)")
    }
    var rows: [[String]] = []
    while let row = reader.next() {
      if row.count == 1 && row[0].isEmpty { continue }  // blank line
      rows.append(row)
    }
    if let error = reader.error {
      throw DataError.csv(
        file: file, line: rows.count + 1, column: 0, problem: "cannot be parsed (\(error))")
    }
    guard let first = rows.first else {
      throw DataError.csv(
        file: file, line: 1, column: 0,
        problem: "the file is empty; give a label column and feature columns")
    }
    let width = first.count
    guard width >= 2 else {
      throw DataError.csv(
        file: file, line: 1, column: 0,
        problem:
          "has \(width) column; a CSV dataset needs a label column and at least one feature column")
    }
    let header: [String]?
    let labelIndex: Int
    let featureColumns: [Int]
    let firstIsHeader = try isHeader(first, labelColumn: labelColumn, file: file)
    header = firstIsHeader ? first : nil
    labelIndex = try resolve(labelColumn, width: width, header: header, file: file)
    featureColumns = (0..<width).filter { $0 != labelIndex }
    let body = firstIsHeader ? Array(rows.dropFirst()) : rows
    let firstLine = firstIsHeader ? 2 : 1
    guard !body.isEmpty else {
      throw DataError.csv(
        file: file, line: firstLine, column: 0, problem: "there are no examples after the header")
    }

    var features = [Float]()
    features.reserveCapacity(body.count * featureColumns.count)
    var rawLabels: [String] = []
    rawLabels.reserveCapacity(body.count)
    for (i, row) in body.enumerated() {
      let line = firstLine + i
      guard row.count == width else {
        throw DataError.csv(
          file: file, line: line, column: 0,
          problem:
            "has \(row.count) fields but the first line has \(width); every line needs the same columns"
        )
      }
      for column in featureColumns {
        guard let value = DecimalText.float(row[column]), value.isFinite else {
          throw DataError.csv(
            file: file, line: line, column: column + 1,
            problem: "'\(abbreviated(row[column]))' is not a finite number; feature columns must be numeric")
        }
        features.append(value)
      }
      rawLabels.append(row[labelIndex])
    }
    let (labels, names) = try CSVLabels.encode(
      rawLabels, file: file, firstLine: firstLine, column: labelIndex + 1)
    let dataset = try Dataset(
      name: url.deletingPathExtension().lastPathComponent, features: .floats(features),
      labels: labels,
      featureCount: featureColumns.count, classCount: names.count)
    return Result(dataset: dataset, classNames: names)
  }

  /// Whether the first line names the columns: no feature field is a number (for a label
  /// column given by name, the first line must be a header). A line mixing numbers and text
  /// is neither, and refused at its first field that is not a number.
  private static func isHeader(_ first: [String], labelColumn: LabelColumn, file: String) throws
    -> Bool
  {
    if case .named = labelColumn { return true }
    let label = try resolve(labelColumn, width: first.count, header: nil, file: file)
    // Double() rather than DecimalText: `nan` or `1e999` in a first data line is a bad number
    // (reported as such below), not a column name.
    let fields = first.indices.filter { $0 != label }
    let text = fields.filter { Double(first[$0]) == nil }
    if text.isEmpty { return false }
    if text.count == fields.count { return true }
    let column = text[0]
    throw DataError.csv(
      file: file, line: 1, column: column + 1,
      problem:
        "'\(abbreviated(first[column]))' is not a number, yet other fields of line 1 are: the line is neither a header (text in every column) nor data (numbers in every feature column); fix the field or name every column"
    )
  }

  private static func resolve(_ column: LabelColumn, width: Int, header: [String]?, file: String)
    throws -> Int
  {
    switch column {
    case .first: return 0
    case .last: return width - 1
    case .index(let i):
      guard i >= 0, i < width else {
        throw DataError.csv(
          file: file, line: 1, column: 0,
          problem: "label column \(i) does not exist; the file has columns 0..<\(width)")
      }
      return i
    case .named(let name):
      guard let header, let i = header.firstIndex(of: name) else {
        throw DataError.csv(
          file: file, line: 1, column: 0,
          problem:
            "no column named '\(abbreviated(name))'; columns: \(abbreviated((header ?? []).joined(separator: ", "), limit: 400))")
      }
      return i
    }
  }
}
