import Foundation
import Shared

@testable import Coordinator

/// One scripted incident for the message and postmortem tests: checkout's error ratio, opened at 23:41 UTC on
/// 31 January 2025, raised to SEV-1, one failed and one successful command, two status updates, resolved at 00:41.
enum MessageFixtures {
    static let opened = date("2025-01-31T23:41:00Z")
    static let web1 = node("web-1")
    static let web2 = node("web-2")
    static let id = IncidentID(42)

    static func date(_ text: String) -> Date {
        guard let date = ISO8601DateFormatter().date(from: text) else {
            preconditionFailure("fixture date \(text) is not ISO 8601")
        }
        return date
    }

    static func node(_ name: String) -> NodeID {
        guard let node = NodeID(name) else { preconditionFailure("fixture node \(name) is not a node id") }
        return node
    }

    /// The incident at 23:56: identified, acknowledged by alice, who leads it.
    static var openIncident: Incident {
        Incident(
            id: id,
            kind: IncidentKind("high_error_rate"),
            service: "checkout",
            severity: .sev1,
            peakSeverity: .sev1,
            status: .identified,
            title: "Error ratio 12% in checkout (over 5%)",
            openedAt: opened,
            responseDueAt: opened.addingTimeInterval(300),
            acknowledgedAt: date("2025-01-31T23:44:10Z"),
            acknowledgedBy: "alice",
            commander: "alice",
            affectedNodes: [web1, web2],
            quietSince: nil,
            resolvedAt: nil,
            resolvedBy: nil,
            rootCause: nil,
            reopenCount: 0,
            peakBadness: 6.2,
            updatedAt: date("2025-01-31T23:56:00Z")
        )
    }

    static var resolvedIncident: Incident {
        var incident = openIncident
        incident.status = .resolved
        incident.resolvedAt = date("2025-02-01T00:41:30Z")
        incident.resolvedBy = "alice"
        incident.rootCause = "Release 2025.01.31-3 halved the payment client's connection pool"
        incident.updatedAt = date("2025-02-01T00:41:30Z")
        return incident
    }

    static func detail(of incident: Incident) -> IncidentDetail {
        IncidentDetail(
            incident: incident,
            alerts: [],
            snapshots: [
                snapshot(.open, at: opened, ratio: 0.123, nodes: [web1, web2]),
                snapshot(.peak, at: date("2025-01-31T23:50:00Z"), ratio: 0.31, nodes: [web1, web2]),
            ],
            timeline: timeline.filter { incident.status == .resolved || $0.time < date("2025-01-31T23:56:00Z") }
        )
    }

    private static func snapshot(
        _ moment: IncidentSnapshot.Moment,
        at time: Date,
        ratio: Double,
        nodes: [NodeID]
    ) -> IncidentSnapshot {
        IncidentSnapshot(
            incidentID: id,
            moment: moment,
            takenAt: time,
            readings: [
                IncidentSnapshot.Reading(
                    alert: "error_ratio_critical@checkout",
                    rule: RuleName("error_ratio_critical"),
                    severity: .sev1,
                    value: ratio,
                    comparison: ">",
                    threshold: 0.05,
                    nodes: nodes
                )
            ]
        )
    }

