import Foundation
import Hummingbird
import Shared

/// `/api/v1/oncall…`: who holds each role now or at a given time, and who an incident would page.
struct OnCallRoutes {
    let roster: OnCallRoster

    static let expectedTime = "use an ISO 8601 time such as 2026-11-29T03:00:00Z, now, or a delay such as +2h"

    /// `GET /api/v1/oncall`.
    struct Listing: Codable, Hashable, Sendable {
        var at: Date
        var assignments: [OnCallRoster.Assignment]
    }

    /// `GET /api/v1/oncall/simulate`.
    struct Simulation: Codable, Hashable, Sendable {
        var severity: Severity
        var at: Date
        var role: String
        var steps: [OnCallRoster.SimulatedStep]
    }

    func register(on router: Router<APIRequestContext>) {
        router.get("/api/v1/oncall") { request, _ -> Listing in
            let at = try Self.time(request, now: Date())
            let role = try Self.name(request, "role")
            return Listing(at: at, assignments: try roster.assignments(at: at, role: role))
        }
        router.get("/api/v1/oncall/simulate") { request, _ -> Simulation in
            let query = request.uri.queryParameters
            guard let text = query["severity"].map(String.init) else {
                throw HTTPError(.badRequest, message: "missing query parameter severity: give 1 to 4 or SEV-1 to SEV-4")
            }
            guard let severity = Severity(text: text) else {
                throw APIInputError.invalidParameter(name: "severity", value: text, expected: "use 1 to 4 or SEV-1 to SEV-4")
            }
            let at = try Self.time(request, now: Date())
            let (role, steps) = try roster.simulate(
                severity: severity,
                at: at,
                role: try Self.name(request, "role"),
                kind: try Self.name(request, "kind").map { IncidentKind($0) },
                service: try Self.name(request, "service")
            )
            return Simulation(severity: severity, at: at, role: role, steps: steps)
        }
    }

    /// A role, kind or service as a query gives it: a name, not a paragraph, so that an error naming it stays
    /// one line.
    private static func name(_ request: Request, _ parameter: String) throws -> String? {
        guard let value = request.uri.queryParameters[Substring(parameter)] else { return nil }
        let text = String(value)
        let isOneWord = text.unicodeScalars.allSatisfy { scalar in
            !scalar.properties.isWhitespace && scalar.properties.generalCategory != .control
        }
        guard (1...128).contains(text.count), isOneWord else {
            throw APIInputError.invalidParameter(
                name: parameter,
                value: text,
                expected: "use a name of 1 to 128 characters without spaces"
            )
        }
        return text
    }

    private static func time(_ request: Request, now: Date) throws -> Date {
        guard let text = request.uri.queryParameters["at"].map(String.init) else { return now }
        guard let date = SilenceRoutes.time(text, now: now) else {
            throw APIInputError.invalidParameter(name: "at", value: text, expected: expectedTime)
        }
        return date
    }
}

extension OnCallRoutes.Listing: ResponseEncodable {}
extension OnCallRoutes.Simulation: ResponseEncodable {}

extension OnCallRosterError: HTTPResponseError {
    /// An unknown role is a wrong query parameter.
    var status: HTTPResponse.Status { .badRequest }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try HTTPError(status, message: description).response(from: request, context: context)
    }
}
