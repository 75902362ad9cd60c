import Foundation
import Shared
import Testing

@testable import Coordinator

/// The playbook's escalation matrix on a manual clock: who is paged at which minute, what an acknowledgement
/// and a severity change do, and SEV-4 waiting for business hours across a daylight-saving change.
@Suite struct EscalationPlanTests {
    private static let opened = Date(timeIntervalSince1970: 1_800_000_000)
    private static let berlin = BusinessHours(timeZone: TimeZone(identifier: "Europe/Berlin") ?? .gmt)

    private static func incident(_ severity: Severity, openedAt: Date = opened) -> Incident {
        Incident(
            id: IncidentID(1),
            kind: IncidentKind("high_error_rate"),
            service: "checkout",
            severity: severity,
            peakSeverity: severity,
            status: .investigating,
            title: "t",
            openedAt: openedAt,
            responseDueAt: openedAt.addingTimeInterval(severity.responseTime.timeInterval),
            affectedNodes: [],
            reopenCount: 0,
            peakBadness: 1,
            updatedAt: openedAt
        )
    }

    /// Runs the clock minute by minute and returns the minute each target was paged at.
    private func pages(
        _ incident: (Int) -> Incident,
        minutes: ClosedRange<Int> = 0...60
    ) -> [EscalationPolicy.Target: Int] {
        var plan = EscalationPlan(incidentID: IncidentID(1))
        var paged: [EscalationPolicy.Target: Int] = [:]
        for minute in minutes {
            let now = Self.opened.addingTimeInterval(TimeInterval(minute * 60))
            for due in plan.due(for: incident(minute), businessHours: Self.berlin, now: now) {
                #expect(paged[due.target] == nil, "\(due.target) paged twice")
                paged[due.target] = minute
                plan.markPaged(due.target)
            }
        }
        return paged
    }

    @Test func anUnacknowledgedSev1ClimbsToTheVPAtZeroFiveTenAndTwentyMinutes() {
        #expect(pages { _ in Self.incident(.sev1) } == [.primary: 0, .secondary: 5, .manager: 10, .vp: 20])
    }

    @Test func anAcknowledgementAtMinuteSevenStopsItBeforeTheManager() {
        let paged = pages { minute in
            var incident = Self.incident(.sev1)
            if minute >= 7 { incident.acknowledgedAt = Self.opened.addingTimeInterval(7 * 60) }
            return incident
        }
        #expect(paged == [.primary: 0, .secondary: 5])
    }

    @Test(arguments: [
        (Severity.sev2, [EscalationPolicy.Target.primary: 0, .secondary: 15, .manager: 30]),
        (Severity.sev3, [EscalationPolicy.Target.primary: 0, .secondary: 30]),
    ])
    func sev2AndSev3FollowTheirRowsOfTheMatrix(_ severity: Severity, _ expected: [EscalationPolicy.Target: Int]) {
        #expect(pages { _ in Self.incident(severity) } == expected)
    }

    @Test func aSeverityRaisedAtMinuteTwelveCatchesUpAtOnceAndPagesNobodyTwice() {
        let paged = pages { minute in Self.incident(minute < 12 ? .sev3 : .sev1) }
        #expect(paged == [.primary: 0, .secondary: 12, .manager: 12, .vp: 20])
    }

    @Test func aResolvedIncidentPagesNoOne() {
        #expect(
            pages { _ in
                var incident = Self.incident(.sev1)
                incident.status = .resolved
                return incident
            }.isEmpty
        )
    }

    @Test func sev4WaitsForBusinessHoursInTheTeamsTimeZoneAcrossADaylightSavingChange() throws {
        // Saturday 26 October 2024, 12:00 in Berlin (CEST, UTC+2); summer time ends on Sunday the 27th.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.berlin.timeZone
        let saturday = try #require(calendar.date(from: DateComponents(year: 2024, month: 10, day: 26, hour: 12)))
        let incident = Self.incident(.sev4, openedAt: saturday)
        let plan = EscalationPlan(incidentID: IncidentID(1))
        // Monday 09:00 in Berlin is 08:00 UTC once winter time applies, not 07:00.
        let monday = try #require(
            ISO8601DateFormatter().date(from: "2024-10-28T08:00:00Z")
        )
        #expect(plan.due(for: incident, businessHours: Self.berlin, now: monday.addingTimeInterval(-1)).isEmpty)
        let due = plan.due(for: incident, businessHours: Self.berlin, now: monday)
        #expect(due == [EscalationPlan.Due(target: .primary, dueAt: monday)])
    }

    @Test func sev4OpenedInBusinessHoursPagesAtOnce() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.berlin.timeZone
        let wednesday = try #require(
            calendar.date(from: DateComponents(year: 2024, month: 10, day: 23, hour: 10, minute: 30))
        )
        let plan = EscalationPlan(incidentID: IncidentID(1))
        #expect(
            plan.due(for: Self.incident(.sev4, openedAt: wednesday), businessHours: Self.berlin, now: wednesday).map(
                \.target
            ) == [.primary]
        )
        let evening = try #require(
            calendar.date(from: DateComponents(year: 2024, month: 10, day: 23, hour: 18, minute: 30))
        )
        let thursday = try #require(calendar.date(from: DateComponents(year: 2024, month: 10, day: 24, hour: 9)))
        let late = Self.incident(.sev4, openedAt: evening)
        #expect(plan.due(for: late, businessHours: Self.berlin, now: thursday.addingTimeInterval(-60)).isEmpty)
        #expect(plan.due(for: late, businessHours: Self.berlin, now: thursday).map(\.dueAt) == [thursday])
    }
}
