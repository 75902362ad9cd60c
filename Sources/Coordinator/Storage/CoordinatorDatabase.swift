import Foundation
import GRDB
import Shared

/// The coordinator's SQLite database: opened once per process, migrated at startup, one writer.
///
/// WAL journal (a `DatabasePool` always uses it) with `synchronous=FULL`, so a write that returned survives
/// a power cut; foreign keys on.
final class CoordinatorDatabase: Sendable {
    let writer: any DatabaseWriter

    /// Opens (creating if needed) `vigil.sqlite` in `directory` and migrates it.
    static func open(directory: String) throws(StorageError) -> CoordinatorDatabase {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotOpen(path: directory, reason: error.localizedDescription)
        }
        let path = (directory as NSString).appendingPathComponent("vigil.sqlite")
        do {
            let pool = try DatabasePool(path: path, configuration: makeConfiguration())
            return try CoordinatorDatabase(writer: pool)
        } catch let error as StorageError {
            throw error
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
    }

    init(writer: any DatabaseWriter) throws(StorageError) {
        self.writer = writer
        do {
            // A pool switches its writer to synchronous=NORMAL when it enables WAL, after `prepareDatabase`
            // ran; the writer is one connection for the pool's life, so setting FULL here holds.
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw .cannotOpen(path: writer.path, reason: "\(error)")
        }
        do {
            try Migrations.migrator.migrate(writer)
        } catch {
            throw .migrationFailed(reason: "\(error)")
        }
    }

    static func makeConfiguration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return configuration
    }
}

/// Why the store could not do what was asked.
enum StorageError: Error, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case migrationFailed(reason: String)
    case invalidRow(table: String, id: String, reason: String)
    /// A batch of writes was refused or could not be committed; none of it was written.
    case writeFailed(reason: String)
    case readFailed(reason: String)

    var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open database \(path): \(reason)"
        case .migrationFailed(let reason): "database migration failed: \(reason)"
        case .invalidRow(let table, let id, let reason): "invalid \(table) row \(id): \(reason)"
        case .writeFailed(let reason): "database write failed, nothing was written: \(reason)"
        case .readFailed(let reason): "database read failed: \(reason)"
        }
    }
}
