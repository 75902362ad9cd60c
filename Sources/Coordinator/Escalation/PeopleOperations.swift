import Foundation
import Shared

/// What operators ask of the people side of an incident: post a status update, see a message before it goes
/// out, the postmortem, who was paged and which notifications went where, and a silence bound to the incident.
protocol PeopleOperations: Sendable {
    /// Records the update (changing the incident's status when it differs) and sends it to the severity's
    /// channels and the people already paged.
    func postUpdate(_ id: IncidentID, draft: StatusUpdateDraft) async throws(PeopleError) -> StatusUpdate
    /// The message rendered as it would be sent now, without sending it.
    func message(_ id: IncidentID, kind: MessageKind) async throws(PeopleError) -> RenderedMessage
    /// The postmortem as Markdown, with its draft record when there is one.
    func postmortem(_ id: IncidentID) async throws(PeopleError) -> PostmortemDocument
    /// Marks the resolved incident's postmortem final (reviewed); it says `Status: Final` from then on.
    func finalizePostmortem(_ id: IncidentID, by person: String) async throws(PeopleError) -> PostmortemDraft
    /// Pages, notifications with their attempts, and status updates of the incident.
    func communications(of id: IncidentID) async throws(PeopleError) -> IncidentCommunications
    /// A silence on the incident's service and kind that ends when the incident resolves.
    func silence(_ id: IncidentID, for duration: Duration, by person: String, reason: String?) async throws(PeopleError)
        -> Silence
}

/// A status update as a person posts it.
struct StatusUpdateDraft: Hashable, Sendable, Codable {
    var status: IncidentStatus
    var message: String
    var actionsTaken: [String] = []
    var nextSteps: [String] = []
    var eta: String?
    var by: String
}

/// `vigil postmortem ID`.
struct PostmortemDocument: Hashable, Sendable, Codable {
    var incidentID: IncidentID
    var draft: PostmortemDraft?
    var markdown: String
}

/// `vigil notifications ID`: everything said to people about an incident.
struct IncidentCommunications: Hashable, Sendable, Codable {
    var incidentID: IncidentID
    var pages: [EscalationPage]
    var notifications: [OutboxNotificationDetail]
    var statusUpdates: [StatusUpdate]
    var postmortem: PostmortemDraft?
}

/// Why a people request failed, as one line.
enum PeopleError: Error, Equatable, CustomStringConvertible {
    case incident(IncidentOperationError)
    case invalid(String)
    case cannotRender(String)
    case unavailable(String)

    var description: String {
        switch self {
        case .incident(let error): error.description
        case .invalid(let reason), .cannotRender(let reason): reason
        case .unavailable(let reason): "the store is unavailable: \(reason)"
        }
    }
}
