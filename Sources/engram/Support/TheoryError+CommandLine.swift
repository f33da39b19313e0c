import EngramTheory

extension TheoryError {
  /// The message `engram` prints: the library's description, except where the fix is a
  /// different flag — the library names parameters, the command line names the flags that
  /// set them.
  var commandLineDescription: String {
    switch self {
    case .unsupportedSweep(let parameter, let construction):
      let choices = SweepParameter.listed.map {
        "--\($0.rawValue) for \($0.constructions?.joined(separator: "/") ?? "any")"
      }
      return
        "--\(parameter.rawValue) does not apply to a sweep of '\(construction)'; sweep \(choices.joined(separator: ", "))"
    default:
      return description
    }
  }
}
