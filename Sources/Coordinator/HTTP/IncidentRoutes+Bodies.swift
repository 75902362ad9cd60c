import Foundation

/// The incident API's JSON shapes, shared by the routes and the CLI that sends and reads them.
extension IncidentRoutes {
    /// Names (who acted, the commander) fit on a line; anything longer is a paste gone wrong.
    static let maximumNameLength = 100
    /// Notes, status notes and root causes: a few paragraphs, not a log file.
    static let maximumTextLength = 4_000

    /// `GET /api/v1/incidents`, newest first.
    struct IncidentList: Codable, Hashable, Sendable {
        var incidents: [Incident]
    }

    /// `GET /api/v1/incidents/stats`: one line per severity.
    struct StatisticsList: Codable, Hashable, Sendable {
        var severities: [SeverityStatistics]
    }

    /// `POST …/ack`.
    struct AcknowledgeBody: Codable, Hashable, Sendable {
        var by: String
    }

    /// `POST …/status`; the status is text so a wrong one is refused with its value named.
    struct StatusBody: Codable, Hashable, Sendable {
        var status: String
        var by: String
        var note: String?
    }

    /// `POST …/resolve`.
    struct ResolveBody: Codable, Hashable, Sendable {
        var by: String
        var rootCause: String?
        var force: Bool?
    }

    /// `POST …/notes`.
    struct NoteBody: Codable, Hashable, Sendable {
        var by: String
        var text: String
    }

    /// `POST …/commander`.
    struct CommanderBody: Codable, Hashable, Sendable {
        var by: String
        var commander: String
    }

    /// A person's name, trimmed; refused when empty or longer than `maximumNameLength`.
    static func checkedName(_ text: String, field: String) throws(APIInputError) -> String {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw .invalidField(name: field, reason: "must not be empty") }
        guard name.count <= maximumNameLength else {
            throw .invalidField(name: field, reason: "must be at most \(maximumNameLength) characters")
        }
        return name
    }

    /// A required text, trimmed; refused when empty or longer than `maximumTextLength`.
    static func checkedText(_ text: String, field: String) throws(APIInputError) -> String {
        guard let checked = try checkedOptionalText(text, field: field) else {
            throw .invalidField(name: field, reason: "must not be empty")
        }
        return checked
    }

    /// An optional text, trimmed; nil when absent or blank, refused when longer than `maximumTextLength`.
    static func checkedOptionalText(_ text: String?, field: String) throws(APIInputError) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        guard text.count <= maximumTextLength else {
            throw .invalidField(name: field, reason: "must be at most \(maximumTextLength) characters")
        }
        return text
    }

    /// A status name in any case; refused naming the value and the statuses there are.
    static func checkedStatus(_ text: String) throws(APIInputError) -> IncidentStatus {
        guard let status = IncidentStatus(text: text) else {
            let names = IncidentStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidParameter(name: "status", value: text, expected: "use one of \(names)")
        }
        return status
    }
}
