import Shared

/// Why a message or postmortem cannot be rendered; the CLI prints the description as it is.
enum MessageError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The playbook sends the customers' first notice for SEV-1 and SEV-2 only.
    case customerNoticeNeedsHighSeverity(IncidentID, Severity)
    /// A resolution message for an incident that is still open.
    case incidentNotResolved(IncidentID, MessageKind)
    /// A page names the person paged and their role.
    case pageNeedsRecipient(IncidentID)
    /// A template given in settings that cannot be used (settings built in code rather than read from a file).
    case unusableTemplate(TemplateName, path: String, TemplateProblem)
    /// No template for a name the renderer was built without; a defect, reported rather than crashing.
    case templateMissing(TemplateName)

    var description: String {
        switch self {
        case .customerNoticeNeedsHighSeverity(let id, let severity):
            "incident \(id) is \(severity) at worst: customer-initial is sent for SEV-1 and SEV-2 incidents only"
        case .incidentNotResolved(let id, let kind):
            "incident \(id) is not resolved: a \(kind) message is sent once it is"
        case .pageNeedsRecipient(let id):
            "a page for incident \(id) needs the person paged and their escalation role"
        case .unusableTemplate(let name, let path, let problem):
            "template \(name) (\(path)): \(problem)"
        case .templateMissing(let name):
            "no template \(name) was loaded"
        }
    }
}
