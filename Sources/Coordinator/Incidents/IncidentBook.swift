import Foundation
import Shared

/// The open incidents and what their alerts and operators do to them. Pure: each call takes `now` and returns
/// the store changes that record what happened; the engine around it applies them.
struct IncidentBook: Sendable {
    let settings: DetectionSettings
    private(set) var open: [IncidentID: Incident] = [:]
    private var openByGroup: [IncidentGroup: IncidentID] = [:]
    /// Incidents resolved within the reopen window, which reopen when their kind fires again in their service.
    private(set) var recentlyResolved: [IncidentGroup: Incident] = [:]
    /// The firing alerts of each open incident.
    private(set) var firing: [IncidentID: [AlertKey: Alert]] = [:]
    /// Incidents whose missed response deadline is already on their timeline.
    private var overdueNoted: Set<IncidentID> = []
    private(set) var nextID: IncidentID

    static let vigil = "vigil"

    init(settings: DetectionSettings, recovery: DetectionRecovery = DetectionRecovery(), now: Date = Date()) {
        self.settings = settings
        nextID = recovery.nextIncidentID
        for incident in recovery.openIncidents {
            open[incident.id] = incident
            openByGroup[incident.group] = incident.id
            if incident.acknowledgedAt == nil, incident.responseDueAt <= now { overdueNoted.insert(incident.id) }
        }
        for incident in recovery.recentlyResolved.sorted(by: {
            ($0.resolvedAt ?? .distantPast) < ($1.resolvedAt ?? .distantPast)
        }) {
            recentlyResolved[incident.group] = incident
        }
        for alert in recovery.alerts where alert.state == .firing {
            guard let id = alert.incidentID, open[id] != nil else { continue }
            firing[id, default: [:]][alert.key] = alert
        }
    }

    /// The incident a firing alert belongs to now, if it is open.
    func incident(of alert: Alert) -> Incident? {
        alert.incidentID.flatMap { open[$0] }
    }

    // MARK: - Alerts

    /// An alert fired: it joins the open incident of its group, reopens a recently resolved one, or opens a new
    /// one. Sets the alert's incident.
    mutating func alertFired(_ alert: inout Alert, now: Date) -> [IncidentChange] {
        let group = IncidentGroup(kind: alert.kind, service: alert.service)
        var changes: [IncidentChange] = []
        var incident: Incident
        if let id = openByGroup[group], let existing = open[id] {
            incident = existing
            if incident.quietSince != nil {
                incident.quietSince = nil
                if incident.status == .monitoring {
                    incident.status = .investigating
                    changes.append(
                        event(incident.id, now, .statusChanged, "\(alert.key) fired again: back to INVESTIGATING")
                    )
                }
            }
        } else if let resolved = recentlyResolved[group], let resolvedAt = resolved.resolvedAt,
            now.timeIntervalSince(resolvedAt) <= settings.reopenWindow.timeInterval
        {
            incident = resolved
            recentlyResolved[group] = nil
            incident.status = .investigating
            incident.resolvedAt = nil
            incident.resolvedBy = nil
            incident.quietSince = nil
            incident.reopenCount += 1
            incident.severity = alert.severity
            if incident.acknowledgedAt == nil {
                incident.responseDueAt = now.addingTimeInterval(alert.severity.responseTime.timeInterval)
            }
            overdueNoted.remove(incident.id)
            changes.append(
                event(
                    incident.id,
                    now,
                    .reopened,
                    "reopened: \(alert.key) fired \(Self.age(resolvedAt, now)) after it was resolved"
                )
            )
        } else {
            incident = Incident(
                id: nextID,
                kind: alert.kind,
                service: alert.service,
                severity: alert.severity,
                peakSeverity: alert.severity,
                status: .investigating,
                title: alert.summary,
                openedAt: now,
                responseDueAt: now.addingTimeInterval(alert.severity.responseTime.timeInterval),
                affectedNodes: [],
                reopenCount: 0,
                peakBadness: 0,
                updatedAt: now
            )
            nextID = IncidentID(nextID.rawValue + 1)
            changes.append(.saveIncident(incident))
            changes.append(
                event(
                    incident.id,
                    now,
                    .opened,
                    "\(alert.severity) \(alert.kind) in \(alert.service): \(alert.summary)"
                )
            )
        }
        alert.incidentID = incident.id
        open[incident.id] = incident
        openByGroup[group] = incident.id
        firing[incident.id, default: [:]][alert.key] = alert
        changes.append(event(incident.id, now, .alertFiring, "\(alert.key) firing: \(alert.summary)"))
        let isNew = changes.contains { if case .appendEvent(let e) = $0 { e.kind == .opened } else { false } }
        changes += refresh(incident.id, now: now)
        if isNew, let opened = open[incident.id] {
            changes.append(.saveSnapshot(snapshot(of: opened, .open, now)))
        }
        return changes
    }

