import Foundation
import GRDB

/// A sweep as the store keeps it.
public struct SweepRecord: Sendable, Equatable {
  /// Its id.
  public let id: Int64
  /// Its name (from the sweep file).
  public let name: String
  /// The sweep file's content, as JSON.
  public let definition: String
  /// `local` or `slurm`.
  public let backend: String
  /// The folder of its cluster files (Slurm), if any.
  public let directory: String?
  /// Runs it defines.
  public let total: Int
  /// ISO 8601 creation time.
  public let createdAt: String
}

extension ResultsStore {
  /// Adds a sweep; returns its id.
  /// - Throws: `StoreError`.
  public func createSweep(
    name: String, definition: String, backend: String, directory: String?, total: Int
  ) throws -> Int64 {
    try guarded {
      try pool.write { db in
        try db.execute(
          sql: """
            INSERT INTO sweeps (name, definition, backend, directory, total, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
          arguments: [name, definition, backend, directory, total, Self.timestamp(Date())])
        return db.lastInsertedRowID
      }
    }
  }

  /// Sets where a sweep's cluster files live.
  public func setSweepDirectory(_ id: Int64, directory: String) throws {
    try guarded {
      try pool.write { db in
        try db.execute(
          sql: "UPDATE sweeps SET directory = ? WHERE id = ?", arguments: [directory, id])
      }
    }
  }

  /// Sweep `id`, or the newest when nil.
  /// - Throws: `StoreError.unknown` when there is none.
  public func sweep(_ id: Int64?) throws -> SweepRecord {
    let row = try guarded {
      try pool.read { db in
        try Row.fetchOne(
          db,
          sql: id == nil
            ? "SELECT * FROM sweeps ORDER BY id DESC LIMIT 1" : "SELECT * FROM sweeps WHERE id = ?",
          arguments: id.map { [$0] } ?? [])
      }
    }
    guard let row else {
      throw StoreError.unknown(
        kind: "sweep", id: id.map { "\($0)" } ?? "at all",
        hint: "engram sweep --config FILE.yaml starts one; engram runs list shows sweep ids")
    }
    return SweepRecord(
      id: row["id"], name: row["name"], definition: row["definition"], backend: row["backend"],
      directory: row["directory"], total: row["total"], createdAt: row["created_at"])
  }

  /// The ids of run records of sweep `id` with their sweep index.
  public func sweepRuns(_ id: Int64) throws -> [(index: Int, run: Int64, status: RunRecord.Status)]
  {
    try guarded {
      try pool.read { db in
        try Row.fetchAll(
          db, sql: "SELECT id, sweep_index, status FROM runs WHERE sweep_id = ? ORDER BY id",
          arguments: [id]
        ).map {
          (
            index: $0["sweep_index"] ?? -1, run: $0["id"],
            status: RunRecord.Status(rawValue: $0["status"]) ?? .failed
          )
        }
      }
    }
  }
}
