import Foundation
import Hummingbird

/// `/api/v1/incidents/{id}/…` for people: status updates, messages, the postmortem, what was sent to whom,
/// and silences bound to the incident.
struct PeopleRoutes {
    let operations: any PeopleOperations

    /// `POST …/updates`; the status is text so a wrong one is refused with its value named.
    struct UpdateBody: Codable, Hashable, Sendable {
        var status: String
        var message: String
        var actionsTaken: [String]?
        var nextSteps: [String]?
        var eta: String?
        var by: String
    }

    /// `POST …/silence`.
    struct SilenceBody: Codable, Hashable, Sendable {
        /// How long, such as `2h`.
        var duration: String
        var by: String
        var reason: String?
    }

    /// `POST …/postmortem`: only `final` can be set; a draft is created by resolution.
    struct PostmortemBody: Codable, Hashable, Sendable {
        var status: String
        var by: String
    }

    /// `GET …/messages/{kind}`.
    struct MessageAnswer: Codable, Hashable, Sendable {
        var kind: String
        var subject: String?
        var text: String
    }

    func register(on router: Router<APIRequestContext>) {
        router.post("/api/v1/incidents/:id/updates") { request, context -> Response in
            let id = try IncidentRoutes.incidentID(in: context)
            let body = try await JSONBody.decode(UpdateBody.self, from: request)
            guard let status = IncidentStatus(text: body.status) else {
                throw APIInputError.invalidParameter(
                    name: "status",
                    value: body.status,
                    expected: "use INVESTIGATING, IDENTIFIED, MONITORING or RESOLVED"
                )
            }
            let draft = StatusUpdateDraft(
                status: status,
                message: body.message,
                actionsTaken: body.actionsTaken ?? [],
                nextSteps: body.nextSteps ?? [],
                eta: body.eta,
                by: try IncidentRoutes.checkedName(body.by, field: "by")
            )
            var response = try APIJSON.response(try await operations.postUpdate(id, draft: draft))
            response.status = .created
            return response
        }
        router.get("/api/v1/incidents/:id/messages/:kind") { _, context -> MessageAnswer in
            let id = try IncidentRoutes.incidentID(in: context)
            let raw = try context.parameters.require("kind")
            guard let kind = MessageKind(rawValue: raw) else {
                throw APIInputError.invalidParameter(
                    name: "kind",
                    value: raw,
                    expected: "use " + MessageKind.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
            let message = try await operations.message(id, kind: kind)
            return MessageAnswer(kind: message.kind.rawValue, subject: message.subject, text: message.text)
        }
        router.get("/api/v1/incidents/:id/postmortem") { _, context -> PostmortemDocument in
            try await operations.postmortem(try IncidentRoutes.incidentID(in: context))
        }
        router.post("/api/v1/incidents/:id/postmortem") { request, context -> PostmortemDraft in
            let id = try IncidentRoutes.incidentID(in: context)
            let body = try await JSONBody.decode(PostmortemBody.self, from: request)
            guard body.status.lowercased() == "final" else {
                throw APIInputError.invalidParameter(name: "status", value: body.status, expected: "only final can be set")
            }
            return try await operations.finalizePostmortem(id, by: try IncidentRoutes.checkedName(body.by, field: "by"))
        }
        router.get("/api/v1/incidents/:id/notifications") { _, context -> IncidentCommunications in
            try await operations.communications(of: try IncidentRoutes.incidentID(in: context))
        }
        router.post("/api/v1/incidents/:id/silence") { request, context -> Response in
            let id = try IncidentRoutes.incidentID(in: context)
            let body = try await JSONBody.decode(SilenceBody.self, from: request)
            guard case .ago(let duration)? = TimeBound(text: body.duration), duration > .zero else {
                throw APIInputError.invalidParameter(
                    name: "duration",
                    value: body.duration,
                    expected: SilenceRoutes.expectedDuration
                )
            }
            let silence = try await operations.silence(
                id,
                for: duration,
                by: try IncidentRoutes.checkedName(body.by, field: "by"),
                reason: body.reason
            )
            var response = try APIJSON.response(silence)
            response.status = .created
            return response
        }
    }
}

extension StatusUpdate: ResponseEncodable {}
extension PostmortemDocument: ResponseEncodable {}
extension PostmortemDraft: ResponseEncodable {}
extension IncidentCommunications: ResponseEncodable {}
extension PeopleRoutes.MessageAnswer: ResponseEncodable {}

extension PeopleError: HTTPResponseError {
    var status: HTTPResponse.Status {
        switch self {
        case .incident(let error): error.status
        case .invalid: .badRequest
        case .cannotRender: .conflict
        case .unavailable: .serviceUnavailable
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try HTTPError(status, message: description).response(from: request, context: context)
    }
}
