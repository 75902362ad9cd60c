import ArgumentParser
import Foundation
import Shared
import Testing

@testable import Coordinator

/// The incident commands' arguments, and what their views print, without a process or a server.
@Suite struct IncidentCommandTests {
    // MARK: - Parsing

    @Test func listFiltersAreParsed() throws {
        let command = try CoordinatorCommand.parseAsRoot([
            "incidents", "--status", "open", "--severity", "SEV-1,sev2", "--since", "24h", "--limit", "20", "--output",
            "json",
        ])
        let incidents = try #require(command as? IncidentsCommand)
        #expect(incidents.status == "open")
        #expect(incidents.severity == "SEV-1,sev2")
        #expect(incidents.since == "24h")
        #expect(incidents.limit == "20")
        #expect(incidents.client.output == .json)
    }

    @Test func showTakesAnIdWithOrWithoutHash() throws {
        for text in ["12", "#12"] {
            let command = try CoordinatorCommand.parseAsRoot(["incident", "show", text])
            let show = try #require(command as? IncidentShowCommand)
            #expect(try IncidentID.argument(show.id) == IncidentID(12))
        }
    }

    @Test func changeCommandsAreParsed() throws {
        let ack = try #require(try CoordinatorCommand.parseAsRoot(["ack", "#7", "--by", "alice"]) as? AckCommand)
        #expect(ack.id == "#7")
        #expect(try ack.identity.person(environment: ["VIGIL_USER": "someone-else"]) == "alice")

        let status = try #require(
            try CoordinatorCommand.parseAsRoot(["status", "7", "identified", "--note", "bad deploy"]) as? StatusCommand
        )
        #expect(status.status == "identified")
        #expect(status.note == "bad deploy")

