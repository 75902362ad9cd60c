import Foundation

/// What operators do to incidents: acknowledge, change status, resolve, write notes, name a commander.
///
/// Each step takes the incident as it is now (open, or loaded from the store when resolved) and returns it
/// changed with the store changes that record it; an incident that needs no change comes back as it was.
extension IncidentBook {
    mutating func acknowledge(
        _ incident: Incident,
        by person: String,
        now: Date
    ) throws(IncidentOperationError) -> (Incident, [IncidentChange]) {
        guard incident.status.isOpen else { throw .conflict(incident.id, "it is resolved; reopen it first") }
        guard incident.acknowledgedAt == nil else { return (incident, []) }
        var changed = incident
        changed.acknowledgedAt = now
        changed.acknowledgedBy = person
        changed.updatedAt = now
        let late = now > incident.responseDueAt ? ", after the response deadline" : ""
        let message = "acknowledged \(Self.age(incident.openedAt, now)) after opening\(late)"
        return save(changed, event(incident.id, now, .acknowledged, message, actor: person))
    }

    mutating func setStatus(
        _ incident: Incident,
        to status: IncidentStatus,
        by person: String,
        note: String?,
        now: Date
    ) throws(IncidentOperationError) -> (Incident, [IncidentChange]) {
        if status == .resolved {
            return try resolve(incident, by: person, rootCause: nil, force: false, now: now)
        }
        guard status != incident.status else { return (incident, []) }
        var changed = incident
        var changes: [IncidentChange] = []
        let suffix = note.map { ": \($0)" } ?? ""
        if !incident.status.isOpen {
            changed.reopenCount += 1
            changed.resolvedAt = nil
            changed.resolvedBy = nil
            changes.append(event(incident.id, now, .reopened, "reopened as \(status)\(suffix)", actor: person))
            reopen(changed)
        } else {
            changes.append(
                event(incident.id, now, .statusChanged, "\(incident.status) → \(status)\(suffix)", actor: person)
            )
        }
        changed.status = status
        // MONITORING watches for the quiet window once nothing fires; any other status is a person taking
        // charge, which stops the incident from resolving itself.
        changed.quietSince = status == .monitoring && firing[incident.id] == nil ? now : nil
        changed.updatedAt = now
        update(changed)
        return (changed, [.saveIncident(changed)] + changes)
    }

    mutating func resolve(
        _ incident: Incident,
        by person: String,
        rootCause: String?,
        force: Bool,
        now: Date
    ) throws(IncidentOperationError) -> (Incident, [IncidentChange]) {
        guard incident.status.isOpen else { throw .conflict(incident.id, "it is already resolved") }
        let stillFiring = (firing[incident.id] ?? [:]).keys.sorted()
        if !stillFiring.isEmpty, !force {
            let names = stillFiring.map(\.description).joined(separator: ", ")
            throw .conflict(
                incident.id,
                "\(stillFiring.count) alert\(stillFiring.count == 1 ? "" : "s") still firing (\(names)); resolve once they clear, or force it"
            )
        }
        var message = "resolved"
        if let rootCause { message += ": root cause: \(rootCause)" }
        if !stillFiring.isEmpty { message += " (forced while \(stillFiring.count) alerts fired)" }
        let changes = close(incident.id, by: person, rootCause: rootCause, now: now, message: message)
        guard case .saveIncident(let resolved)? = changes.first else {
            // Open by status but not in the book: only possible for a stored row the book never held.
            throw .conflict(incident.id, "it is not among the open incidents")
        }
        return (resolved, changes)
    }

    mutating func addNote(
        _ incident: Incident,
        text: String,
        by person: String,
        now: Date
    ) -> (Incident, [IncidentChange]) {
        var changed = incident
        changed.updatedAt = now
        return save(changed, event(incident.id, now, .note, text, actor: person))
    }

    mutating func assignCommander(
        _ incident: Incident,
        to commander: String,
        by person: String,
        now: Date
    ) -> (Incident, [IncidentChange]) {
        guard incident.commander != commander else { return (incident, []) }
        var changed = incident
        changed.commander = commander
        changed.updatedAt = now
        return save(
            changed,
            event(incident.id, now, .commanderAssigned, "\(commander) is incident commander", actor: person)
        )
    }

    private mutating func save(_ incident: Incident, _ change: IncidentChange) -> (Incident, [IncidentChange]) {
        update(incident)
        return (incident, [.saveIncident(incident), change])
    }
}
