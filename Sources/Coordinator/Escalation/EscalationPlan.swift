import Foundation
import Shared

/// One incident's escalation, as a value: which steps of its severity's policy are due and which were sent.
/// Pure: it takes the incident and `now` and says whom to page; the service around it pages and records.
struct EscalationPlan: Hashable, Sendable {
    let incidentID: IncidentID
    /// Targets already paged, whatever the severity was then: a re-plan never pages anyone twice.
    private(set) var paged: Set<EscalationPolicy.Target> = []
    /// When the climb's clock started: the incident's opening, unless a silence held it (the climb restarts
    /// from the silence's end) or it reopened. Nil means the incident's opening.
    var clockStartedAt: Date?

    init(incidentID: IncidentID, clockStartedAt: Date? = nil, paged: Set<EscalationPolicy.Target> = []) {
        self.incidentID = incidentID
        self.clockStartedAt = clockStartedAt
        self.paged = paged
    }

    /// A step that is due and not sent yet, with the time it fell due.
    struct Due: Hashable, Sendable {
        var target: EscalationPolicy.Target
        var dueAt: Date
    }

    /// The steps due at `now` for the incident as it is: none once it is acknowledged or resolved. The
    /// incident's current severity decides the policy, so a severity change re-plans the climb: steps of the
    /// new policy whose time since opening has passed are due at once.
    func due(
        for incident: Incident,
        policies: [Severity: EscalationPolicy] = EscalationPolicy.playbook,
        businessHours: BusinessHours,
        now: Date
    ) -> [Due] {
        guard incident.status.isOpen, incident.acknowledgedAt == nil, let policy = policies[incident.severity] else {
            return []
        }
        return policy.steps.compactMap { step in
            guard !paged.contains(step.target) else { return nil }
            var dueAt = (clockStartedAt ?? incident.openedAt).addingTimeInterval(step.after.timeInterval)
            if policy.businessHoursOnly { dueAt = businessHours.nextOpening(atOrAfter: dueAt) }
            return dueAt <= now ? Due(target: step.target, dueAt: dueAt) : nil
        }
    }

    mutating func markPaged(_ target: EscalationPolicy.Target) {
        paged.insert(target)
    }
}
