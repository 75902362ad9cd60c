import Foundation
import Shared

/// What a message says about an incident, by the names templates use (docs/MESSAGES.md lists them): built from
/// the incident, its status updates, the settings and `now`. Facts that are not known yet, such as the root cause,
/// are left out so that a template can say so with an inverted section.
struct MessageFacts {
    var detail: IncidentDetail
    /// In any order; the latest is the one a status update reports.
    var updates: [StatusUpdate]
    var recipient: PageRecipient?
    var settings: MessageSettings
    var readings: ReadingText
    var now: Date

    private var incident: Incident { detail.incident }
    private var clock: MessageClock { MessageClock(timeZone: settings.timeZone) }
    private var latestUpdate: StatusUpdate? { updates.max { $0.time < $1.time } }

    /// The values a template of `kind` may name.
    func values(for kind: MessageKind) -> [String: TemplateValue] {
        var values = common()
        if kind == .page, let recipient { values.merge(page(recipient)) { _, new in new } }
        return values
    }

    private func common() -> [String: TemplateValue] {
        let open = readings.lines(.open, in: detail)
        let peak = readings.lines(.peak, in: detail)
        let metrics = peak.isEmpty ? open : peak
        var values = Self.identity(of: incident)
        values.merge([
            "status": .text(incident.status.description),
            "impact": .text(Self.impact(of: incident)),
            "customer_impact": .text(Self.customerImpact(of: incident)),
            "war_room": .text(Self.warRoom(of: incident, settings: settings)),
            "status_page": .text(settings.statusPageURL),
            "started_at": .text(clock.timestamp(incident.openedAt)),
            "duration": .text(MessageClock.duration((incident.resolvedAt ?? now).timeIntervalSince(incident.openedAt))),
            "response_due": .text(clock.timestamp(incident.responseDueAt)),
            "open_readings": .texts(open),
            "peak_readings": .texts(peak),
            "update_time": .text(clock.timestamp(latestUpdate?.time ?? now)),
            "update_status": .text((latestUpdate?.status ?? incident.status).description),
            "current_impact": .text(latestUpdate?.message ?? Self.impact(of: incident)),
            "actions_taken": .texts(latestUpdate?.actionsTaken ?? []),
            "next_steps": .texts(latestUpdate?.nextSteps ?? []),
            "postmortem_link": .text(settings.postmortemLink(for: incident.id) ?? "vigil postmortem \(incident.id)"),
            "ack_command": .text("vigil ack \(incident.id)"),
            "now": .text(clock.timestamp(now)),
        ]) { _, new in new }
        let optional: [String: String?] = [
            "affected_nodes": incident.affectedNodes.isEmpty ? nil : ReadingText.list(incident.affectedNodes),
            "commander": incident.commander,
            "acknowledged_by": incident.acknowledgedBy,
            "acknowledged_at": incident.acknowledgedAt.map(clock.timestamp),
            "ended_at": incident.resolvedAt.map(clock.timestamp),
            "next_update": incident.status.isOpen ? clock.timestamp(nextUpdate) : nil,
            "root_cause": incident.rootCause,
            "resolution": Self.resolution(of: incident, updates: updates),
            "resolved_by": incident.resolvedBy,
            "impact_metrics": metrics.isEmpty ? nil : metrics.joined(separator: "; "),
            "update_author": latestUpdate?.author,
            "eta": latestUpdate?.eta,
        ]
        for case (let name, let text?) in optional where !text.isEmpty { values[name] = .text(text) }
        return values
    }

    /// What names the incident, in messages and the postmortem alike.
    static func identity(of incident: Incident) -> [String: TemplateValue] {
        [
            "incident_id": .text(incident.id.description),
            "incident_kind": .text(incident.kind.rawValue),
            "title": .text(incident.title),
            "severity": .text(incident.severity.description),
            "peak_severity": .text(incident.peakSeverity.description),
            "service": .text(incident.service),
        ]
    }

    private func page(_ recipient: PageRecipient) -> [String: TemplateValue] {
        var values: [String: TemplateValue] = [
            "paged_person": .text(recipient.person),
            "paged_role": .text(recipient.target.description),
        ]
        let steps = EscalationPolicy.playbook[incident.severity]?.steps ?? []
        if let index = steps.firstIndex(where: { $0.target == recipient.target }) {
            values["paged_step"] = .text("\(index + 1) of \(steps.count)")
        }
        return values
    }

    /// When the next update is promised: the update interval after the latest update, or after opening.
    private var nextUpdate: Date {
        let interval = settings.updateInterval(for: incident.severity).timeInterval
        let last = max(latestUpdate?.time ?? incident.openedAt, incident.openedAt)
        var next = last.addingTimeInterval(interval)
        // An overdue update is promised from now rather than in the past.
        if next < now { next = now.addingTimeInterval(interval) }
        return next
    }

    // MARK: - Shared with the postmortem

    /// The incident's title and where: `Error ratio 12% in checkout (over 5%) on web-1, web-2`.
    static func impact(of incident: Incident) -> String {
        incident.affectedNodes.isEmpty
            ? incident.title : "\(incident.title) on \(ReadingText.list(incident.affectedNodes))"
    }

    /// `#incident-20250131-2358-42`: the playbook's `#incident-[timestamp]`, opening time in UTC, then the number,
    /// because incidents of one cause often open in the same minute.
    static func warRoom(of incident: Incident, settings: MessageSettings) -> String {
        "\(settings.warRoomPrefix)\(MessageClock.warRoomStamp(incident.openedAt))-\(incident.id)"
    }

    /// What fixed it: the final status update's text, or who resolved it; nil while it is open.
    static func resolution(of incident: Incident, updates: [StatusUpdate]) -> String? {
        guard incident.status == .resolved else { return nil }
        if let final = updates.max(by: { $0.time < $1.time }), !final.message.isEmpty { return final.message }
        if incident.resolvedBy == "vigil" { return "every alert cleared and stayed clear; Vigil resolved it" }
        return incident.resolvedBy.map { "resolved by \($0)" }
    }

    /// What customers may notice, in words free of internals, by the incident's kind.
    static func customerImpact(of incident: Incident) -> String {
        let service = incident.service
        switch incident.kind.rawValue {
        case "high_error_rate": return "Some requests to \(service) may fail."
        case "high_latency": return "\(service) may respond slowly."
        case "service_outage": return "\(service) may be unavailable or partly unavailable."
        case "payment_failure": return "Payments may fail or be delayed."
        case "sync_failure", "replication_lag": return "Recent changes may take longer than usual to appear."
        default: return "\(service) may not work as expected."
        }
    }
}
