import Foundation
import Shared

/// Renders the playbook's messages and the postmortem for an incident, from the built-in templates or the files
/// that `messages.templates` puts in their place.
struct MessageRenderer: Sendable {
    let settings: MessageSettings
    private let templates: [TemplateName: MessageTemplate]
    private let readings: ReadingText

    /// - Parameter rules: the rules in effect, whose signals decide how readings are written (12%, 1.2 s).
    init(settings: MessageSettings, rules: [Rule] = DefaultRules.all) throws(MessageError) {
        self.settings = settings
        readings = ReadingText(rules: rules)
        var templates: [TemplateName: MessageTemplate] = [:]
        for name in TemplateName.allCases {
            let source = settings.templateOverrides[name]
            do {
                templates[name] = try MessageTemplate(name, text: source?.text ?? BuiltInTemplates.text(of: name))
            } catch {
                // The built-in ones parse (their tests say so); an error names them rather than crashing.
                throw .unusableTemplate(name, path: source?.path ?? "built-in", error)
            }
        }
        self.templates = templates
    }

    /// One message about an incident.
    /// - Parameters:
    ///   - updates: the incident's status updates, in any order; a status update reports the latest.
    ///   - recipient: for `page`, the person paged and their role; ignored by the other kinds.
    func render(
        _ kind: MessageKind,
        for detail: IncidentDetail,
        updates: [StatusUpdate] = [],
        recipient: PageRecipient? = nil,
        now: Date
    ) throws(MessageError) -> RenderedMessage {
        let incident = detail.incident
        if kind == .customerInitial, incident.peakSeverity < .sev2 {
            throw .customerNoticeNeedsHighSeverity(incident.id, incident.peakSeverity)
        }
        if kind.needsResolvedIncident, incident.status != .resolved {
            throw .incidentNotResolved(incident.id, kind)
        }
        if kind == .page, recipient == nil {
            throw .pageNeedsRecipient(incident.id)
        }
        let facts = MessageFacts(
            detail: detail,
            updates: updates,
            recipient: recipient,
            settings: settings,
            readings: readings,
            now: now
        )
        let text = try template(.message(kind)).render(facts.values(for: kind))
        let (subject, body) = Self.splitSubject(text)
        return RenderedMessage(kind: kind, subject: subject ?? Self.subject(kind, incident), text: body)
    }

    /// The postmortem document in Markdown.
    func postmortem(
        for detail: IncidentDetail,
        commands: [CommandDetail],
        updates: [StatusUpdate],
        status: PostmortemStatus,
        dueAt: Date? = nil,
        now: Date
    ) throws(MessageError) -> String {
        let facts = PostmortemFacts(
            detail: detail,
            commands: commands,
            updates: updates,
            status: status,
            dueAt: dueAt,
            settings: settings,
            readings: readings,
            now: now
        )
        return try template(.postmortem).render(facts.values)
    }

    /// Init parses a template for every name, so this only fails if that ever stops being true.
    private func template(_ name: TemplateName) throws(MessageError) -> MessageTemplate {
        guard let template = templates[name] else { throw .templateMissing(name) }
        return template
    }

    /// A first line `Subject: …` and the blank lines after it come off the text.
    static func splitSubject(_ text: String) -> (subject: String?, body: String) {
        let prefix = "Subject:"
        guard text.hasPrefix(prefix) else { return (nil, text) }
        let firstLine = text.prefix { $0 != "\n" }
        let subject = firstLine.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        let body = text.dropFirst(firstLine.count).drop { $0 == "\n" }
        return (subject.isEmpty ? nil : subject, String(body))
    }

    /// The subject of a message whose template gives none.
    static func subject(_ kind: MessageKind, _ incident: Incident) -> String {
        let severity = "[\(incident.severity)]"
        switch kind {
        case .initial: return "\(severity) INCIDENT DETECTED: \(incident.title)"
        case .statusUpdate: return "\(severity) INCIDENT UPDATE (\(incident.status)): \(incident.title)"
        case .resolution: return "\(severity) INCIDENT RESOLVED: \(incident.title)"
        case .customerInitial: return "Service Disruption Notification"
        case .customerResolution: return "Service Restored"
        case .page: return "\(severity) PAGE: incident \(incident.id), \(incident.title)"
        }
    }
}