    static let timeline: [TimelineEvent] = [
        event("2025-01-31T23:41:00Z", .opened, "vigil", "opened SEV-2: Error ratio 3% in checkout (over 1%)"),
        event("2025-01-31T23:41:00Z", .alertFiring, "vigil", "error_ratio_high@checkout firing"),
        event("2025-01-31T23:44:10Z", .acknowledged, "alice", "acknowledged"),
        event("2025-01-31T23:44:40Z", .commanderAssigned, "alice", "alice is incident commander"),
        event("2025-01-31T23:46:00Z", .severityRaised, "vigil", "severity raised to SEV-1: error ratio 12%"),
        event("2025-01-31T23:52:00Z", .commandIssued, "remediation", "restart_service on web-1 (service=checkout)"),
        event("2025-01-31T23:53:05Z", .commandFinished, "vigil", "restart_service on web-1: failed (exit 1)"),
        event("2025-01-31T23:55:00Z", .statusChanged, "alice", "status IDENTIFIED"),
        event("2025-02-01T00:05:00Z", .commandIssued, "bob", "run_script on web-2 (script=rollback)"),
        event("2025-02-01T00:06:10Z", .commandFinished, "vigil", "run_script on web-2: succeeded (exit 0)"),
        event("2025-02-01T00:20:00Z", .statusChanged, "alice", "status MONITORING"),
        event("2025-02-01T00:39:00Z", .alertResolved, "vigil", "error_ratio_critical@checkout resolved"),
        event("2025-02-01T00:41:30Z", .statusChanged, "alice", "status RESOLVED: rollback holds"),
    ]

    private static func event(
        _ time: String,
        _ kind: TimelineEvent.Kind,
        _ actor: String,
        _ message: String
    )
        -> TimelineEvent
    {
        TimelineEvent(incidentID: id, time: date(time), kind: kind, actor: actor, message: message)
    }

    static let updates: [StatusUpdate] = [
        StatusUpdate(
            time: date("2025-02-01T00:20:00Z"),
            status: .monitoring,
            message: "Release 2025.01.31-3 rolled back on web-2; error ratio back under 1%",
            actionsTaken: ["Restarted checkout on web-1 (failed)", "Rolled back release 2025.01.31-3 on web-2"],
            nextSteps: ["Watch the error ratio for 20 minutes", "Roll back web-1"],
            eta: "00:45 UTC",
            author: "alice"
        ),
        StatusUpdate(
            time: date("2025-01-31T23:55:00Z"),
            status: .identified,
            message: "About 12% of checkout requests fail since release 2025.01.31-3",
            actionsTaken: ["Restarted checkout on web-1"],
            nextSteps: ["Roll back release 2025.01.31-3"],
            eta: nil,
            author: "alice"
        ),
    ]

    static var commands: [CommandDetail] {
        [
            command(
                "cmd-2",
                node: web2,
                action: .runScript,
                parameters: ["script": "rollback", "args": "2025.01.31-2"],
                issuer: "bob",
                issued: "2025-02-01T00:05:00Z",
                result: (.succeeded, 0, "rolled back to 2025.01.31-2\n", "2025-02-01T00:05:02Z", "2025-02-01T00:06:10Z")
            ),
            command(
                "cmd-1",
                node: web1,
                action: .restartService,
                parameters: ["service": "checkout"],
                issuer: "remediation",
                issued: "2025-01-31T23:52:00Z",
                result: (
                    .failed, 1, "checkout.service: start request repeated too quickly\n", "2025-01-31T23:52:01Z",
                    "2025-01-31T23:53:05Z"
                )
            ),
        ]
    }

    private static func command(
        _ id: String,
        node: NodeID,
        action: ActionName,
        parameters: [String: String],
        issuer: String,
        issued: String,
        result: (CommandResult.Outcome, Int32, String, String, String)
    ) -> CommandDetail {
        let issuedAt = date(issued)
        let command = RemediationCommand(
            id: CommandID(id),
            incidentID: MessageFixtures.id,
            node: node,
            action: action,
            parameters: parameters,
            isDryRun: false,
            issuer: issuer,
            nodeSequence: 1,
            issuedAt: issuedAt,
            expiresAt: issuedAt.addingTimeInterval(300),
            state: .finished,
            attempts: 1,
            lastSentAt: issuedAt,
            result: RemediationCommand.Result(
                outcome: result.0,
                exitCode: result.1,
                outputTail: result.2,
                startedAt: date(result.3),
                finishedAt: date(result.4),
                detail: "",
                receivedAt: date(result.4)
            )
        )
        return CommandDetail(command: command, audit: [])
    }
}
