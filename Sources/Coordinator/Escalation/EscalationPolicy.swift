import Foundation
import Shared

/// Who is paged, and when, for an incident of one severity: the playbook's escalation matrix.
struct EscalationPolicy: Hashable, Sendable {
    /// Whom a step pages: a role's holder on the on-call rotation.
    enum Target: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
        case primary
        case secondary
        case manager
        /// The VP of engineering, the playbook's last step for SEV-1.
        case vp

        var description: String { rawValue }
    }

    struct Step: Hashable, Sendable {
        /// How long after the incident opened this step is due.
        var after: Duration
        var target: Target
    }

    var severity: Severity
    /// In the order they fall due.
    var steps: [Step]
    /// SEV-4 waits for business hours: a step due outside them is due when they next begin.
    var businessHoursOnly: Bool

    /// The playbook's matrix: SEV-1 primary 0 → secondary 5 → manager 10 → VP 20 min; SEV-2 primary 0 →
    /// secondary 15 → manager 30; SEV-3 primary 0 → secondary 30; SEV-4 primary, in business hours only.
    static let playbook: [Severity: EscalationPolicy] = [
        .sev1: EscalationPolicy(
            severity: .sev1,
            steps: [step(0, .primary), step(5, .secondary), step(10, .manager), step(20, .vp)],
            businessHoursOnly: false
        ),
        .sev2: EscalationPolicy(
            severity: .sev2,
            steps: [step(0, .primary), step(15, .secondary), step(30, .manager)],
            businessHoursOnly: false
        ),
        .sev3: EscalationPolicy(
            severity: .sev3,
            steps: [step(0, .primary), step(30, .secondary)],
            businessHoursOnly: false
        ),
        .sev4: EscalationPolicy(severity: .sev4, steps: [step(0, .primary)], businessHoursOnly: true),
    ]

    private static func step(_ minutes: Int, _ target: Target) -> Step {
        Step(after: .seconds(minutes * 60), target: target)
    }
}
