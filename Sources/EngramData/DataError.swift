/// Errors from reading and preparing data; each names the file (or field) and the fix.
public enum DataError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file cannot be opened or read.
  case unreadable(file: String, reason: String)
  /// The first bytes are not an IDX magic number.
  case notIDX(file: String, magic: String)
  /// An IDX element type Engram does not read.
  case unsupportedType(file: String, code: UInt8)
  /// A header that claims a size beyond a sane limit (checked before allocating).
  case absurdSize(file: String, field: String, claimed: Int, limit: Int)
  /// The header claims more data than the file holds.
  case truncated(file: String, expectedBytes: Int, availableBytes: Int)
  /// The gzip stream is damaged (bad CRC, bad deflate data, cut short).
  case corruptGzip(file: String, reason: String)
  /// Bytes left over after the data the header describes.
  case trailingBytes(file: String, count: Int)
  /// Image and label files that disagree on the number of examples.
  case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
  /// A data folder without the expected IDX files.
  case missingFiles(directory: String, missing: String, found: [String])
  /// A data folder with several candidate files for one role.
  case ambiguousFiles(directory: String, role: String, candidates: [String])
  /// A problem in a CSV file at a line (1-based) and column (1-based, 0 for the whole line).
  case csv(file: String, line: Int, column: Int, problem: String)
  /// A parameter outside its allowed range.
  case invalidParameter(name: String, value: String, allowed: String)
  /// Two datasets that must have the same example shape (train and test, the tasks of one
  /// stream) do not.
  case shapeMismatch(first: String, firstShape: String, second: String, secondShape: String)
  /// A file with too few examples for what is done with it (`why`, e.g. holding out a test set).
  case tooFewExamples(file: String, count: Int, needed: Int, why: String)

  /// What went wrong and what to do about it.
  public var description: String {
    switch self {
    case .unreadable(let file, let reason):
      return "\(file): cannot be read (\(reason)); check the path and permissions"
    case .notIDX(let file, let magic):
      return
        "\(file): wrong magic number \(magic); the file is not IDX (expected 00 00 08 then the rank) — re-extract it or pass --data-dir"
    case .unsupportedType(let file, let code):
      return
        "\(file): IDX element type 0x\(String(code, radix: 16, uppercase: true)) is not supported; Engram reads unsigned-byte (0x08) IDX files"
    case .absurdSize(let file, let field, let claimed, let limit):
      return
        "\(file): header claims \(field) = \(claimed) (limit \(limit)); the file is not a valid IDX file — re-extract it or pass --data-dir"
    case .truncated(let file, let expected, let available):
      return
        "\(file): header describes \(expected) bytes but the file holds only \(available); the file is truncated — download or extract it again"
    case .corruptGzip(let file, let reason):
      return "\(file): the gzip data is corrupt (\(reason)); download or extract it again"
    case .trailingBytes(let file, let count):
      return
        "\(file): \(count) bytes follow the data the header describes; the header and file disagree — the file is damaged"
    case .countMismatch(let images, let imageCount, let labels, let labelCount):
      return
        "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels; use an image file and the label file that belongs to it"
    case .missingFiles(let directory, let missing, let found):
      let list = found.isEmpty ? "nothing" : found.joined(separator: ", ")
      return
        "\(directory): no \(missing) file (found \(list)); the folder needs train/test images and labels in IDX format (raw or .gz), e.g. train-images-idx3-ubyte.gz"
    case .ambiguousFiles(let directory, let role, let candidates):
      return
        "\(directory): several \(role) files (\(candidates.joined(separator: ", "))); point --dataset at a folder holding one dataset"
    case .csv(let file, let line, let column, let problem):
      return "\(file): line \(line)\(column > 0 ? ", column \(column)" : ""): \(problem)"
    case .invalidParameter(let name, let value, let allowed):
      return "\(name) = \(value) is not allowed: \(allowed)"
    case .shapeMismatch(let first, let firstShape, let second, let secondShape):
      return
        "\(first) holds \(firstShape) but \(second) holds \(secondShape); the training and test sets, and every dataset of one stream, need examples of the same shape"
    case .tooFewExamples(let file, let count, let needed, let why):
      return
        "\(file): holds \(count) example\(count == 1 ? "" : "s"), but \(why) needs at least \(needed); add examples"
    }
  }
}
