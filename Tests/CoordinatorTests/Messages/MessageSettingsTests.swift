import Foundation
import Shared
import Testing
import Yams

@testable import Coordinator

/// The `messages:` section and the template files it names: defaults, overrides, and one-line refusals that say
/// which file, which line and why.
@Suite struct MessageSettingsTests {
    static func parse(_ yaml: String, source: String = "c.yaml") throws -> MessageSettings {
        let root = try Yams.compose(yaml: yaml)
        let field = root?["messages"].map {
            ConfigurationField(node: $0, path: "messages", context: "", source: source)
        }
        return try MessageSettings.parse(field)
    }

    /// The error's description, or nil when the YAML is accepted.
    static func failure(_ yaml: String, source: String = "c.yaml") -> String? {
        do {
            _ = try parse(yaml, source: source)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Writes `text` as `name` in `directory` and returns the YAML that overrides `kind` with it.
    static func override(_ kind: String, with text: String, named name: String, in directory: String) throws -> String {
        try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        return "messages:\n  templates:\n    \(kind): \(name)\n"
    }

    // MARK: - Refusals

    @Test func aSyntaxErrorInATemplateNamesTheFileAndLine() throws {
        let directory = try TemporaryDirectory()
        let yaml = try Self.override(
            "initial",
            with: "Severity: {{severity}}\nService: {{service}}\n{{#actions_taken}}- {{.}}{{/next_steps}}\n",
            named: "initial.mustache",
            in: directory.path
        )
        #expect(
            Self.failure(yaml, source: directory.path + "/vigil.yaml")
                == "\(directory.path)/vigil.yaml: line 3: messages.templates.initial: \(directory.path)/initial.mustache: "
                + "line 3: syntax error: a section is closed with a name it was not opened with "
                + "in \"{{#actions_taken}}- {{.}}{{/next_steps}}\""
        )
    }

    @Test func aTagLeftOpenIsASyntaxErrorOnItsLine() throws {
        let directory = try TemporaryDirectory()
        let yaml = try Self.override(
            "status-update",
            with: "Time: {{update_time}}\nStatus: {{update_status}\n",
            named: "update.mustache",
            in: directory.path
        )
        let failure = try #require(Self.failure(yaml, source: directory.path + "/vigil.yaml"))
        #expect(failure.contains("update.mustache: line 2: syntax error: a tag's name is not finished"), "\(failure)")
    }

    @Test(arguments: [
        (
            "Severity: {{severity}}\n\nImpact: {{impakt}}\n",
            "line 3: unknown variable \"impakt\" (did you mean \"impact\"?)"
        ),
        ("{{#actions_taken}}\n- {{text}}\n{{/actions_taken}}\n", "line 2: unknown variable \"text\""),
        ("{{#war_rooms}}x{{/war_rooms}}\n", "line 1: unknown section \"war_rooms\" (did you mean \"war_room\"?)"),
        ("Paged: {{paged_person}}\n", "line 1: unknown variable \"paged_person\""),
        ("a\nb\n{{uppercased(servce)}}\n", "line 3: unknown variable \"servce\" (did you mean \"service\"?)"),
        ("{{shout(service)}}\n", "line 1: unknown transform \"shout\""),
        ("{{> header}}\n", "line 1: partials ({{>…}}) are not supported in message templates"),
        ("{{incident.id}}\n", "line 1: dotted name \"incident.id\" is not supported; open a section instead"),
        ("{{.}}\n", "line 1: \".\" is used outside a section: there is no current item"),
        ("\n{{#first()}}x{{/first()}}\n", "line 2: \"first()\" names nothing; position transforms such as first()"),
    ])
    func anUnknownNameIsRefusedWithItsLine(template: String, expected: String) throws {
        let directory = try TemporaryDirectory()
        let yaml = try Self.override("initial", with: template, named: "initial.mustache", in: directory.path)
        let failure = try #require(Self.failure(yaml, source: directory.path + "/vigil.yaml"))
        #expect(failure.hasPrefix("\(directory.path)/vigil.yaml: line 3: messages.templates.initial: "), "\(failure)")
        #expect(failure.contains("initial.mustache: \(expected)"), "\(failure)")
    }

    @Test func namesOfListItemsAreKnownOnlyInsideTheirSection() throws {
        let directory = try TemporaryDirectory()
        let inside = "{{#timeline}}\n- {{time}} {{actor}}: {{message}} ({{title}})\n{{/timeline}}\n"
        let yaml = try Self.override("postmortem", with: inside, named: "pm.mustache", in: directory.path)
        #expect(Self.failure(yaml, source: directory.path + "/vigil.yaml") == nil, "item fields and outer names")
        let outside = "{{#timeline}}{{time}}{{/timeline}}\n{{actor}}\n"
        let refused = try Self.override("postmortem", with: outside, named: "pm.mustache", in: directory.path)
        let failure = try #require(Self.failure(refused, source: directory.path + "/vigil.yaml"))
        #expect(failure.hasSuffix("pm.mustache: line 2: unknown variable \"actor\" (docs/MESSAGES.md lists the names)"))
    }

    @Test func anUnreadableTemplateFileIsRefused() throws {
        let directory = try TemporaryDirectory()
        let failure = try #require(
            Self.failure(
                "messages:\n  templates:\n    resolution: missing.mustache\n",
                source: directory.path + "/vigil.yaml"
            )
        )
        #expect(
            failure.hasPrefix(
                "\(directory.path)/vigil.yaml: line 3: messages.templates.resolution: cannot read "
                    + "\(directory.path)/missing.mustache: "
            ),
            "\(failure)"
        )
    }

    @Test(arguments: [
        (
            "messages:\n  templates:\n    escalation: e.mustache\n",
            "c.yaml: line 3: unknown template \"escalation\" (known: initial, status-update, resolution, "
                + "customer-initial, customer-resolution, page, postmortem)"
        ),
        (
            "messages:\n  time_zone: Mars/Olympus_Mons\n",
            "c.yaml: line 2: unknown time zone \"Mars/Olympus_Mons\"; use an IANA name such as UTC or Europe/Berlin"
        ),
        (
            "messages:\n  war_room: \"#inc\"\n",
            "c.yaml: line 2: unknown key \"messages.war_room\" (known: war_room_prefix, status_page_url, "
                + "postmortem_url, time_zone, update_interval_minutes, links, templates)"
        ),
        (
            "messages:\n  update_interval_minutes:\n    SEV-5: 10\n",
            "c.yaml: line 3: unknown severity \"SEV-5\" (known: SEV-1, SEV-2, SEV-3, SEV-4)"
        ),
        (
            "messages:\n  update_interval_minutes:\n    SEV-1: 0.5\n",
            "c.yaml: line 3: messages.update_interval_minutes.SEV-1 must be a whole number of minutes from 1 to 10080"
        ),
        (
            "messages:\n  war_room_prefix: \"#war room-\"\n",
            "c.yaml: line 2: messages.war_room_prefix must not contain spaces: it starts a channel name"
        ),
        ("messages:\n  status_page_url: \"\"\n", "c.yaml: line 2: messages.status_page_url must not be empty"),
    ])
    func badSettingsAreRefusedWithTheirLine(yaml: String, expected: String) {
        #expect(Self.failure(yaml) == expected)
    }

    // MARK: - Accepted

    @Test func withoutASectionTheDefaultsHold() throws {
        let settings = try Self.parse("data_dir: /tmp\n")
        #expect(settings == MessageSettings())
        #expect(settings.warRoomPrefix == "#incident-")
        #expect(settings.statusPageURL == "https://status.yourapp.com")
        #expect(settings.timeZone.identifier == TimeZone.gmt.identifier)
        #expect(settings.updateInterval(for: .sev1) == .seconds(1800))
        #expect(settings.updateInterval(for: .sev4) == .seconds(86_400))
        #expect(settings.templateOverrides.isEmpty)
    }

    @Test func everySettingIsRead() throws {
        let directory = try TemporaryDirectory()
        try "🚨 {{severity}} {{title}}\n".write(
            toFile: directory.path + "/initial.mustache",
            atomically: true,
            encoding: .utf8
        )
        let settings = try Self.parse(
            """
            messages:
              war_room_prefix: "#inc-"
              status_page_url: https://status.example.com
              postmortem_url: https://wiki.example.com/postmortems/{id}
              time_zone: Europe/Berlin
              update_interval_minutes:
                SEV-1: 15
                sev3: 120
              links:
                Dashboards: https://grafana.example.com/d/checkout
                Logs: https://logs.example.com/checkout
              templates:
                initial: initial.mustache
            """,
            source: directory.path + "/vigil.yaml"
        )
        #expect(settings.warRoomPrefix == "#inc-")
        #expect(settings.statusPageURL == "https://status.example.com")
        #expect(settings.postmortemLink(for: IncidentID(42)) == "https://wiki.example.com/postmortems/42")
        #expect(settings.timeZone.identifier == "Europe/Berlin")
        #expect(settings.updateInterval(for: .sev1) == .seconds(900))
        #expect(settings.updateInterval(for: .sev2) == .seconds(3600), "unchanged default")
        #expect(settings.updateInterval(for: .sev3) == .seconds(7200))
        #expect(settings.links.map(\.label) == ["Dashboards", "Logs"])
        let override = try #require(settings.templateOverrides[.message(.initial)])
        #expect(override.path == directory.path + "/initial.mustache")
        #expect(override.text == "🚨 {{severity}} {{title}}\n")
    }
}
