import Foundation
import HTTPTransfer

/// Reads the `oncall:` section of the coordinator's configuration. Every problem is one line with its line
/// number; a rotation without members, a time zone nobody knows or a role that routing names but nobody
/// defines stops the coordinator at start rather than at 3 a.m.
enum OnCallFile {
    static let sectionKeys = ["time_zone", "business_hours", "people", "roles", "vp", "overrides", "routing"]
    static let personKeys = ["email", "chat", "phone"]
    static let roleKeys = ["primary", "secondary", "manager"]
    static let rotationKeys = ["members", "shift_days", "hand_off"]
    static let businessHoursKeys = ["days", "start_hour", "end_hour"]
    static let overrideKeys = ["role", "position", "person", "from", "until"]
    static let routingKeys = ["default", "kinds", "services"]
    private static let weekdays = ["sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7]

    static func settings(_ field: ConfigurationField?) throws(CoordinatorConfigurationError) -> OnCallSettings {
        var settings = OnCallSettings.playbook
        guard let field, !field.isNull else { return settings }
        let fields = try field.entries(allowed: sectionKeys)
        if let value = fields["time_zone"] { settings.timeZone = try timeZone(value) }
        settings.businessHours = BusinessHours(timeZone: settings.timeZone)
        if let value = fields["business_hours"] {
            settings.businessHours = try businessHours(value, timeZone: settings.timeZone)
        }
        if let value = fields["people"] { settings.people = try people(value) }
        if let value = fields["roles"] { settings.roles = try roles(value, timeZone: settings.timeZone) }
        if let value = fields["vp"] {
            let name = try value.text().trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw value.error("vp must name a person") }
            settings.vp = name
        }
        if let value = fields["overrides"] {
            try applyOverrides(value, to: &settings.roles, timeZone: settings.timeZone)
        }
        if let value = fields["routing"] {
            settings.routing = try routing(value, roles: Set(settings.roles.map(\.name)))
        } else if fields["roles"] != nil {
            // Custom roles without a routing section keep the playbook's routing where the roles it names exist,
            // and otherwise page the first role.
            let names = Set(settings.roles.map(\.name))
            let fallback = names.contains("sre") ? "sre" : settings.roles.first?.name ?? "sre"
            settings.routing = EscalationRouting(
                defaultRole: names.contains(settings.routing.defaultRole) ? settings.routing.defaultRole : fallback,
                roleByKind: settings.routing.roleByKind.filter { names.contains($0.value) },
                roleByService: settings.routing.roleByService.filter { names.contains($0.value) }
            )
        }
        return settings
    }

    // MARK: - Pieces

    private static func timeZone(_ field: ConfigurationField) throws(CoordinatorConfigurationError) -> TimeZone {
        let name = try field.text()
        guard let zone = TimeZone(identifier: name) else {
            throw field.error("\(field.path) \"\(name)\" is not a time zone name such as Europe/Berlin or UTC")
        }
        return zone
    }

    private static func businessHours(
        _ field: ConfigurationField,
        timeZone: TimeZone
    ) throws(CoordinatorConfigurationError) -> BusinessHours {
        let fields = try field.entries(allowed: businessHoursKeys)
        var hours = BusinessHours(timeZone: timeZone)
        if let days = fields["days"] {
            var numbers: Set<Int> = []
            for day in days.items() {
                let text = try day.text().lowercased()
                let fullNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
                guard let number = weekdays[String(text.prefix(3))],
                    text.count == 3 || fullNames.contains(text)
                else {
                    throw day.error("\(day.path) \"\(text)\" is not a weekday such as mon or friday")
                }
                numbers.insert(number)
            }
            guard !numbers.isEmpty else { throw days.error("\(days.path) must list at least one weekday") }
            hours.weekdays = numbers
        }
        if let start = fields["start_hour"] { hours.startHour = try hour(start) }
        if let end = fields["end_hour"] { hours.endHour = try hour(end, allowing24: true) }
        guard hours.startHour < hours.endHour else {
            throw field.error("\(field.path): start_hour must be before end_hour")
        }
        return hours
    }

