import Foundation
import Shared

/// The silence API's JSON shapes, shared by the routes and the CLI that sends and reads them.
extension SilenceRoutes {
    static let expectedStart = "use an ISO 8601 time such as 2025-01-31T08:00:00Z or a delay from now such as +30m"
    static let expectedDuration = "use a duration such as 90m, 2h or 1d"

    /// `GET /api/v1/silences`.
    struct SilenceList: Codable, Hashable, Sendable {
        var silences: [Silence]
    }

    /// `DELETE /api/v1/silences/{id}` and `POST …/{id}/remove`.
    struct RemoveBody: Codable, Hashable, Sendable {
        var by: String
    }

    /// `POST /api/v1/silences`; times are text so the server's clock resolves `+2h`, and a bad one is named.
    struct CreateBody: Codable, Hashable, Sendable {
        var node: String?
        var service: String?
        var kind: String?
        /// ISO 8601, `+30m`, or absent for now.
        var startsAt: String?
        /// How long from its start, such as `2h`; or `endsAt`.
        var duration: String?
        /// ISO 8601 or `+2h` from now; or `duration`.
        var endsAt: String?
        var by: String
        var reason: String

        /// The silence this asks for, with its times resolved against `now`; refused naming the field.
        func draft(now: Date) throws(APIInputError) -> SilenceDraft {
            var nodeID: NodeID?
            if let node {
                guard let valid = NodeID(node) else {
                    throw .invalidParameter(name: "node", value: node, expected: "use 1–128 of A-Z a-z 0-9 . _ - :")
                }
                nodeID = valid
            }
            let service = try service.map { text throws(APIInputError) in
                try IncidentRoutes.checkedName(text, field: "service")
            }
            let kind = try kind.map { text throws(APIInputError) in try IncidentRoutes.checkedName(text, field: "kind")
            }
            guard nodeID != nil || service != nil || kind != nil else {
                throw .malformedBody("a silence needs at least one of node, service or kind")
            }
            let start =
                try startsAt.map { text throws(APIInputError) in
                    guard let date = SilenceRoutes.time(text, now: now) else {
                        throw .invalidParameter(name: "starts_at", value: text, expected: SilenceRoutes.expectedStart)
                    }
                    return date
                } ?? now
            let end: Date
            switch (duration, endsAt) {
            case (let duration?, nil):
                guard case .ago(let length)? = TimeBound(text: duration), length > .zero else {
                    throw .invalidParameter(name: "duration", value: duration, expected: SilenceRoutes.expectedDuration)
                }
                end = start.addingTimeInterval(length.timeInterval)
            case (nil, let endsAt?):
                guard let date = SilenceRoutes.time(endsAt, now: now) else {
                    throw .invalidParameter(name: "ends_at", value: endsAt, expected: SilenceRoutes.expectedStart)
                }
                end = date
            case (.some, .some):
                throw .malformedBody("give duration or ends_at, not both")
            case (nil, nil):
                throw .malformedBody("missing field \"duration\" or \"ends_at\"")
            }
            guard end > start else { throw .invalidField(name: "ends_at", reason: "must be after starts_at") }
            guard end > now else { throw .invalidField(name: "ends_at", reason: "must be in the future") }
            return SilenceDraft(
                node: nodeID,
                service: service,
                kind: kind.map { IncidentKind($0) },
                startsAt: start,
                endsAt: end,
                createdBy: try IncidentRoutes.checkedName(by, field: "by"),
                reason: try IncidentRoutes.checkedText(reason, field: "reason")
            )
        }
    }

    /// `now`, an ISO 8601 time, or `+30m` from now; nil for anything else (a bare `30m` is ambiguous here).
    static func time(_ text: String, now: Date) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text == "now" { return now }
        if text.hasPrefix("+") {
            guard case .ago(let delay)? = TimeBound(text: String(text.dropFirst())) else { return nil }
            return now.addingTimeInterval(delay.timeInterval)
        }
        guard case .at(let date)? = TimeBound(text: text) else { return nil }
        return date
    }
}
