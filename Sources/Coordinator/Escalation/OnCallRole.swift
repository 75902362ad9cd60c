import Foundation

/// One of the playbook's on-call roles (SRE, Backend, Database, Security): who is primary, secondary and
/// manager at any time.
struct OnCallRole: Hashable, Sendable {
    /// Lower-case, as configured and as `vigil oncall --role` takes it: `sre`, `backend`, `database`, `security`.
    var name: String
    var primary: Rotation
    /// The secondary's own rotation, or the primary's rotation one place along (with its own overrides).
    var secondary: Rotation
    /// 1 when the secondary follows the primary's rotation, 0 when it has its own.
    var secondaryOffset: Int
    var manager: Rotation

    /// Who holds the role's `position` at `date`; nil when nobody is on shift.
    func holder(of position: Position, at date: Date) -> String? {
        switch position {
        case .primary: primary.holder(at: date)
        case .secondary: secondary.holder(at: date, offset: secondaryOffset)
        case .manager: manager.holder(at: date)
        }
    }

    /// When whoever holds `position` at `date` next changes.
    func nextChange(of position: Position, after date: Date) -> Date? {
        switch position {
        case .primary: primary.nextChange(after: date)
        case .secondary: secondary.nextChange(after: date)
        case .manager: manager.nextChange(after: date)
        }
    }

    enum Position: String, Hashable, Sendable, Codable, CaseIterable {
        case primary
        case secondary
        case manager
    }
}
