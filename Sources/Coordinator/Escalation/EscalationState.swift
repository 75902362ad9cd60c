import Foundation
import Shared

/// Where one incident's escalation stands, as kept across restarts: the climb's clock, who was paged in this
/// round, what it was last planned for, and which closing notifications went out.
struct EscalationState: Hashable, Sendable {
    var incidentID: IncidentID
    var round: Int
    var clockStartedAt: Date
    /// The severity the climb was last planned for; a different one on the incident is a re-plan.
    var severity: Severity
    /// The silence holding the climb, while one does.
    var heldBySilence: SilenceID?
    var acknowledgementSent: Bool
    var resolutionSent: Bool
    /// Targets paged (or found empty) in this round.
    var paged: Set<EscalationPolicy.Target>
    /// Everyone reached in any round, who hears about updates and the resolution.
    var reached: [String]
    /// The channels pages went out on, which hear the acknowledgement and the resolution.
    var channels: [String] = []
    var updatedAt: Date

    init(incident: Incident, now: Date) {
        incidentID = incident.id
        round = 1
        clockStartedAt = incident.openedAt
        severity = incident.severity
        heldBySilence = nil
        acknowledgementSent = false
        resolutionSent = false
        paged = []
        reached = []
        updatedAt = now
    }

    init(
        incidentID: IncidentID,
        round: Int,
        clockStartedAt: Date,
        severity: Severity,
        heldBySilence: SilenceID?,
        acknowledgementSent: Bool,
        resolutionSent: Bool,
        paged: Set<EscalationPolicy.Target>,
        reached: [String],
        updatedAt: Date
    ) {
        self.incidentID = incidentID
        self.round = round
        self.clockStartedAt = clockStartedAt
        self.severity = severity
        self.heldBySilence = heldBySilence
        self.acknowledgementSent = acknowledgementSent
        self.resolutionSent = resolutionSent
        self.paged = paged
        self.reached = reached
        self.updatedAt = updatedAt
    }

    var plan: EscalationPlan {
        EscalationPlan(incidentID: incidentID, clockStartedAt: clockStartedAt, paged: paged)
    }
}
