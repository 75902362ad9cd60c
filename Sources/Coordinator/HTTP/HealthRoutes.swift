import Foundation
import Hummingbird
import Shared

/// `/api/health`: whether the coordinator and its database answer, for load balancers and people alike.
struct HealthRoutes {
    let fleet: FleetState
    let registry: AgentRegistry
    let store: any NodeStore
    var detection: (any DetectionOverview)?
    var notifications: (any NotificationOverview)?

    struct HealthResponse: ResponseEncodable, Codable, Equatable {
        var status: String
        var version: String
        var database: String
        var agentsConnected: Int
        var nodesKnown: Int
        var agentSessions: AgentRegistry.Counters
        /// Rules, alerts, open incidents, unwritten changes and detection latency; absent without detection.
        var detection: DetectionStatus?
        /// Notifications waiting and how each channel fared last; absent without notifications.
        var notifications: NotificationStatus?
    }

    func register(on router: Router<APIRequestContext>) {
        router.get("/api/health") { _, _ -> Response in
            try await health()
        }
    }

    private func health() async throws -> Response {
        var database = "ok"
        do {
            try await store.checkHealth()
        } catch {
            database = "error: \(error)"
        }
        let body = HealthResponse(
            status: database == "ok" ? "ok" : "degraded",
            version: VigilVersion.current,
            database: database,
            agentsConnected: await registry.liveCount,
            nodesKnown: await fleet.summaries().count,
            agentSessions: await registry.counters,
            detection: await detection?.status(),
            notifications: await notifications?.status()
        )
        let data = try APIJSON.makeEncoder().encode(body)
        return Response(
            status: database == "ok" ? .ok : .serviceUnavailable,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
