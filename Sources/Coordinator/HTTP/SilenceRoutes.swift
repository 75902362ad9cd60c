import Foundation
import Hummingbird

/// `/api/v1/silences…`: people add, list and remove silences and maintenance windows, which hold automatic
/// remediation for what they match.
struct SilenceRoutes {
    let operations: any SilenceOperations

    func register(on router: Router<APIRequestContext>) {
        router.post("/api/v1/silences") { request, _ -> Response in
            let body = try await JSONBody.decode(CreateBody.self, from: request)
            let now = Date()
            let silence = try await operations.add(try body.draft(now: now), now: now)
            var response = try APIJSON.response(silence)
            response.status = .created
            return response
        }
        router.get("/api/v1/silences") { request, _ -> SilenceList in
            let values = request.uri.queryParameters[values: "all"]
            let all: Bool
            switch values.last.map(String.init) {
            case nil, "false": all = false
            case "true": all = true
            case let other?:
                throw APIInputError.invalidParameter(name: "all", value: other, expected: "use true or false")
            }
            return SilenceList(silences: try await operations.silences(includingEnded: all, now: Date()))
        }
        router.delete("/api/v1/silences/:id") { request, context -> Silence in
            try await remove(request, context)
        }
        router.post("/api/v1/silences/:id/remove") { request, context -> Silence in
            try await remove(request, context)
        }
    }

    private func remove(_ request: Request, _ context: APIRequestContext) async throws -> Silence {
        let raw = try context.parameters.require("id")
        let id = SilenceID(raw.removingPercentEncoding ?? raw)
        let body = try await JSONBody.decode(RemoveBody.self, from: request)
        let person = try IncidentRoutes.checkedName(body.by, field: "by")
        return try await operations.remove(id, by: person, now: Date())
    }
}

extension Silence: ResponseEncodable {}
extension SilenceRoutes.SilenceList: ResponseEncodable {}
