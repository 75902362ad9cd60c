import Foundation
import Shared

/// Who holds what, and who a simulated incident would page: the answers of `vigil oncall`, from the on-call
/// settings and the channels each severity pages on.
struct OnCallRoster: Sendable {
    let settings: OnCallSettings
    let paging: [Severity: [PagingChannel]]

    /// One position and its holder at a time.
    struct Assignment: Hashable, Sendable, Codable {
        var role: String
        var position: String
        var person: String?
        var email: String?
        var chat: String?
        var phone: String?
        /// When the holder next changes; nil for a fixed position.
        var until: Date?
    }

    /// Every position of `role` (all roles when nil) at `date`, then the VP.
    func assignments(at date: Date, role: String?) throws(OnCallRosterError) -> [Assignment] {
        let roles: [OnCallRole]
        if let role {
            guard let found = settings.role(named: role.lowercased()) else {
                throw .unknownRole(role, known: settings.roles.map(\.name))
            }
            roles = [found]
        } else {
            roles = settings.roles
        }
        var assignments: [Assignment] = []
        for role in roles {
            for position in OnCallRole.Position.allCases {
                let holder = role.holder(of: position, at: date)
                let until = role.nextChange(of: position, after: date)
                assignments.append(assignment(role.name, position.rawValue, holder, until: until))
            }
        }
        if role == nil { assignments.append(assignment("vp", "vp", settings.vp, until: nil)) }
        return assignments
    }

    private func assignment(_ role: String, _ position: String, _ holder: String?, until: Date?) -> Assignment {
        let person = holder.map { settings.person($0) }
        return Assignment(
            role: role,
            position: position,
            person: holder,
            email: person?.email,
            chat: person?.chat,
            phone: person?.phone,
            until: until
        )
    }

    /// One step of a simulated escalation.
    struct SimulatedStep: Hashable, Sendable, Codable {
        var step: Int
        var target: String
        var role: String
        /// Minutes after the incident opens, as the policy says.
        var afterMinutes: Int
        /// When it would fire: later than `afterMinutes` when it waits for business hours.
        var dueAt: Date
        var person: String?
        /// The channels that would reach the person.
        var channels: [String]
        /// What is wrong with the step; empty when it would page someone.
        var problems: [String]
    }

    /// The simulation of an incident of `severity` opening at `date`: who each step would page, when, how, and
    /// which steps would page nobody.
    func simulate(
        severity: Severity,
        at date: Date,
        role requested: String?,
        kind: IncidentKind?,
        service: String?
    ) throws(OnCallRosterError) -> (role: String, steps: [SimulatedStep]) {
        let roleName = requested?.lowercased()
            ?? settings.routing.role(forKind: kind ?? IncidentKind(""), service: service ?? "")
        guard let role = settings.role(named: roleName) else {
            throw .unknownRole(roleName, known: settings.roles.map(\.name))
        }
        guard let policy = settings.policies[severity] else { return (roleName, []) }
        let channels = paging[severity] ?? []
        let steps = policy.steps.enumerated().map { index, step in
            var dueAt = date.addingTimeInterval(step.after.timeInterval)
            if policy.businessHoursOnly { dueAt = settings.businessHours.nextOpening(atOrAfter: dueAt) }
            let holder = settings.holder(of: step.target, role: role, at: dueAt)
            var problems: [String] = []
            var reaching: [String] = []
            if let holder {
                let person = settings.person(holder)
                reaching = channels.filter { $0.reaches(person) }.map(\.name)
                if channels.isEmpty {
                    problems.append("no channel pages \(severity): define one under channels, and route it under notify")
                } else if reaching.isEmpty {
                    problems.append("no way to reach \(holder): the \(severity) channels need an e-mail address they lack")
                }
            } else {
                problems.append("nobody on shift as \(step.target == .vp ? "vp" : "\(roleName) \(step.target)")")
            }
            return SimulatedStep(
                step: index + 1,
                target: step.target.rawValue,
                role: step.target == .vp ? "vp" : roleName,
                afterMinutes: Int(step.after.timeInterval / 60),
                dueAt: dueAt,
                person: holder,
                channels: reaching,
                problems: problems
            )
        }
        return (roleName, steps)
    }
}

/// A question about the on-call roster that cannot be answered.
enum OnCallRosterError: Error, Equatable, CustomStringConvertible {
    case unknownRole(String, known: [String])

    var description: String {
        switch self {
        case .unknownRole(let role, let known): "unknown role \"\(role)\" (roles: \(known.joined(separator: ", ")))"
        }
    }
}