    /// A firing alert's reading changed (value, nodes): the incident's nodes, title and peak follow.
    mutating func alertUpdated(_ alert: Alert, now: Date) -> [IncidentChange] {
        guard let id = alert.incidentID, open[id] != nil, firing[id]?[alert.key] != nil else { return [] }
        firing[id]?[alert.key] = alert
        return refresh(id, now: now)
    }

    /// A firing alert resolved: the incident's severity follows the alerts still firing; with none left it
    /// moves to MONITORING and resolves itself after the quiet window.
    mutating func alertResolved(_ alert: Alert, now: Date) -> [IncidentChange] {
        guard let id = alert.incidentID, open[id] != nil, firing[id]?.removeValue(forKey: alert.key) != nil else {
            return []
        }
        var changes = [event(id, now, .alertResolved, "\(alert.key) resolved")]
        if firing[id]?.isEmpty ?? true, var incident = open[id] {
            firing[id] = nil
            incident.quietSince = now
            let resolvesAt = now.addingTimeInterval(settings.quietWindow.timeInterval)
            if incident.status != .monitoring {
                incident.status = .monitoring
                changes.append(
                    event(
                        id,
                        now,
                        .statusChanged,
                        "every alert cleared: MONITORING; resolves at \(Self.clock(resolvesAt)) unless it recurs"
                    )
                )
            }
            incident.updatedAt = now
            open[id] = incident
            changes.append(.saveIncident(incident))
            return changes
        }
        return changes + refresh(id, now: now)
    }

    /// Time passing: quiet incidents resolve, missed response deadlines go on the timeline, and incidents
    /// resolved too long ago stop being candidates for reopening.
    mutating func tick(now: Date) -> [IncidentChange] {
        var changes: [IncidentChange] = []
        for incident in open.values.sorted(by: { $0.id < $1.id }) {
            if let quiet = incident.quietSince, firing[incident.id] == nil,
                now.timeIntervalSince(quiet) >= settings.quietWindow.timeInterval
            {
                changes += close(
                    incident.id,
                    by: Self.vigil,
                    rootCause: nil,
                    now: now,
                    message: "quiet for \(Self.duration(settings.quietWindow)): RESOLVED"
                )
                continue
            }
            if incident.acknowledgedAt == nil, now >= incident.responseDueAt, !overdueNoted.contains(incident.id) {
                overdueNoted.insert(incident.id)
                changes.append(
                    event(
                        incident.id,
                        now,
                        .responseOverdue,
                        "not acknowledged within the \(incident.severity) response time of \(Self.duration(incident.severity.responseTime))"
                    )
                )
            }
        }
        recentlyResolved = recentlyResolved.filter { _, incident in
            guard let resolvedAt = incident.resolvedAt else { return false }
            return now.timeIntervalSince(resolvedAt) <= settings.reopenWindow.timeInterval
        }
        return changes
    }

    // MARK: - Helpers shared with the operator steps

