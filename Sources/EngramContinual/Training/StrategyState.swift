import EngramIO
import EngramNN
import Foundation

/// A strategy whose state is one `Codable` value. The trainer checkpoints it through one
/// encoder (`StrategyStateCoder`) as one section, and refuses to restore when the section is
/// missing or does not decode — no strategy writes or parses checkpoint sections itself.
public protocol StatefulStrategy: Strategy {
  /// What the strategy has learned (memories, anchors, teachers, counters).
  associatedtype State: Codable
  /// The state now.
  var state: State { get }
  /// Takes over `state`, saved by the same method for the same model and stream; checks sizes.
  mutating func restore(_ state: State, model: Model) throws
}

extension StatefulStrategy {
  public func save(into checkpoint: inout Checkpoint, prefix: String) throws {
    checkpoint.sections["\(prefix).state"] = try StrategyStateCoder.encode(state)
  }

  public mutating func restore(from checkpoint: Checkpoint, prefix: String, model: Model) throws {
    guard let bytes = checkpoint.sections["\(prefix).state"] else {
      throw ModelError.checkpointMismatch(
        file: "checkpoint", field: "\(prefix).state", expected: "the state of \(name)",
        found: "nothing")
    }
    try restore(try StrategyStateCoder.decode(State.self, from: bytes, field: prefix), model: model)
  }
}

/// The one encoding of strategy state: a binary property list, with large numeric buffers as
/// raw bytes (`PackedFloats`), so a 500 000-parameter Fisher costs a copy, not 500 000 objects.
public enum StrategyStateCoder {
  /// `value` as bytes.
  /// - Throws: `EncodingError` (not expected for plain state).
  public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
    let encoder = PropertyListEncoder()
    encoder.outputFormat = .binary
    // A property list's top level must be a container, and a state may be nil.
    return [UInt8](try encoder.encode(Envelope(state: value)))
  }

  /// The value `bytes` encode.
  /// - Throws: `ModelError.checkpointMismatch` naming `field` when they do not decode as `T`.
  public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], field: String)
    throws -> T
  {
    do {
      return try PropertyListDecoder().decode(Envelope<T>.self, from: Data(bytes)).state
    } catch {
      throw ModelError.checkpointMismatch(
        file: "checkpoint", field: field, expected: "state of the same strategy",
        found: "data that does not decode (\(decodingProblem(error)))")
    }
  }
}

/// The one key every encoded state sits under.
private struct Envelope<T> {
  var state: T
}

extension Envelope: Encodable where T: Encodable {}
extension Envelope: Decodable where T: Decodable {}

/// A Float buffer that encodes as its raw bytes.
public struct PackedFloats: Codable, Sendable, Equatable {
  /// The values.
  public var values: [Float]

  /// Wraps `values`.
  public init(_ values: [Float]) { self.values = values }

  /// Wraps a parameter buffer.
  public init(_ buffer: UnsafeMutableBufferPointer<Float>) { values = Array(buffer) }

  public init(from decoder: Decoder) throws {
    let data = try decoder.singleValueContainer().decode(Data.self)
    guard data.count % MemoryLayout<Float>.size == 0 else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "not a whole number of Floats"))
    }
    values = [Float](repeating: 0, count: data.count / MemoryLayout<Float>.size)
    values.withUnsafeMutableBytes { _ = data.copyBytes(to: $0) }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(values.withUnsafeBytes { Data($0) })
  }

  /// The values, which must number `count`.
  /// - Throws: `ModelError.checkpointMismatch` naming `field` otherwise.
  public func checked(count: Int, field: String) throws -> [Float] {
    guard values.count == count else {
      throw ModelError.checkpointMismatch(
        file: "checkpoint", field: field, expected: "\(count) values", found: "\(values.count)")
    }
    return values
  }
}

extension Model {
  /// A copy of this model with `parameters` (a teacher saved in a checkpoint).
  /// - Throws: `ModelError.checkpointMismatch` when the count differs.
  func teacher(from parameters: PackedFloats, field: String) throws -> Model {
    let values = try parameters.checked(count: parameterCount, field: field)
    let teacher = clone()
    _ = teacher.parameters.update(from: values)
    return teacher
  }
}