        let resolve = try #require(
            try CoordinatorCommand.parseAsRoot(["resolve", "7", "--root-cause", "the 14:00 deploy", "--force"])
                as? ResolveCommand
        )
        #expect(resolve.rootCause == "the 14:00 deploy")
        #expect(resolve.force)
        let plainResolve = try #require(try CoordinatorCommand.parseAsRoot(["resolve", "7"]) as? ResolveCommand)
        #expect(!plainResolve.force)

        let note = try #require(try CoordinatorCommand.parseAsRoot(["note", "7", "rolled back"]) as? NoteCommand)
        #expect(note.text == "rolled back")

        let commander = try #require(
            try CoordinatorCommand.parseAsRoot(["commander", "7", "carol", "--by", "bob"]) as? CommanderCommand
        )
        #expect(commander.commander == "carol")

        let stats = try #require(try CoordinatorCommand.parseAsRoot(["stats", "--since", "30d"]) as? StatsCommand)
        #expect(stats.since == "30d")
    }

    @Test func byFallsBackToTheEnvironmentThenOperator() throws {
        let options = try ActorOptions.parse([])
        #expect(try options.person(environment: ["VIGIL_USER": "alice", "USER": "root"]) == "alice")
        #expect(try options.person(environment: ["VIGIL_USER": " ", "USER": "bob"]) == "bob")
        #expect(try options.person(environment: ["USER": "bob"]) == "bob")
        #expect(try options.person(environment: [:]) == "operator")
        #expect(throws: ValidationError.self) {
            try options.person(environment: ["VIGIL_USER": String(repeating: "x", count: 101)])
        }
    }

    @Test(arguments: [
        (["ack", "abc"], "invalid incident id \"abc\": use a number such as 12 or #12"),
        (["ack", "0"], "invalid incident id \"0\""),
        (["incident", "show", "#x"], "invalid incident id \"#x\""),
        (["resolve", "1.5"], "invalid incident id \"1.5\""),
        (
            ["status", "12", "done"],
            "invalid status \"done\": use one of INVESTIGATING, IDENTIFIED, MONITORING, RESOLVED"
        ),
        (["incidents", "--status", "open,closed"], "invalid --status \"closed\""),
        (["incidents", "--severity", "SEV-9"], "invalid --severity \"SEV-9\": use SEV-1 to SEV-4"),
        (["incidents", "--since", "yesterday"], "invalid --since \"yesterday\": use an ISO 8601 time"),
        (["incidents", "--limit", "0"], "invalid --limit \"0\": use a whole number from 1 to 1000"),
        (["stats", "--since", "5x"], "invalid --since \"5x\""),
        (["ack", "12", "--by", " "], "--by must not be empty"),
        (["note", "12", ""], "the note must not be empty"),
        (["commander", "12", ""], "the commander must not be empty"),
        (["resolve", "12", "--root-cause", String(repeating: "x", count: 4_001)], "--root-cause must be at most 4000"),
    ])
    func badArgumentsAreUsageErrorsNamingThem(_ arguments: [String], _ expected: String) async {
        let error = #expect(throws: (any Error).self) { try CoordinatorCommand.parseAsRoot(arguments) }
        let message = error.map { CoordinatorCommand.message(for: $0) } ?? ""
        #expect(message.hasPrefix(expected), "got \(message)")
        #expect(await CoordinatorCommand.runMain(arguments: arguments) == 2)
    }

    @Test(arguments: [["ack"], ["status", "12"], ["note", "12"], ["commander", "12"], ["incident", "show"]])
    func missingArgumentsAreUsageErrors(_ arguments: [String]) async {
        #expect(await CoordinatorCommand.runMain(arguments: arguments) == 2)
    }

    // MARK: - Views

    private let now = IncidentFixtures.opened.addingTimeInterval(7_200 + 600)

    @Test func listTableShowsOneAlignedLinePerIncidentWithWhoIsOnIt() throws {
        var text = ""
        try IncidentListView(incidents: IncidentFixtures.incidents).write(as: .table, to: &text, now: now)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("ID  SEV    STATUS         KIND             SERVICE   OPENED   ACK      TITLE"))
        #expect(
            lines[1].hasPrefix("#3  SEV-1  INVESTIGATING  high_error_rate  checkout  10m ago  OVERDUE  Error ratio")
        )
        #expect(
            lines[2].hasPrefix("#2  SEV-2  MONITORING     high_error_rate  checkout  1h ago   alice    Error ratio")
        )
        #expect(lines[3].hasPrefix("#1  SEV-3  RESOLVED       high_error_rate  checkout  2h ago   bob"))
    }

    @Test func anOpenUnacknowledgedIncidentWithinItsResponseTimeIsNotOverdue() {
        let incident = IncidentFixtures.incident(5, severity: .sev2)
        #expect(IncidentListView.acknowledgement(of: incident, now: incident.openedAt.addingTimeInterval(899)) == "-")
        #expect(
            IncidentListView.acknowledgement(of: incident, now: incident.openedAt.addingTimeInterval(901)) == "OVERDUE"
        )
        let resolved = IncidentFixtures.resolved(IncidentFixtures.incident(6))
        #expect(IncidentListView.acknowledgement(of: resolved, now: resolved.openedAt.addingTimeInterval(9_999)) == "-")
    }

    @Test func anEmptyListSaysSo() throws {
        var text = ""
        try IncidentListView(incidents: []).write(as: .table, to: &text)
        #expect(text == "no incidents\n")
    }

    @Test func detailShowsWhatAnOperatorNeeds() throws {
        var incident = IncidentFixtures.resolved(IncidentFixtures.incidents[1])
        incident.commander = "carol"
        var text = ""
        try IncidentDetailView(detail: IncidentFixtures.detail(of: incident)).write(as: .table, to: &text, now: now)
        for expected in [
            "incident:      #2  Error ratio 12% above 5% on checkout",
            "severity:      SEV-2",
            "status:        RESOLVED",
            "kind:          high_error_rate",
            "service:       checkout",
            "opened:        2025-06-15 16:06:40Z (1h ago)",
            "response due:  2025-06-15 16:21:40Z\n",
            "acknowledged:  alice at 2025-06-15 16:10:52Z",
            "commander:     carol",
            "nodes:         web-1, web-2",
            "resolved:      2025-06-15 17:08:45Z (",
            "root cause:    a bad deploy",
            "MTTA:          4m12s",
            "MTTR:          1h02m",
            "\nALERTS\nKEY",
            "error_ratio_critical@checkout{route=\"/pay\"}  firing  SEV-2  0.1234  0.05",
            "\nSNAPSHOTS\nMOMENT",
            "0.1234 > 0.05",
            "0.31 > 0.05",
            "\nTIMELINE\nTIME",
            "2025-06-15 16:06:40Z  vigil  opened",
            "alice  note    rolling back the 14:00 deploy",
        ] {
            #expect(text.contains(expected), "missing \(expected.debugDescription) in:\n\(text)")
        }
    }

    @Test func detailOfAnOverdueIncidentSaysBy() throws {
        var text = ""
        let incident = IncidentFixtures.incidents[0]
        try IncidentDetailView(detail: IncidentFixtures.detail(of: incident)).write(as: .table, to: &text, now: now)
        #expect(text.contains("acknowledged:  no\n"))
        #expect(text.contains("(OVERDUE by 5m00s)"))
        #expect(text.contains("commander:     -"))
        #expect(!text.contains("MTTA"))
    }

    @Test func detailShowsThePostmortemDraftAndWhenItIsOverdue() throws {
        let incident = IncidentFixtures.resolved(IncidentFixtures.incident(4, severity: .sev1))
        var detail = IncidentFixtures.detail(of: incident)
        let due = now.addingTimeInterval(3_600)
        detail.postmortem = PostmortemDraft(incidentID: incident.id, status: .draft, createdAt: now, dueAt: due)
        var text = ""
        try IncidentDetailView(detail: detail).write(as: .table, to: &text, now: now)
        #expect(text.contains("postmortem:    draft, due \(DisplayText.timestamp(due)) (vigil postmortem 4)\n"), "\(text)")
        var late = ""
        try IncidentDetailView(detail: detail).write(as: .table, to: &late, now: due.addingTimeInterval(1))
        #expect(late.contains(", OVERDUE (vigil postmortem 4)"))
        detail.postmortem?.status = .final
        var reviewed = ""
        try IncidentDetailView(detail: detail).write(as: .table, to: &reviewed, now: due.addingTimeInterval(1))
        #expect(reviewed.contains("postmortem:    final, due") && !reviewed.contains("OVERDUE"), "a final one is never overdue")
        var none = ""
        try IncidentDetailView(detail: IncidentFixtures.detail(of: incident)).write(as: .table, to: &none, now: now)
        #expect(!none.contains("postmortem:"))
    }

    @Test func statisticsShowMeanTimesAsDurationsMostSevereFirst() throws {
        var text = ""
        try IncidentStatisticsView(severities: IncidentFixtures.statistics).write(as: .table, to: &text)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "SEV    INCIDENTS  ACKED  RESOLVED  MTTA   MTTR",
                "SEV-1  1          0      0         -      -",
                "SEV-2  4          3      2         4m12s  1h02m",
            ]
        )
        var empty = ""
        try IncidentStatisticsView(severities: []).write(as: .table, to: &empty)
        #expect(empty == "no incidents\n")
    }

    @Test func changesSayWhatHappenedAboveTheIncidentsLine() throws {
        var text = ""
        let incident = IncidentFixtures.incidents[1]
        try IncidentChangeView(incident: incident, summary: "#2 acknowledged by alice").write(
            as: .table,
            to: &text,
            now: now
        )
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0] == "#2 acknowledged by alice")
        #expect(lines[2].hasPrefix("#2  SEV-2  MONITORING"))
    }

    @Test func jsonIsTheAPIsShapeAndReadsBack() throws {
        let detail = IncidentFixtures.detail(of: IncidentFixtures.incidents[0])
        var detailText = ""
        try IncidentDetailView(detail: detail).write(as: .json, to: &detailText)
        #expect(detailText.contains("\"response_due_at\" : \"2025-06-15T17:11:40.000Z\""))
        #expect(try APIJSON.makeDecoder().decode(IncidentDetail.self, from: Data(detailText.utf8)) == detail)

        var listText = ""
        try IncidentListView(incidents: IncidentFixtures.incidents).write(as: .json, to: &listText)
        let list = try APIJSON.makeDecoder().decode(IncidentRoutes.IncidentList.self, from: Data(listText.utf8))
        #expect(list.incidents == IncidentFixtures.incidents)

        var statisticsText = ""
        try IncidentStatisticsView(severities: IncidentFixtures.statistics).write(as: .json, to: &statisticsText)
        #expect(statisticsText.contains("\"mean_time_to_acknowledge_seconds\" : 252"))
        let statistics = try APIJSON.makeDecoder().decode(
            IncidentRoutes.StatisticsList.self,
            from: Data(statisticsText.utf8)
        )
        #expect(statistics.severities == IncidentFixtures.statistics)

        var changeText = ""
        try IncidentChangeView(incident: detail.incident, summary: "ignored").write(as: .json, to: &changeText)
        #expect(!changeText.contains("ignored"))
        #expect(try APIJSON.makeDecoder().decode(Incident.self, from: Data(changeText.utf8)) == detail.incident)
    }

    @Test func apiJSONKeepsIDsAndLeavesLabelKeysAlone() throws {
        var alert = IncidentFixtures.detail(of: IncidentFixtures.incidents[0]).alerts[0]
        alert.key.group = ["status_code": "5xx", "node_id": "web-1"]
        let data = try APIJSON.makeEncoder().encode(alert)
        #expect(String(decoding: data, as: UTF8.self).contains("\"incident_id\":3"))
        #expect(try APIJSON.makeDecoder().decode(Alert.self, from: data) == alert)
    }

    @Test(arguments: [
        (0.0, "0s"),
        (42.4, "42s"),
        (252, "4m12s"),
        (3_600, "1h00m"),
        (3_725, "1h02m"),
        (90_061, "1d01h"),
    ])
    func durationsReadLikeAPersonWouldSayThem(_ seconds: Double, _ expected: String) {
        #expect(DisplayText.duration(seconds: seconds) == expected)
    }

    @Test func tableCellsCannotBreakLinesOrReachTheTerminal() {
        let table = TextTable(rows: [["A", "B"], ["x\ny", "\u{1B}[31mred\tz"]])
        #expect(table.rendered == "A    B\nx y  [31mred z\n")
    }
}
