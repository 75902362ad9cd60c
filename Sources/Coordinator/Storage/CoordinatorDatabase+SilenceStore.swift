import Foundation
import GRDB
import Shared

extension CoordinatorDatabase: SilenceStore {
    func save(_ silence: Silence) async throws {
        let record = SilenceRecord(silence)
        try await silenceAccess("save silence \(silence.id)") { db in try record.upsert(db) }
    }

    func currentSilences(at now: Date) async throws -> [Silence] {
        try await silenceAccess("current silences", write: false) { db in
            try SilenceRecord.all().current(at: now)
                .order(SilenceRecord.Columns.startsAt, SilenceRecord.Columns.id)
                .fetchAll(db)
                .map { try $0.makeSilence() }
        }
    }

    func allSilences() async throws -> [Silence] {
        try await silenceAccess("silences", write: false) { db in
            try SilenceRecord.all()
                .order(SilenceRecord.Columns.createdAt.desc, SilenceRecord.Columns.id.desc)
                .fetchAll(db)
                .map { try $0.makeSilence() }
        }
    }

    func removeSilence(_ id: SilenceID, by person: String, at time: Date) async throws -> Silence? {
        try await silenceAccess("remove silence \(id)") { db in
            guard var record = try SilenceRecord.fetchOne(db, key: id.rawValue) else { return nil }
            if record.removedAt == nil {
                record.removedAt = time
                record.removedBy = person
                try record.update(db)
            }
            return try record.makeSilence()
        }
    }

    /// Runs `body` in a write (or read) transaction, with failures as one-line `StorageError`s.
    private func silenceAccess<Value: Sendable>(
        _ what: String,
        write: Bool = true,
        _ body: @escaping @Sendable (Database) throws -> Value
    ) async throws(StorageError) -> Value {
        do {
            return write ? try await writer.write(body) : try await writer.read(body)
        } catch let error as StorageError {
            throw error
        } catch {
            let text =
                switch error {
                case let error as DatabaseError: error.message ?? "SQLite error \(error.resultCode.rawValue)"
                default: "\(error)"
                }
            let reason = "\(what): " + text.split(whereSeparator: \.isNewline).joined(separator: " ")
            throw write ? .writeFailed(reason: reason) : .readFailed(reason: reason)
        }
    }
}
