import Foundation
import HTTPTransfer
import Shared

@testable import Coordinator

/// A simulated agent whose checkout service fails: its reports take the error ratio to 10 %, which opens a
/// SEV-1 with the error-ratio rule.
enum FailingCheckout {
    /// An agent of service `checkout` sends three reports collected a second apart; the last brings the ratio to 10 %.
    static func send(to coordinator: InProcessCoordinator, node: String) async throws {
        try await TestAgent.withConnection(port: coordinator.agentPort) { agent in
            _ = try await agent.hello(node: node, labels: ["service": "checkout"])
            let requests = SeriesDescriptor(name: "app_requests_total", kind: .counter)
            let errors = SeriesDescriptor(name: "app_request_errors_total", kind: .counter)
            let now = Date()
            for (seq, point) in [(-2.0, 0.0, 0.0), (-1, 1000, 0), (0, 2000, 200)].enumerated() {
                try await agent.send(
                    .report(
                        Report(
                            seq: UInt64(seq + 1),
                            collectedAt: now.addingTimeInterval(point.0),
                            declarations: seq == 0
                                ? [
                                    SeriesDeclaration(id: SeriesID(1), series: requests),
                                    SeriesDeclaration(id: SeriesID(2), series: errors),
                                ]
                                : [],
                            samples: [
                                Sample(seriesID: SeriesID(1), value: .number(point.1)),
                                Sample(seriesID: SeriesID(2), value: .number(point.2)),
                            ]
                        )
                    )
                )
                _ = try await agent.receive()
            }
        }
    }

    static func waitForIncident(_ client: APIClient) async throws -> Incident {
        for _ in 0..<200 {
            if let incident = try await client.get("/api/v1/incidents", as: IncidentRoutes.IncidentList.self).incidents
                .first
            {
                return incident
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CoordinatorTestError.unexpected("no incident opened")
    }
}
