import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Shared

@testable import Coordinator

/// The coordinator's real HTTP server on an ephemeral loopback port, with a stand-in incident engine behind
/// it and nothing else: no agents, no SQLite.
enum IncidentAPIServer {
    /// Runs the server for the duration of `body`, which gets the CLI's client pointed at it; then stops it.
    static func withRunning<T: Sendable>(
        operations: any IncidentOperations,
        _ body: @Sendable (APIClient) async throws -> T
    ) async throws -> T {
        let logger = Logger(label: "incident-api-test", factory: { _ in SwiftLogNoOpLogHandler() })
        let (bound, boundContinuation) = AsyncStream<SocketAddress>.makeStream()
        let api = APIServer(
            address: HostPort(host: "127.0.0.1", port: 0),
            fleet: FleetState(),
            registry: AgentRegistry(),
            store: NoNodes(),
            incidents: operations,
            logger: logger,
            onBound: { boundContinuation.yield($0) }
        )
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [.init(service: api)], logger: logger)
        )
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var port: Int?
            for await address in bound {
                port = address.port
                break
            }
            guard let port else {
                await group.triggerGracefulShutdown()
                throw CoordinatorTestError.didNotStart
            }
            let result: T
            do {
                result = try await body(APIClient(baseURL: "http://127.0.0.1:\(port)"))
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }
}

/// The health route's node store, empty: these tests are about incidents.
private struct NoNodes: NodeStore {
    func loadNodes() async throws -> [StoredNode] { [] }
    func saveNodes(_ nodes: [StoredNode]) async throws {}
    func checkHealth() async throws {}
}
