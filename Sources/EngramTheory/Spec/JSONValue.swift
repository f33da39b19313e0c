import EngramIO
import Foundation

/// A parsed JSON document, kept untyped until a reader checks it field by field.
///
/// Decoding to this first (instead of straight to `Codable` structs) lets readers reject
/// unknown keys and name the exact path of a bad value (`tasks[1].rows[2][0]`).
public enum JSONValue: Sendable, Equatable, Decodable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// Decodes any JSON value, keeping the path of an error deep inside.
  public init(from decoder: Decoder) throws {
    // Branch on the container kind first so that an error deep inside an array or object
    // propagates with its own path instead of being swallowed by a fallback.
    if var array = try? decoder.unkeyedContainer() {
      var items: [JSONValue] = []
      while !array.isAtEnd { items.append(try array.decode(JSONValue.self)) }
      self = .array(items)
      return
    }
    if let object = try? decoder.container(keyedBy: AnyKey.self) {
      var fields: [String: JSONValue] = [:]
      for key in object.allKeys {
        fields[key.stringValue] = try object.decode(JSONValue.self, forKey: key)
      }
      self = .object(fields)
      return
    }
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let b = try? container.decode(Bool.self) {
      self = .bool(b)
    } else if let n = try? container.decode(Double.self) {
      self = .number(n)
    } else if let s = try? container.decode(String.self) {
      self = .string(s)
    } else {
      throw DecodingError.dataCorruptedError(
        in: container,
        debugDescription: "a value that is not representable (a number too large for a Double?)")
    }
  }

  private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// A coding path as a field path: `tasks[0].rows[2][1]`.
  static func fieldPath(_ path: [CodingKey]) -> String {
    var text = ""
    for key in path {
      if let index = key.intValue {
        text += "[\(index)]"
      } else if key.stringValue.hasPrefix("Index ") {
        text += "[\(key.stringValue.dropFirst(6))]"
      } else {
        text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
      }
    }
    return text.isEmpty ? "(document)" : text
  }

  /// Parses JSON text.
  /// - Throws: `TheoryError.invalidSpec` with the parser's complaint when the text is not JSON,
  ///   or naming the key and both lines when one object gives a key twice (a JSON parser keeps
  ///   the last and drops the first without a word).
  public static func parse(_ data: Data, file: String?) throws -> JSONValue {
    do {
      let value = try JSONDecoder().decode(JSONValue.self, from: data)
      if let duplicate = JSONDuplicateKeys.first(in: data) {
        throw TheoryError.invalidSpec(
          file: file, field: duplicate.path,
          problem:
            "is given twice, on lines \(duplicate.firstLine) and \(duplicate.line); give each key once"
        )
      }
      return value
    } catch let error as TheoryError {
      throw error
    } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
      throw TheoryError.invalidSpec(
        file: file, field: fieldPath(context.codingPath),
        problem: "holds \(context.debugDescription); use a finite number")
    } catch let DecodingError.dataCorrupted(context) {
      let underlying =
        (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
      throw TheoryError.invalidSpec(
        file: file, field: "(document)",
        problem:
          "is not valid JSON (\(underlying ?? context.debugDescription)); check brackets, commas and quotes"
      )
    } catch {
      throw TheoryError.invalidSpec(
        file: file, field: "(document)", problem: "is not valid JSON (\(error))")
    }
  }

  /// A short name of the value's kind, for messages.
  public var kind: String {
    switch self {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
  }
}
