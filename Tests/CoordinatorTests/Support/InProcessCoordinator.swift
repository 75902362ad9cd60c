import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Shared

@testable import Coordinator

/// A coordinator running inside the test process on ephemeral loopback ports, with its SQLite in a
/// temporary directory: the real listener, sessions, fleet state, store and HTTP server.
struct InProcessCoordinator {
    let agentAddress: SocketAddress
    let httpPort: Int
    let fleet: FleetState
    let registry: AgentRegistry
    let database: CoordinatorDatabase
    let detection: DetectionEngine
    let commands: CommandDispatcher
    let escalator: Escalator
    let outbox: NotificationOutbox

    var agentPort: Int { agentAddress.port ?? 0 }

    static let testLimits = WireLimits(
        maximumFrameBytes: 1 << 20,
        frameDeadline: .milliseconds(300),
        idleTimeout: .seconds(10),
        pingInterval: .seconds(5)
    )

    /// Runs a coordinator for the duration of `body`, then shuts it down gracefully.
    static func withRunning<T: Sendable>(
        limits: WireLimits = testLimits,
        dataDirectory: String,
        rules: [Rule] = CoordinatorConfiguration.defaults.rules,
        runbooks: [Runbook] = [],
        remediation: RemediationSettings = RemediationSettings(),
        detection settings: DetectionSettings = DetectionSettings(),
        commandObserver: (any CommandResultObserver)? = nil,
        people: PeopleConfiguration? = nil,
        _ body: @Sendable (InProcessCoordinator) async throws -> T
    ) async throws -> T {
        let logger = Logger(label: "coordinator-test", factory: { _ in SwiftLogNoOpLogHandler() })
        var configuration = CoordinatorConfiguration.defaults
        configuration.agentListen = HostPort(host: "127.0.0.1", port: 0)
        configuration.httpListen = HostPort(host: "127.0.0.1", port: 0)
        configuration.dataDirectory = dataDirectory
        configuration.limits = limits
        configuration.persistInterval = .milliseconds(100)
        configuration.rules = rules
        // No runbooks unless a test asks: most tests watch detection or commands, not automatic fixes.
        configuration.runbooks = runbooks
        configuration.remediation = remediation
        configuration.detection = settings
        if let people {
            configuration.onCall = people.onCall
            configuration.notifications = people.notifications
            configuration.messages = people.messages
        }
        let runtime = try await CoordinatorRuntime.make(
            configuration: configuration,
            logger: logger,
            commandObserver: commandObserver
        )
        let fleet = runtime.fleet
        let registry = runtime.registry
        let database = runtime.database
        let detection = runtime.detection
        let commands = runtime.commands
        let (bound, boundContinuation) = AsyncStream<(String, SocketAddress)>.makeStream()
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: runtime.services(
                    onAgentsBound: { boundContinuation.yield(("agents", $0)) },
                    onHTTPBound: { boundContinuation.yield(("http", $0)) },
                    // Escalation pages only in tests that configure people; a test that scripts the clock ticks
                    // escalation and delivery itself.
                    runsEscalation: people.map { !$0.scriptedClock } ?? false
                ),
                logger: logger
            )
        )
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var addresses: [String: SocketAddress] = [:]
            for await (name, address) in bound {
                addresses[name] = address
                if addresses.count == 2 { break }
            }
            guard let agents = addresses["agents"], let http = addresses["http"]?.port else {
                await group.triggerGracefulShutdown()
                throw CoordinatorTestError.didNotStart
            }
            let coordinator = InProcessCoordinator(
                agentAddress: agents,
                httpPort: http,
                fleet: fleet,
                registry: registry,
                database: database,
                detection: detection,
                commands: commands,
                escalator: runtime.escalator,
                outbox: runtime.outbox
            )
            let result: T
            do {
                result = try await body(coordinator)
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

/// On-call, channels and messages for a test coordinator; with `scriptedClock`, the test drives escalation
/// and delivery itself (`escalator.tick(now:)`, `outbox.deliverDue(on:now:)`) instead of their services.
struct PeopleConfiguration: Sendable {
    var onCall: OnCallSettings = .playbook
    var notifications = NotificationSettings()
    var messages = MessageSettings()
    var scriptedClock = false
}

enum CoordinatorTestError: Error {
    case didNotStart
    case connectionClosed
    case unexpected(String)
}