    /// Recomputes an open incident from its firing alerts: severity, title, nodes and peak.
    private mutating func refresh(_ id: IncidentID, now: Date) -> [IncidentChange] {
        guard var incident = open[id], let alerts = firing[id], !alerts.isEmpty else { return [] }
        let before = incident
        var changes: [IncidentChange] = []
        let ordered = alerts.values.sorted { ($0.severity, $1.key) > ($1.severity, $0.key) }
        if let worst = ordered.first {
            if worst.severity != incident.severity {
                let raised = worst.severity > incident.severity
                changes.append(
                    event(
                        id,
                        now,
                        raised ? .severityRaised : .severityLowered,
                        "\(incident.severity) → \(worst.severity): \(worst.summary)"
                    )
                )
                if raised, incident.acknowledgedAt == nil {
                    let due = now.addingTimeInterval(worst.severity.responseTime.timeInterval)
                    incident.responseDueAt = min(incident.responseDueAt, due)
                }
                incident.severity = worst.severity
                incident.peakSeverity = max(incident.peakSeverity, worst.severity)
            }
            incident.title = worst.summary
        }
        let nodes = Set(incident.affectedNodes).union(alerts.values.flatMap(\.nodes))
        if nodes.count != incident.affectedNodes.count {
            let added = nodes.subtracting(incident.affectedNodes).sorted()
            incident.affectedNodes = nodes.sorted()
            if !before.affectedNodes.isEmpty {
                changes.append(
                    event(id, now, .nodesChanged, "now affects \(added.map(\.rawValue).joined(separator: ", ")) too")
                )
            }
        }
        let badness = alerts.values.compactMap { alert in alert.value.map { Self.badness(alert, $0) } }.max() ?? 0
        var takePeak = false
        if badness > incident.peakBadness {
            incident.peakBadness = badness
            takePeak = true
        }
        guard incident != before else { return changes }
        incident.updatedAt = now
        open[id] = incident
        changes.append(.saveIncident(incident))
        if takePeak { changes.append(.saveSnapshot(snapshot(of: incident, .peak, now))) }
        return changes
    }

    private static func badness(_ alert: Alert, _ value: Double) -> Double {
        alert.comparison.badness(value, alert.threshold)
    }

    func snapshot(of incident: Incident, _ moment: IncidentSnapshot.Moment, _ now: Date) -> IncidentSnapshot {
        let readings = (firing[incident.id] ?? [:]).values.sorted { $0.key < $1.key }.map { alert in
            IncidentSnapshot.Reading(
                alert: alert.key.description,
                rule: alert.key.rule,
                severity: alert.severity,
                value: alert.value,
                comparison: alert.comparison.rawValue,
                threshold: alert.threshold,
                nodes: alert.nodes
            )
        }
        return IncidentSnapshot(incidentID: incident.id, moment: moment, takenAt: now, readings: readings)
    }

    /// Resolves an open incident and keeps it as a candidate for reopening.
    mutating func close(
        _ id: IncidentID,
        by person: String,
        rootCause: String?,
        now: Date,
        message: String
    ) -> [IncidentChange] {
        guard var incident = open.removeValue(forKey: id) else { return [] }
        openByGroup[incident.group] = nil
        firing[id] = nil
        overdueNoted.remove(id)
        incident.status = .resolved
        incident.resolvedAt = now
        incident.resolvedBy = person
        if let rootCause { incident.rootCause = rootCause }
        incident.quietSince = nil
        incident.updatedAt = now
        recentlyResolved[incident.group] = incident
        return [.saveIncident(incident), event(id, now, .statusChanged, message, actor: person)]
    }

    /// Replaces an open incident after an operator's change.
    mutating func update(_ incident: Incident) {
        guard open[incident.id] != nil else { return }
        open[incident.id] = incident
    }

    /// Takes a resolved incident back in, as an operator's reopening does.
    mutating func reopen(_ incident: Incident) {
        var incident = incident
        if let current = openByGroup[incident.group], current != incident.id { openByGroup[incident.group] = nil }
        recentlyResolved[incident.group] =
            recentlyResolved[incident.group]?.id == incident.id ? nil : recentlyResolved[incident.group]
        incident.resolvedAt = nil
        incident.resolvedBy = nil
        open[incident.id] = incident
        if openByGroup[incident.group] == nil { openByGroup[incident.group] = incident.id }
    }

    func event(
        _ id: IncidentID,
        _ now: Date,
        _ kind: TimelineEvent.Kind,
        _ message: String,
        actor: String = vigil
    ) -> IncidentChange {
        .appendEvent(TimelineEvent(incidentID: id, time: now, kind: kind, actor: actor, message: message))
    }

    static func age(_ since: Date, _ now: Date) -> String {
        duration(Duration(timeInterval: now.timeIntervalSince(since)))
    }

    /// `45s`, `12m`, `1h30m`: how long, as a timeline line says it.
    static func duration(_ duration: Duration) -> String {
        let seconds = max(0, Int(duration.timeInterval.rounded()))
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds / 60)m\(seconds % 60)s"
        default:
            return (seconds % 3600) / 60 == 0 ? "\(seconds / 3600)h" : "\(seconds / 3600)h\((seconds % 3600) / 60)m"
        }
    }

    static func clock(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
    }
}

extension Incident {
    var group: IncidentGroup { IncidentGroup(kind: kind, service: service) }
}
