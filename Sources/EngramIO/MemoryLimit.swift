import Foundation

/// Something sized from input that would not fit in memory: refused before it is allocated.
public struct MemoryLimitError: Error, Equatable, Sendable, CustomStringConvertible {
  /// What would be allocated ("the model mlp:100000,100000").
  public let what: String
  /// Bytes it would need (nil: more than an integer can count).
  public let needed: Int?
  /// The limit it was checked against.
  public let limit: Int

  public var description: String {
    let amount = needed.map(MemoryLimit.format) ?? "more bytes than can be counted"
    return
      "\(what) would need \(amount), more than this machine's \(MemoryLimit.format(limit)) of memory; make it smaller"
  }
}

/// The memory an allocation sized from input may take: the machine's physical memory.
public enum MemoryLimit {
  /// The limit in bytes.
  public static var bytes: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }

  /// Throws unless `count` elements of `bytesEach` bytes (nil: the count overflowed) fit.
  /// - Throws: `MemoryLimitError` naming `what`.
  public static func check(count: Int?, bytesEach: Int, for what: String) throws {
    let needed = count.flatMap { c -> Int? in
      let (product, overflow) = c.multipliedReportingOverflow(by: bytesEach)
      return overflow ? nil : product
    }
    guard let needed, needed <= bytes else {
      throw MemoryLimitError(what: what, needed: needed, limit: bytes)
    }
  }

  /// A byte count for messages ("41.2 GB").
  public static func format(_ bytes: Int) -> String {
    let units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1000 && unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f %@", value, units[unit])
  }
}

/// Sums and products of sizes from input, with overflow reported as nil.
public enum CheckedSize {
  /// a · b · …, or nil on overflow (or when any is nil).
  public static func product(_ values: Int?...) -> Int? { product(values) }

  /// The product of `values`, or nil on overflow (or when any is nil).
  public static func product(_ values: [Int?]) -> Int? {
    var result = 1
    for value in values {
      guard let value else { return nil }
      let (p, overflow) = result.multipliedReportingOverflow(by: value)
      if overflow { return nil }
      result = p
    }
    return result
  }

  /// a + b + …, or nil on overflow (or when any is nil).
  public static func sum(_ values: [Int?]) -> Int? {
    var result = 0
    for value in values {
      guard let value else { return nil }
      let (s, overflow) = result.addingReportingOverflow(value)
      if overflow { return nil }
      result = s
    }
    return result
  }
}
