import Foundation
import Shared

/// The `messages:` section of the coordinator's configuration: where the war room and status page are, when the
/// next update is due, which time zone people read, and templates that replace the built-in ones.
struct MessageSettings: Sendable, Equatable {
    /// Put before the incident's opening time and number to name its war room: `#incident-20250131-0800-42`.
    var warRoomPrefix = "#incident-"
    var statusPageURL = "https://status.yourapp.com"
    /// The postmortem's link for "Follow-up"; `{id}` in it becomes the incident's number. Nil: messages name the
    /// `vigil postmortem` command instead.
    var postmortemURL: String?
    /// Times in messages and postmortems are written in this zone.
    var timeZone: TimeZone = .gmt
    /// How long until the next status update is promised, by severity: SEV-1 every 30 minutes, SEV-2 every hour,
    /// SEV-3 every 4 hours, SEV-4 once a day. The playbook asks for regular updates without numbers; these follow
    /// its response times (5, 15, 30 minutes, 4 hours) at a pace a war room can keep.
    var updateIntervals: [Severity: Duration] = Self.defaultUpdateIntervals
    /// Links listed under the postmortem's "Supporting Information", in the order given, such as `Dashboards`.
    var links: [Link] = []
    /// Templates read from files at start, replacing the built-in ones of the same name.
    var templateOverrides: [TemplateName: TemplateSource] = [:]

    static let defaultUpdateIntervals: [Severity: Duration] = [
        .sev1: .seconds(30 * 60),
        .sev2: .seconds(60 * 60),
        .sev3: .seconds(4 * 60 * 60),
        .sev4: .seconds(24 * 60 * 60),
    ]

    /// A labelled link, such as `Dashboards: https://grafana.example.com/d/checkout`.
    struct Link: Hashable, Sendable {
        var label: String
        var url: String
    }

    /// How long after the latest update the next one is promised for an incident of `severity`.
    func updateInterval(for severity: Severity) -> Duration {
        updateIntervals[severity] ?? Self.defaultUpdateIntervals[severity] ?? .seconds(60 * 60)
    }

    /// The postmortem's link for an incident, or nil without `postmortem_url`.
    func postmortemLink(for id: IncidentID) -> String? {
        postmortemURL.map { $0.replacingOccurrences(of: "{id}", with: id.description) }
    }
}

/// A template's text and the file it came from, checked when the configuration was read.
struct TemplateSource: Hashable, Sendable {
    /// The file as the configuration names it, for messages.
    var path: String
    var text: String
}
