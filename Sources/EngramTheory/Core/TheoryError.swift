import EngramLinalg
import EngramSpelling

/// Errors from the theory engine; each says which input is wrong and how to fix it.
public enum TheoryError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A field of a task-sequence spec is missing, malformed or inconsistent.
  case invalidSpec(file: String?, field: String, problem: String)
  /// A numeric parameter outside its allowed range.
  case parameterOutOfRange(name: String, value: String, allowed: String)
  /// A construction name Engram does not know.
  case unknownConstruction(name: String, valid: [String])
  /// More replay samples requested than the source task has.
  case memoryTooLarge(requested: Int, available: Int, task: Int)
  /// A parameter that the chosen construction or command does not use.
  case unsupportedParameter(name: String, context: String, hint: String)
  /// A sweep over a parameter that the construction does not have.
  case unsupportedSweep(parameter: SweepParameter, construction: String)
  /// A linear-algebra failure underneath.
  case linearAlgebra(LinalgError)

  /// What went wrong and what to do about it.
  public var description: String {
    switch self {
    case .invalidSpec(let file, let field, let problem):
      return "\(file.map { "\($0): " } ?? "")\(field): \(problem)"
    case .parameterOutOfRange(let name, let value, let allowed):
      return "\(name) = \(value) is out of range: \(allowed)"
    case .unknownConstruction(let name, let valid):
      let hint = nearest(to: name, in: valid).map { " (did you mean '\($0)'?)" } ?? ""
      return
        "unknown construction '\(name)'\(hint); valid constructions: \(valid.joined(separator: ", "))"
    case .memoryTooLarge(let requested, let available, let task):
      return
        "memory = \(requested) is larger than the \(available) samples of task \(task); choose a memory of at most \(available)"
    case .unsupportedParameter(let name, let context, let hint):
      return "\(name) does not apply to \(context); \(hint)"
    case .unsupportedSweep(let parameter, let construction):
      let choices = SweepParameter.listed.map {
        "\($0.rawValue) (\($0.constructions?.joined(separator: ", ") ?? "any construction"))"
      }
      return
        "a sweep of '\(construction)' cannot vary \(parameter.rawValue); sweepable parameters: \(choices.joined(separator: ", "))"
    case .linearAlgebra(let error):
      return error.description
    }
  }
}

/// Runs a linear-algebra call, turning its error into `TheoryError.linearAlgebra`.
@inline(__always)
func linalg<T>(_ body: () throws -> T) throws -> T {
  do { return try body() } catch let error as LinalgError { throw TheoryError.linearAlgebra(error) }
}
