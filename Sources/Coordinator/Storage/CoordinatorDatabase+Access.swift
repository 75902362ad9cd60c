import Foundation
import GRDB

/// Reads and writes of the stores, with every failure as a one-line `StorageError` naming what was being done.
extension CoordinatorDatabase {
    /// Runs `value` on a reader (a pool reads alongside the writer).
    func reading<Value: Sendable>(
        _ what: String,
        _ value: @Sendable (Database) throws -> Value
    ) async throws(StorageError) -> Value {
        do {
            return try await writer.read(value)
        } catch let error as StorageError {
            throw error
        } catch {
            throw .readFailed(reason: "\(what): \(Self.reason(for: error))")
        }
    }

    /// Runs `body` in one write transaction: all of it, or nothing.
    func writing<Value: Sendable>(
        _ what: String,
        _ body: @escaping @Sendable (Database) throws -> Value
    ) async throws(StorageError) -> Value {
        do {
            return try await writer.write(body)
        } catch let error as StorageError {
            throw error
        } catch {
            throw .writeFailed(reason: "\(what): \(Self.reason(for: error))")
        }
    }

    /// SQLite's own message when there is one, on one line.
    static func reason(for error: any Error) -> String {
        let text =
            switch error {
            case StorageError.writeFailed(let reason): reason
            case let error as StorageError: error.description
            case let error as DatabaseError: error.message ?? "SQLite error \(error.resultCode.rawValue)"
            default: "\(error)"
            }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
