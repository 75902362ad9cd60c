import Foundation
import Hummingbird
import NIOCore

/// `/api/v1/incidents…`: what operators read about incidents and the changes they make, through
/// `IncidentOperations`. Input is checked here; whether a change fits the incident's state is the engine's call.
struct IncidentRoutes {
    /// Bodies are a name and a few paragraphs; a bigger one is refused before it is held in memory.
    static let maximumBodyBytes = JSONBody.maximumBytes

    let operations: any IncidentOperations
    /// The clock that relative times such as `since=24h` count back from.
    var now: @Sendable () -> Date = { Date() }

    func register(on router: Router<APIRequestContext>) {
        router.get("/api/v1/incidents") { request, _ -> IncidentList in
            let parameters = try IncidentListParameters(
                status: Self.query(request, "status"),
                severity: Self.query(request, "severity"),
                since: Self.query(request, "since"),
                limit: Self.query(request, "limit")
            )
            return IncidentList(incidents: try await operations.incidents(matching: parameters.query(now: now())))
        }
        // Before `:id`: the router tries siblings in the order they were added, and "stats" is not an id.
        router.get("/api/v1/incidents/stats") { request, _ -> StatisticsList in
            let since = try Self.query(request, "since").map(IncidentListParameters.since(from:))
            return StatisticsList(severities: try await operations.statistics(since: since?.date(relativeTo: now())))
        }
        router.get("/api/v1/incidents/:id") { _, context -> IncidentDetail in
            try await operations.detail(of: Self.incidentID(in: context))
        }
        registerChanges(on: router)
    }

    private func registerChanges(on router: Router<APIRequestContext>) {
        router.post("/api/v1/incidents/:id/ack") { request, context -> Incident in
            let id = try Self.incidentID(in: context)
            let body = try await Self.decode(AcknowledgeBody.self, from: request)
            return try await operations.acknowledge(id, by: Self.checkedName(body.by, field: "by"))
        }
        router.post("/api/v1/incidents/:id/status") { request, context -> Incident in
            let id = try Self.incidentID(in: context)
            let body = try await Self.decode(StatusBody.self, from: request)
            return try await operations.setStatus(
                id,
                to: Self.checkedStatus(body.status),
                by: Self.checkedName(body.by, field: "by"),
                note: Self.checkedOptionalText(body.note, field: "note")
            )
        }
        router.post("/api/v1/incidents/:id/resolve") { request, context -> Incident in
            let id = try Self.incidentID(in: context)
            let body = try await Self.decode(ResolveBody.self, from: request)
            return try await operations.resolve(
                id,
                by: Self.checkedName(body.by, field: "by"),
                rootCause: Self.checkedOptionalText(body.rootCause, field: "root_cause"),
                force: body.force ?? false
            )
        }
        router.post("/api/v1/incidents/:id/notes") { request, context -> Incident in
            let id = try Self.incidentID(in: context)
            let body = try await Self.decode(NoteBody.self, from: request)
            return try await operations.addNote(
                id,
                text: Self.checkedText(body.text, field: "text"),
                by: Self.checkedName(body.by, field: "by")
            )
        }
        router.post("/api/v1/incidents/:id/commander") { request, context -> Incident in
            let id = try Self.incidentID(in: context)
            let body = try await Self.decode(CommanderBody.self, from: request)
            return try await operations.assignCommander(
                id,
                to: Self.checkedName(body.commander, field: "commander"),
                by: Self.checkedName(body.by, field: "by")
            )
        }
    }

    /// Every value of the parameter, comma-joined, so `?status=A&status=B` means the same as `?status=A,B`.
    private static func query(_ request: Request, _ name: Substring) -> String? {
        let values = request.uri.queryParameters[values: name]
        return values.isEmpty ? nil : values.joined(separator: ",")
    }

    static func incidentID(in context: APIRequestContext) throws -> IncidentID {
        let raw = try context.parameters.require("id")
        let text = raw.removingPercentEncoding ?? raw
        guard let id = IncidentID(text: text) else {
            throw HTTPError(.badRequest, message: "invalid incident id \(APIInputError.quoted(text))")
        }
        return id
    }

    private static func decode<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        try await JSONBody.decode(type, from: request)
    }
}

extension IncidentRoutes.IncidentList: ResponseEncodable {}
extension IncidentRoutes.StatisticsList: ResponseEncodable {}
extension Incident: ResponseEncodable {}
extension IncidentDetail: ResponseEncodable {}
