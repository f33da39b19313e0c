/// Errors from building, running, saving and loading models; each says what to do.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
  /// An architecture string that is not recognised.
  case unknownArchitecture(String)
  /// An architecture string with a bad parameter.
  case invalidArchitecture(String, problem: String)
  /// An activation name that cannot be parsed.
  case invalidActivation(String, problem: String)
  /// A convolutional architecture asked of data that are not images.
  case needsImages(String)
  /// A checkpoint that cannot be read.
  case checkpointUnreadable(file: String, reason: String)
  /// The checkpoint cannot be written (folder missing or read-only, disk full).
  case checkpointUnwritable(file: String, reason: String)
  /// A checkpoint whose bytes are damaged (magic, checksum, section bounds).
  case checkpointCorrupt(file: String, reason: String)
  /// A checkpoint of another format version.
  case checkpointVersion(file: String, found: UInt32, supported: UInt32)
  /// A checkpoint made for another model or optimiser.
  case checkpointMismatch(file: String, field: String, expected: String, found: String)

  /// The architectures Engram builds, for messages.
  public static let knownArchitectures = "mlp:W1,W2,… (e.g. mlp:400,400), linear, cnn, cnn:C1,C2,H"

  /// What went wrong and what to do about it.
  public var description: String {
    switch self {
    case .unknownArchitecture(let name):
      return "unknown architecture '\(name)'; use one of \(Self.knownArchitectures)"
    case .invalidArchitecture(let name, let problem):
      return "architecture '\(name)': \(problem); e.g. mlp:400,400 or cnn:32,64,128"
    case .invalidActivation(let name, let problem):
      return "activation '\(name)': \(problem)"
    case .needsImages(let name):
      return
        "architecture '\(name)' needs image data (height × width); this dataset has plain features — use an mlp"
    case .checkpointUnwritable(let file, let reason):
      return
        "\(file): cannot write the checkpoint (\(reason)); free space or choose a writable --checkpoint-dir (the previous checkpoint, if any, is intact)"
    case .checkpointUnreadable(let file, let reason):
      return "\(file): cannot read the checkpoint (\(reason)); check the path"
    case .checkpointCorrupt(let file, let reason):
      return
        "\(file): the checkpoint is corrupt (\(reason)); it was not written completely or was damaged — use an earlier checkpoint"
    case .checkpointVersion(let file, let found, let supported):
      return
        "\(file): checkpoint format version \(found), but this Engram reads version \(supported); use the Engram that wrote it"
    case .checkpointMismatch(let file, let field, let expected, let found):
      return
        "\(file): the checkpoint's \(field) is \(found) but this model needs \(expected); load it into the model it was saved from"
    }
  }
}
