import Foundation
import GRDB
import Shared

extension CoordinatorDatabase: SilenceStore {
    func save(_ silence: Silence) async throws {
        let record = SilenceRecord(silence)
        try await writing("save silence \(silence.id)") { db in try record.upsert(db) }
    }

    func currentSilences(at now: Date) async throws -> [Silence] {
        try await reading("current silences") { db in
            try SilenceRecord.all().current(at: now)
                .order(SilenceRecord.Columns.startsAt, SilenceRecord.Columns.id)
                .fetchAll(db)
                .map { try $0.makeSilence() }
        }
    }

    func allSilences() async throws -> [Silence] {
        try await reading("silences") { db in
            try SilenceRecord.all()
                .order(SilenceRecord.Columns.createdAt.desc, SilenceRecord.Columns.id.desc)
                .fetchAll(db)
                .map { try $0.makeSilence() }
        }
    }

    func removeSilence(_ id: SilenceID, by person: String, at time: Date) async throws -> Silence? {
        try await writing("remove silence \(id)") { db in
            guard var record = try SilenceRecord.fetchOne(db, key: id.rawValue) else { return nil }
            if record.removedAt == nil {
                record.removedAt = time
                record.removedBy = person
                try record.update(db)
            }
            return try record.makeSilence()
        }
    }
}
