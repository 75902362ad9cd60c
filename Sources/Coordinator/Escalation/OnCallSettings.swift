import Foundation
import Shared

/// The `oncall:` section: people, roles filled from rotations, the VP at the top of SEV-1's climb, which role
/// an incident pages, and business hours. Without the section, the playbook's rotation table.
struct OnCallSettings: Hashable, Sendable {
    var timeZone: TimeZone
    var businessHours: BusinessHours
    var people: [String: OnCallPerson]
    /// In the order configured, which is the order `vigil oncall` prints them.
    var roles: [OnCallRole]
    /// The last step of SEV-1's climb; nil leaves that step with nobody to page, which `vigil oncall simulate`
    /// flags.
    var vp: String?
    var routing: EscalationRouting
    var policies: [Severity: EscalationPolicy]

    func role(named name: String) -> OnCallRole? { roles.first { $0.name == name } }

    func person(_ name: String) -> OnCallPerson { people[name] ?? .unlisted(name) }

    /// Who a step of an escalation pages for `role` at `date`; nil when nobody holds it.
    func holder(of target: EscalationPolicy.Target, role: OnCallRole?, at date: Date) -> String? {
        switch target {
        case .primary: role?.holder(of: .primary, at: date)
        case .secondary: role?.holder(of: .secondary, at: date)
        case .manager: role?.holder(of: .manager, at: date)
        case .vp: vp
        }
    }

    /// The playbook's table: fixed people in each position (one-member rotations), the VP of Engineering from
    /// its emergency contacts, business hours 09:00–17:00 Monday to Friday in UTC.
    static let playbook: OnCallSettings = {
        let table: [(String, String, String, String)] = [
            ("sre", "alice", "bob", "carol"),
            ("backend", "david", "eve", "frank"),
            ("database", "grace", "henry", "ivan"),
            ("security", "jack", "kate", "liam"),
        ]
        let since = Date(timeIntervalSince1970: 0)
        func fixed(_ role: String, _ person: String) -> Rotation {
            Rotation(name: role, members: [person], shiftDays: 1, start: since, timeZone: .gmt)
        }
        return OnCallSettings(
            timeZone: .gmt,
            businessHours: BusinessHours(timeZone: .gmt),
            people: [:],
            roles: table.map { role, primary, secondary, manager in
                OnCallRole(
                    name: role,
                    primary: fixed("\(role).primary", primary),
                    secondary: fixed("\(role).secondary", secondary),
                    secondaryOffset: 0,
                    manager: fixed("\(role).manager", manager)
                )
            },
            vp: "john",
            routing: .playbook,
            policies: EscalationPolicy.playbook
        )
    }()
}
