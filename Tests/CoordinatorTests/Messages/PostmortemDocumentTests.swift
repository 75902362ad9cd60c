import Foundation
import Shared
import Testing

@testable import Coordinator

/// The playbook's postmortem for the scripted incident, compared with golden files.
@Suite struct PostmortemDocumentTests {
    let detail = MessageFixtures.detail(of: MessageFixtures.resolvedIncident)
    let now = MessageFixtures.date("2025-02-01T09:00:00Z")

    @Test func draftOfAResolvedIncidentThatCrossesMidnight() throws {
        var settings = MessageSettings()
        settings.postmortemURL = "https://wiki.example.com/postmortems/{id}"
        settings.links = [
            MessageSettings.Link(label: "Dashboards", url: "https://grafana.example.com/d/checkout"),
            MessageSettings.Link(label: "Logs", url: "https://logs.example.com/checkout"),
        ]
        let document = try MessageRenderer(settings: settings).postmortem(
            for: detail,
            commands: MessageFixtures.commands,
            updates: MessageFixtures.updates,
            status: .draft,
            dueAt: MessageFixtures.date("2025-02-02T23:41:00Z"),
            now: now
        )
        GoldenFile.expect(document, matches: "postmortem.md")
    }

    @Test func anOpenIncidentWithoutCommandsOrPeopleLeavesPlaceholders() throws {
        var incident = MessageFixtures.openIncident
        incident.acknowledgedAt = nil
        incident.acknowledgedBy = nil
        incident.commander = nil
        let open = IncidentDetail(
            incident: incident,
            alerts: [],
            snapshots: [],
            timeline: Array(MessageFixtures.timeline.prefix(2))
        )
        let document = try MessageRenderer(settings: MessageSettings()).postmortem(
            for: open,
            commands: [],
            updates: [],
            status: .final,
            now: MessageFixtures.date("2025-01-31T23:50:00Z")
        )
        GoldenFile.expect(document, matches: "postmortem-open.md")
    }

    @Test func authorsArePeopleNotVigil() {
        let facts = PostmortemFacts(
            detail: detail,
            commands: MessageFixtures.commands,
            updates: MessageFixtures.updates,
            status: .draft,
            dueAt: nil,
            settings: MessageSettings(),
            readings: ReadingText(rules: DefaultRules.all),
            now: now
        )
        #expect(facts.authors == ["alice", "bob"])
    }

    @Test func aTimelineWithinOneDayShowsClockTimesOnly() throws {
        var settings = MessageSettings()
        // 23:41 UTC to 00:41 UTC is 00:41 to 01:41 in Berlin: one day there.
        settings.timeZone = try #require(TimeZone(identifier: "Europe/Berlin"))
        let document = try MessageRenderer(settings: settings).postmortem(
            for: detail,
            commands: MessageFixtures.commands,
            updates: MessageFixtures.updates,
            status: .draft,
            now: MessageFixtures.date("2025-02-01T00:50:00Z")
        )
        #expect(document.contains("Times are Europe/Berlin.\n- 00:41 – vigil: opened SEV-2"), "\(document)")
        #expect(document.contains("Date: 2025-02-01\n"))
    }
}
