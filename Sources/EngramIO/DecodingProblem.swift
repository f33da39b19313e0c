import Foundation

/// A decoding failure in words: which field and what was wrong, without the decoder's
/// internal text (`DecodingError.keyNotFound(CodingKeys(stringValue: …` is not a message).
public func decodingProblem(_ error: Error) -> String {
  guard let error = error as? DecodingError else { return systemReason(error) }
  func place(_ path: [CodingKey], _ last: CodingKey? = nil) -> String {
    let keys = path + (last.map { [$0] } ?? [])
    guard !keys.isEmpty else { return "the document" }
    let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    return "field '\(text.hasPrefix(".") ? String(text.dropFirst()) : text)'"
  }
  switch error {
  case .keyNotFound(let key, let context):
    return "\(place(context.codingPath, key)) is missing"
  case .typeMismatch(let type, let context):
    return "\(place(context.codingPath)) is not \(typeName(type))"
  case .valueNotFound(let type, let context):
    return "\(place(context.codingPath)) is null, expected \(typeName(type))"
  case .dataCorrupted(let context):
    return context.codingPath.isEmpty
      ? "not valid JSON" : "\(place(context.codingPath)) is invalid"
  @unknown default:
    return "does not decode"
  }
}

/// A type as a message names it: "a number", "text", "a list".
private func typeName(_ type: Any.Type) -> String {
  let name = String(describing: type)
  switch name {
  case "Double", "Float", "Int", "Int64", "Int32", "UInt64", "UInt8": return "a number"
  case "String": return "text"
  case "Bool": return "true or false"
  default:
    if name.hasPrefix("Array") { return "a list" }
    if name.hasPrefix("Dictionary") { return "an object" }
    return "the expected kind of value"
  }
}
