import Foundation
import Hummingbird

/// `/api/v1/remediation` (status, pause, resume) and `/api/v1/approvals/{id}`: people over the automatic fixes.
struct RemediationRoutes {
    let operations: any RemediationOperations

    /// `POST …/pause`, `…/resume`, `/api/v1/approvals/{id}`.
    struct PersonBody: Codable, Hashable, Sendable {
        var by: String
    }

    func register(on router: Router<APIRequestContext>) {
        router.get("/api/v1/remediation") { _, _ -> RemediationStatus in
            await operations.status()
        }
        router.post("/api/v1/remediation/pause") { request, _ -> RemediationStatus in
            let body = try await JSONBody.decode(PersonBody.self, from: request)
            await operations.pause(by: try IncidentRoutes.checkedName(body.by, field: "by"))
            return await operations.status()
        }
        router.post("/api/v1/remediation/resume") { request, _ -> RemediationStatus in
            let body = try await JSONBody.decode(PersonBody.self, from: request)
            await operations.resume(by: try IncidentRoutes.checkedName(body.by, field: "by"))
            return await operations.status()
        }
        router.post("/api/v1/approvals/:id") { request, context -> RemediationCommand in
            let approval = try context.parameters.require("id")
            let body = try await JSONBody.decode(PersonBody.self, from: request)
            let person = try IncidentRoutes.checkedName(body.by, field: "by")
            do {
                return try await operations.approve(approval.removingPercentEncoding ?? approval, by: person)
            } catch let error as RemediationError {
                switch error {
                case .unknownApproval: throw HTTPError(.notFound, message: error.description)
                case .unavailable: throw HTTPError(.serviceUnavailable, message: error.description)
                }
            }
        }
    }
}

extension RemediationStatus: ResponseEncodable {}
extension RemediationCommand: ResponseEncodable {}