    private static func hour(
        _ field: ConfigurationField,
        allowing24: Bool = false
    ) throws(CoordinatorConfigurationError) -> Int {
        let number = try field.number()
        let top = allowing24 ? 24.0 : 23.0
        guard number >= 0, number <= top, number == number.rounded() else {
            throw field.error("\(field.path) must be a whole hour from 0 to \(Int(top))")
        }
        return Int(number)
    }

    private static func people(
        _ field: ConfigurationField
    ) throws(CoordinatorConfigurationError) -> [String: OnCallPerson] {
        var people: [String: OnCallPerson] = [:]
        for entry in try field.pairs() {
            let name = entry.name.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw entry.key.error("a person needs a name") }
            var person = OnCallPerson(name: name)
            if !entry.value.isNull {
                let fields = try entry.value.entries(allowed: personKeys)
                if let email = fields["email"] {
                    let text = try email.text()
                    // Read as the e-mail channel will read it when it sends: an address it would refuse at
                    // 3 a.m. is refused at start instead.
                    guard MailAddress(address: text, displayName: nil) != nil else {
                        throw email.error("\(email.path) \"\(text)\" is not an e-mail address")
                    }
                    person.email = text
                }
                if let chat = fields["chat"] { person.chat = try nonEmpty(chat) }
                if let phone = fields["phone"] { person.phone = try nonEmpty(phone) }
            }
            people[name] = person
        }
        return people
    }

    private static func nonEmpty(_ field: ConfigurationField) throws(CoordinatorConfigurationError) -> String {
        let text = try field.text().trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw field.error("\(field.path) must not be empty") }
        return text
    }

    private static func roles(
        _ field: ConfigurationField,
        timeZone: TimeZone
    ) throws(CoordinatorConfigurationError) -> [OnCallRole] {
        var roles: [OnCallRole] = []
        for entry in try field.pairs() {
            let name = entry.name.lowercased()
            let fields = try entry.value.entries(allowed: roleKeys)
            guard let primaryField = fields["primary"] else {
                throw entry.key.error("role \(name) needs a primary rotation")
            }
            guard let managerField = fields["manager"] else { throw entry.key.error("role \(name) needs a manager") }
            let primary = try rotation(primaryField, name: "\(name).primary", timeZone: timeZone)
            var secondary = primary
            var secondaryOffset = 1
            if let secondaryField = fields["secondary"] {
                secondary = try rotation(secondaryField, name: "\(name).secondary", timeZone: timeZone)
                secondaryOffset = 0
            } else {
                guard primary.members.count >= 2 else {
                    throw primaryField.error(
                        "role \(name) has no secondary: give it a secondary rotation, or two or more primary members"
                    )
                }
                secondary.name = "\(name).secondary"
            }
            let manager = try rotation(managerField, name: "\(name).manager", timeZone: timeZone)
            roles.append(
                OnCallRole(
                    name: name,
                    primary: primary,
                    secondary: secondary,
                    secondaryOffset: secondaryOffset,
                    manager: manager
                )
            )
        }
        guard !roles.isEmpty else { throw field.error("roles must define at least one role") }
        return roles
    }

    /// A rotation mapping, or one person's name for a position nobody rotates through (a manager).
    private static func rotation(
        _ field: ConfigurationField,
        name: String,
        timeZone: TimeZone
    ) throws(CoordinatorConfigurationError) -> Rotation {
        if !field.isMapping {
            let person = try nonEmpty(field)
            return Rotation(name: name, members: [person], shiftDays: 1, start: .distantPast, timeZone: timeZone)
        }
        let fields = try field.entries(allowed: rotationKeys)
        var members: [String] = []
        if let list = fields["members"] {
            for member in list.items() { members.append(try nonEmpty(member)) }
        }
        var shiftDays = 7
        if let days = fields["shift_days"] {
            let number = try days.number()
            guard number >= 1, number <= 366, number == number.rounded() else {
                throw days.error("\(days.path) must be a whole number of days from 1 to 366")
            }
            shiftDays = Int(number)
        }
        guard let handOff = fields["hand_off"] else {
            throw field.error("rotation \(name) needs hand_off: when members[0] takes over, such as 2026-11-02T09:00")
        }
        let rotation = Rotation(
            name: name,
            members: members,
            shiftDays: shiftDays,
            start: try time(handOff, timeZone: timeZone),
            timeZone: timeZone
        )
        do {
            try rotation.validate()
        } catch {
            throw field.error(error.description)
        }
        return rotation
    }

    /// `2026-11-02T09:00` in the section's time zone, or a full ISO 8601 time with its own offset.
    static func time(_ field: ConfigurationField, timeZone: TimeZone) throws(CoordinatorConfigurationError) -> Date {
        let text = try field.text()
        if let date = localTime(text, timeZone: timeZone) { return date }
        throw field.error(
            "\(field.path) \"\(text)\" is not a time such as 2026-11-02T09:00 (local) or 2026-11-02T09:00:00Z"
        )
    }

    static func localTime(_ text: String, timeZone: TimeZone) -> Date? {
        let withOffset = ISO8601DateFormatter()
        if let date = withOffset.date(from: text) { return date }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    private static func applyOverrides(
        _ field: ConfigurationField,
        to roles: inout [OnCallRole],
        timeZone: TimeZone
    ) throws(CoordinatorConfigurationError) {
        guard field.isList else { throw field.error("overrides must be a list") }
        for item in field.items() {
            let fields = try item.entries(allowed: overrideKeys)
            for key in overrideKeys where fields[key] == nil {
                throw item.error("an override needs role, position, person, from and until (missing \(key))")
            }
            guard let roleField = fields["role"], let positionField = fields["position"],
                let personField = fields["person"], let fromField = fields["from"], let untilField = fields["until"]
            else { continue }
            let roleName = try roleField.text().lowercased()
            guard let index = roles.firstIndex(where: { $0.name == roleName }) else {
                throw roleField.error("override for role \"\(roleName)\", which is not defined")
            }
            let positionText = try positionField.text().lowercased()
            guard let position = OnCallRole.Position(rawValue: positionText) else {
                throw positionField.error("position \"\(positionText)\" must be primary, secondary or manager")
            }
            let from = try time(fromField, timeZone: timeZone)
            let until = try time(untilField, timeZone: timeZone)
            guard from < until else { throw untilField.error("an override must end after it starts") }
            let override = Rotation.Override(person: try nonEmpty(personField), from: from, until: until)
            switch position {
            case .primary: roles[index].primary.overrides.append(override)
            case .secondary: roles[index].secondary.overrides.append(override)
            case .manager: roles[index].manager.overrides.append(override)
            }
        }
    }

    private static func routing(
        _ field: ConfigurationField,
        roles: Set<String>
    ) throws(CoordinatorConfigurationError) -> EscalationRouting {
        let fields = try field.entries(allowed: routingKeys)
        var routing = EscalationRouting(defaultRole: roles.contains("sre") ? "sre" : "", roleByKind: [:], roleByService: [:])
        if let value = fields["default"] { routing.defaultRole = try role(value, roles: roles) }
        if let kinds = fields["kinds"] {
            for entry in try kinds.pairs() { routing.roleByKind[IncidentKind(entry.name)] = try role(entry.value, roles: roles) }
        }
        if let services = fields["services"] {
            for entry in try services.pairs() { routing.roleByService[entry.name] = try role(entry.value, roles: roles) }
        }
        guard roles.contains(routing.defaultRole) else {
            throw field.error("routing needs a default role (there is no sre role to fall back on)")
        }
        return routing
    }

    private static func role(_ field: ConfigurationField, roles: Set<String>) throws(CoordinatorConfigurationError) -> String {
        let name = try field.text().lowercased()
        guard roles.contains(name) else {
            throw field.error("\(field.path) names role \"\(name)\", which is not defined under roles")
        }
        return name
    }
}
