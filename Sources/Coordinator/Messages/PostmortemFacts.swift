import Foundation
import Shared

/// What a postmortem says about an incident, by the names its template uses (docs/MESSAGES.md lists them).
struct PostmortemFacts {
    var detail: IncidentDetail
    var commands: [CommandDetail]
    var updates: [StatusUpdate]
    var status: PostmortemStatus
    var dueAt: Date?
    var settings: MessageSettings
    var readings: ReadingText
    var now: Date

    private var incident: Incident { detail.incident }
    private var clock: MessageClock { MessageClock(timeZone: settings.timeZone) }

    /// Who did something people should hear from: Vigil itself and its remediation engine are not authors.
    static let machineActors: Set<String> = ["vigil", "remediation"]

    var values: [String: TemplateValue] {
        let finalUpdate = updates.max { $0.time < $1.time }
        var values = MessageFacts.identity(of: incident)
        values.merge([
            "date": .text(clock.day(incident.openedAt)),
            "postmortem_status": .text(status.description),
            "started_at": .text(clock.timestamp(incident.openedAt)),
            "duration": .text(MessageClock.duration((incident.resolvedAt ?? now).timeIntervalSince(incident.openedAt))),
            "impact": .text(MessageFacts.impact(of: incident)),
            "open_readings": .texts(readings.lines(.open, in: detail)),
            "peak_readings": .texts(readings.lines(.peak, in: detail)),
            "timeline": .list(timeline),
            "commands": .list(commandRecords),
            "status_updates": .list(updates.sorted { $0.time < $1.time }.map(record)),
            "links": .list(settings.links.map { .record(["label": .text($0.label), "url": .text($0.url)]) }),
            "war_room": .text(MessageFacts.warRoom(of: incident, settings: settings)),
            "status_page": .text(settings.statusPageURL),
            "postmortem_link": .text(settings.postmortemLink(for: incident.id) ?? "vigil postmortem \(incident.id)"),
            "time_zone": .text(clock.zoneName),
            "now": .text(clock.timestamp(now)),
        ]) { _, new in new }
        let optional: [String: String?] = [
            "authors": authors.isEmpty ? nil : authors.joined(separator: ", "),
            "due": dueAt.map(clock.day),
            "ended_at": incident.resolvedAt.map(clock.timestamp),
            "affected_nodes": incident.affectedNodes.isEmpty ? nil : ReadingText.list(incident.affectedNodes),
            "root_cause": incident.rootCause,
            "resolution": MessageFacts.resolution(of: incident, updates: updates),
            "resolved_by": incident.resolvedBy,
            "resolved_at": incident.resolvedAt.map(clock.timestamp),
            "final_update": finalUpdate.map { "\($0.message) (\($0.author), \(clock.timestamp($0.time)))" },
            "commander": incident.commander,
            "acknowledged_by": incident.acknowledgedBy,
        ]
        for case (let name, let text?) in optional where !text.isEmpty { values[name] = .text(text) }
        return values
    }

    /// The commander, whoever acknowledged, then everyone else who acted (timeline, commands, updates), once each.
    var authors: [String] {
        var names = [incident.commander, incident.acknowledgedBy].compactMap(\.self)
        names += detail.timeline.sorted { $0.time < $1.time }.map(\.actor)
        names += commands.map(\.command.issuer)
        names += updates.map(\.author)
        var seen: Set<String> = []
        return names.filter { !$0.isEmpty && !Self.machineActors.contains($0) && seen.insert($0).inserted }
    }

    /// `23:58`, or `2025-01-31 23:58` on every line once the incident runs past midnight, so no time is ambiguous.
    private func time(_ date: Date) -> String {
        spansDays ? "\(clock.day(date)) \(clock.clock(date))" : clock.clock(date)
    }

    private var spansDays: Bool {
        let times = detail.timeline.map(\.time) + commands.flatMap(commandTimes) + [incident.resolvedAt ?? now]
        return times.contains { clock.crossesMidnight(from: incident.openedAt, to: $0) }
    }

    private func commandTimes(_ detail: CommandDetail) -> [Date] {
        [detail.command.issuedAt] + [detail.command.result?.finishedAt].compactMap(\.self)
    }

    private var timeline: [TemplateValue] {
        detail.timeline.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map {
            let event = $0.element
            return .record([
                "time": .text(time(event.time)),
                "actor": .text(event.actor),
                "message": .text(event.message),
                "event": .text(event.kind.rawValue),
            ])
        }
    }

    private var commandRecords: [TemplateValue] {
        commands.map(\.command).sorted { $0.issuedAt < $1.issuedAt }.map { command in
            var fields: [String: TemplateValue] = [
                "issued_at": .text(time(command.issuedAt)),
                "action": .text(command.action.rawValue),
                "node": .text(command.node.rawValue),
                "parameters": .text(command.parameterText),
                "issued_by": .text(command.issuer),
                "outcome": .text(command.outcomeText),
                "is_dry_run": .flag(command.isDryRun),
            ]
            if let finished = command.result?.finishedAt { fields["finished_at"] = .text(time(finished)) }
            return .record(fields)
        }
    }

    private func record(_ update: StatusUpdate) -> TemplateValue {
        var fields: [String: TemplateValue] = [
            "time": .text(time(update.time)),
            "status": .text(update.status.description),
            "author": .text(update.author),
            "message": .text(update.message),
            "actions_taken": .texts(update.actionsTaken),
            "next_steps": .texts(update.nextSteps),
        ]
        if let eta = update.eta, !eta.isEmpty { fields["eta"] = .text(eta) }
        return .record(fields)
    }
}
