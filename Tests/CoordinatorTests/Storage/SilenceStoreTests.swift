import Foundation
import GRDB
import Shared
import Testing

@testable import Coordinator

/// Silences in SQLite: a round trip, what counts as current, removal, and the schema's refusals.
@Suite struct SilenceStoreTests {
    private static let now = Date(timeIntervalSince1970: 1_800_000_000)

    private static func silence(
        _ id: String,
        node: String? = nil,
        service: String? = "api",
        startsIn: TimeInterval = 0,
        lasts: TimeInterval = 3_600
    ) -> Silence {
        Silence(
            id: SilenceID(id),
            node: node.flatMap { NodeID($0) },
            service: service,
            kind: nil,
            startsAt: now.addingTimeInterval(startsIn),
            endsAt: now.addingTimeInterval(startsIn + lasts),
            createdBy: "alice",
            reason: "deploy \"freeze\"",
            createdAt: now
        )
    }

    @Test func silencesRoundTripAndOnlyCurrentOnesLoadAtStart() async throws {
        let directory = try TemporaryDirectory()
        var window = Self.silence("sil-b", node: "web-1", service: nil, startsIn: 600)
        window.kind = IncidentKind("memory_leak")
        do {
            let database = try CoordinatorDatabase.open(directory: directory.path)
            try await database.save(Self.silence("sil-a"))
            try await database.save(window)
            try await database.save(Self.silence("sil-ended", startsIn: -7_200))
            try await database.save(Self.silence("sil-gone"))
            let removed = try await database.removeSilence(SilenceID("sil-gone"), by: "bob", at: Self.now)
            #expect(removed?.removedBy == "bob")
            #expect(removed?.state(at: Self.now) == .removed)
            // A second removal keeps the first.
            let again = try await database.removeSilence(SilenceID("sil-gone"), by: "carol", at: Self.now + 5)
            #expect(again?.removedBy == "bob")
            #expect(try await database.removeSilence(SilenceID("sil-none"), by: "bob", at: Self.now) == nil)
        }
        let reopened = try CoordinatorDatabase.open(directory: directory.path)
        let current = try await reopened.currentSilences(at: Self.now)
        #expect(current == [Self.silence("sil-a"), window])
        #expect(
            Set(try await reopened.allSilences().map(\.id.rawValue)) == ["sil-a", "sil-b", "sil-ended", "sil-gone"]
        )
    }

    @Test(arguments: [
        ("'sil-1', NULL, NULL, NULL, '2026-01-01 00:00:00', '2026-01-01 01:00:00', 'x'", "no matcher"),
        ("'sil-1', 'web-1', NULL, NULL, '2026-01-01 01:00:00', '2026-01-01 00:00:00', 'x'", "ends before it starts"),
        ("'sil-1', 'web-1', NULL, NULL, '2026-01-01 00:00:00', '2026-01-01 01:00:00', ''", "empty reason"),
    ])
    func schemaRefusesASilenceThatCannotHold(_ values: String, _ why: String) async throws {
        let directory = try TemporaryDirectory()
        let database = try CoordinatorDatabase.open(directory: directory.path)
        await #expect(throws: DatabaseError.self, "\(why)") {
            try await database.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO silence (id, node, service, kind, startsAt, endsAt, reason, createdBy, createdAt)
                        VALUES (\(values), 'alice', '2026-01-01 00:00:00')
                        """
                )
            }
        }
    }
}
