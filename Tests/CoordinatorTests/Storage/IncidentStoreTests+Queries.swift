import Foundation
import Shared
import Testing

@testable import Coordinator

/// What operators read: filtered lists and the response report.
extension IncidentStoreTests {
    @Test func listsIncidentsNewestFirstWithFiltersAndLimit() async throws {
        let directory = try TemporaryDirectory()
        let store = try CoordinatorDatabase.open(directory: directory.path)
        try await store.apply(
            [
                Self.makeIncident(1, status: .investigating, severity: .sev1, openedAt: 0),
                Self.makeIncident(2, status: .resolved, severity: .sev2, openedAt: 100),
                // Opened in the same millisecond as #2: the higher id is the newer.
                Self.makeIncident(3, status: .monitoring, severity: .sev3, openedAt: 100),
                Self.makeIncident(4, status: .identified, severity: .sev2, openedAt: 200),
            ].map(IncidentChange.saveIncident)
        )

        func ids(_ query: IncidentQuery) async throws -> [Int64] {
            try await store.incidents(matching: query).map(\.id.rawValue)
        }
        #expect(try await ids(IncidentQuery()) == [4, 3, 2, 1])
        #expect(try await ids(IncidentQuery(statuses: [.resolved, .monitoring])) == [3, 2])
        #expect(try await ids(IncidentQuery(severities: [.sev2])) == [4, 2])
        #expect(try await ids(IncidentQuery(openedSince: Self.at(100))) == [4, 3, 2])
        #expect(try await ids(IncidentQuery(limit: 2)) == [4, 3])
        #expect(try await ids(IncidentQuery(statuses: [.investigating, .identified], severities: [.sev1])) == [1])
        #expect(try await ids(IncidentQuery(statuses: [.resolved], openedSince: Self.at(150))).isEmpty)
        #expect(try await ids(IncidentQuery(limit: 0)).isEmpty)
        #expect(try await ids(IncidentQuery(limit: -1)).isEmpty)
        let newest = try await store.incidents(matching: IncidentQuery(limit: 1))
        #expect(newest == [Self.makeIncident(4, status: .identified, severity: .sev2, openedAt: 200)])
    }

    @Test func statisticsPerSeverityWithMeanTimesToTheMillisecond() async throws {
        let directory = try TemporaryDirectory()
        let store = try CoordinatorDatabase.open(directory: directory.path)
        try await store.apply(
            [
                // SEV-1: acknowledged after 90.5 s and 30 s; one resolved after 600.25 s.
                incident(1, .sev1, openedAt: 0, acknowledgedAfter: 90.5, resolvedAfter: 600.25),
                incident(2, .sev1, openedAt: 100, acknowledgedAfter: 30),
                // SEV-3: never acknowledged, resolved by vigil after 1800.125 s and 3600.375 s.
                incident(3, .sev3, openedAt: 200, resolvedAfter: 1800.125),
                incident(4, .sev3, openedAt: 300, resolvedAfter: 3600.375),
                // SEV-4: acknowledged after 1, 1 and 2 s: a mean with no exact binary value. Reopened, so its
                // old resolution does not count.
                incident(5, .sev4, openedAt: 400, acknowledgedAfter: 1),
                incident(6, .sev4, openedAt: 500, acknowledgedAfter: 1),
                incident(7, .sev4, openedAt: 600, acknowledgedAfter: 2, resolvedAfter: 10, status: .investigating),
            ].map(IncidentChange.saveIncident)
        )

        let all = try await store.statistics(since: nil)
        #expect(all.map(\.severity) == [.sev1, .sev3, .sev4])
        #expect(
            all.first
                == SeverityStatistics(
                    severity: .sev1,
                    incidents: 2,
                    acknowledged: 2,
                    resolved: 1,
                    meanTimeToAcknowledgeSeconds: 60.25,
                    meanTimeToResolveSeconds: 600.25
                )
        )
        #expect(
            all.dropFirst().first
                == SeverityStatistics(
                    severity: .sev3,
                    incidents: 2,
                    acknowledged: 0,
                    resolved: 2,
                    meanTimeToAcknowledgeSeconds: nil,
                    meanTimeToResolveSeconds: 2700.25
                )
        )
        let sev4 = try #require(all.last)
        #expect(sev4.incidents == 3 && sev4.acknowledged == 3 && sev4.resolved == 0)
        #expect(abs(try #require(sev4.meanTimeToAcknowledgeSeconds) - 4.0 / 3.0) < 1e-9)
        #expect(sev4.meanTimeToResolveSeconds == nil)

        let recent = try await store.statistics(since: Self.at(300))
        #expect(recent.map(\.severity) == [.sev3, .sev4])
        #expect(recent.first?.incidents == 1)
        #expect(recent.first?.meanTimeToResolveSeconds == 3600.375)
        #expect(try await store.statistics(since: Self.at(601)).isEmpty)
    }

    private func incident(
        _ id: Int64,
        _ severity: Severity,
        openedAt opened: Double,
        acknowledgedAfter acknowledged: Double? = nil,
        resolvedAfter resolved: Double? = nil,
        status: IncidentStatus? = nil
    ) -> Incident {
        var incident = Self.makeIncident(id, severity: severity, openedAt: opened)
        if let acknowledged {
            incident.acknowledgedAt = Self.at(opened + acknowledged)
            incident.acknowledgedBy = "Zoë"
        }
        if let resolved {
            incident.resolvedAt = Self.at(opened + resolved)
            incident.status = .resolved
        }
        incident.status = status ?? incident.status
        return incident
    }
}
