/// The names a template may use, so that a misspelt name in an override is refused at start instead of
/// rendering as nothing in the middle of an incident. docs/MESSAGES.md lists the same names; change both together.
struct TemplateVocabulary: Sendable {
    /// What a name stands for, which decides the names valid inside a section opened on it.
    indirect enum Entry: Sendable {
        /// Text or a flag; inside its section `.` is the text.
        case value
        /// A list of text; inside its section `.` is one item.
        case textList
        /// A list of records; inside its section their fields are names too.
        case recordList(fields: [String: Entry])
    }

    let entries: [String: Entry]

    /// The names every message kind may use; `page` adds the paged person's.
    static func message(_ kind: MessageKind) -> TemplateVocabulary {
        var entries: [String: Entry] = [:]
        for name in messageValues { entries[name] = .value }
        for name in messageLists { entries[name] = .textList }
        if kind == .page {
            for name in pageValues { entries[name] = .value }
        }
        return TemplateVocabulary(entries: entries)
    }

    static let messageValues = [
        "incident_id", "incident_kind", "title", "severity", "peak_severity", "service", "status", "impact",
        "customer_impact", "affected_nodes", "commander", "acknowledged_by", "acknowledged_at", "war_room",
        "status_page", "started_at", "ended_at", "duration", "next_update", "response_due", "root_cause",
        "resolution", "resolved_by", "impact_metrics", "update_time", "update_status", "update_author",
        "current_impact", "eta", "postmortem_link", "ack_command", "now",
    ]
    static let messageLists = ["open_readings", "peak_readings", "actions_taken", "next_steps"]
    static let pageValues = ["paged_person", "paged_role", "paged_step"]

    static let postmortem: TemplateVocabulary = {
        var entries: [String: Entry] = [:]
        for name in postmortemValues { entries[name] = .value }
        for name in ["open_readings", "peak_readings"] { entries[name] = .textList }
        entries["timeline"] = .recordList(fields: values(timelineFields))
        entries["commands"] = .recordList(fields: values(commandFields))
        var updateFields = values(statusUpdateFields)
        updateFields["actions_taken"] = .textList
        updateFields["next_steps"] = .textList
        entries["status_updates"] = .recordList(fields: updateFields)
        entries["links"] = .recordList(fields: values(linkFields))
        return TemplateVocabulary(entries: entries)
    }()

    static let postmortemValues = [
        "incident_id", "incident_kind", "title", "severity", "peak_severity", "service", "date", "authors",
        "postmortem_status", "due", "started_at", "ended_at", "duration", "impact", "affected_nodes", "root_cause",
        "resolution", "resolved_by", "resolved_at", "final_update", "commander", "acknowledged_by", "war_room",
        "status_page", "postmortem_link", "time_zone", "now",
    ]
    static let timelineFields = ["time", "actor", "message", "event"]
    static let commandFields = [
        "issued_at", "action", "node", "parameters", "issued_by", "outcome", "finished_at", "is_dry_run",
    ]
    /// Besides `actions_taken` and `next_steps`, lists of text.
    static let statusUpdateFields = ["time", "status", "author", "message", "eta"]
    static let linkFields = ["label", "url"]

    private static func values(_ names: [String]) -> [String: Entry] {
        Dictionary(uniqueKeysWithValues: names.map { ($0, Entry.value) })
    }

    /// The vocabulary of a template by its name.
    static func of(_ name: TemplateName) -> TemplateVocabulary {
        switch name {
        case .message(let kind): message(kind)
        case .postmortem: postmortem
        }
    }
}
