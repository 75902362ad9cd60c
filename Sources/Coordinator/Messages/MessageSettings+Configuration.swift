import Foundation
import Shared

/// Reads the `messages:` section, and the template files it names, so that every problem stops the coordinator
/// at start with one line naming the file, the line and the reason.
extension MessageSettings {
    static let keys = [
        "war_room_prefix", "status_page_url", "postmortem_url", "time_zone", "update_interval_minutes", "links",
        "templates",
    ]

    /// The settings of a `messages:` section; the defaults without one. Template paths that are not absolute are
    /// read from the configuration file's directory.
    static func parse(_ field: ConfigurationField?) throws(CoordinatorConfigurationError) -> MessageSettings {
        var settings = MessageSettings()
        guard let field, !field.isNull else { return settings }
        let fields = try field.entries(allowed: keys)
        if let value = fields["war_room_prefix"] {
            settings.warRoomPrefix = try nonEmptyText(value)
            guard !settings.warRoomPrefix.contains(where: \.isWhitespace) else {
                throw value.error("\(value.path) must not contain spaces: it starts a channel name")
            }
        }
        if let value = fields["status_page_url"] { settings.statusPageURL = try nonEmptyText(value) }
        if let value = fields["postmortem_url"] { settings.postmortemURL = try nonEmptyText(value) }
        if let value = fields["time_zone"] {
            let name = try value.text()
            guard let zone = TimeZone(identifier: name) else {
                throw value.error("unknown time zone \"\(name)\"; use an IANA name such as UTC or Europe/Berlin")
            }
            settings.timeZone = zone
        }
        if let value = fields["update_interval_minutes"] {
            for entry in try value.pairs() where !entry.value.isNull {
                guard let severity = Severity(text: entry.name) else {
                    throw entry.key.error("unknown severity \"\(entry.name)\" (known: SEV-1, SEV-2, SEV-3, SEV-4)")
                }
                settings.updateIntervals[severity] = try minutes(entry.value)
            }
        }
        if let value = fields["links"] {
            for entry in try value.pairs() where !entry.value.isNull {
                settings.links.append(Link(label: entry.name, url: try nonEmptyText(entry.value)))
            }
        }
        if let value = fields["templates"] {
            for entry in try value.pairs() where !entry.value.isNull {
                guard let name = TemplateName(key: entry.name) else {
                    let known = TemplateName.allCases.map(\.key).joined(separator: ", ")
                    throw entry.key.error("unknown template \"\(entry.name)\" (known: \(known))")
                }
                settings.templateOverrides[name] = try template(name, entry.value)
            }
        }
        return settings
    }

    /// Reads a template file and checks it as the renderer will use it.
    private static func template(
        _ name: TemplateName,
        _ field: ConfigurationField
    ) throws(CoordinatorConfigurationError) -> TemplateSource {
        let path = resolve(try nonEmptyText(field), relativeTo: field.source)
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw field.error("\(field.path): cannot read \(path): \(error.localizedDescription)")
        }
        do {
            _ = try MessageTemplate(name, text: text)
        } catch {
            throw field.error("\(field.path): \(path): \(error)")
        }
        return TemplateSource(path: path, text: text)
    }

    private static func resolve(_ path: String, relativeTo source: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        return URL(fileURLWithPath: source).deletingLastPathComponent().appendingPathComponent(path).path
    }

    private static func nonEmptyText(_ field: ConfigurationField) throws(CoordinatorConfigurationError) -> String {
        let text = try field.text().trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw field.error("\(field.path) must not be empty") }
        return text
    }

    /// Whole minutes from 1 to a week.
    private static func minutes(_ field: ConfigurationField) throws(CoordinatorConfigurationError) -> Duration {
        let number = try field.number()
        guard number.isFinite, number >= 1, number <= 10_080, number == number.rounded() else {
            throw field.error("\(field.path) must be a whole number of minutes from 1 to 10080")
        }
        return .seconds(Int64(number) * 60)
    }
}
