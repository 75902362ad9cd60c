import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Shared

/// Accepts agent connections and runs each in its own child task, so one agent's trouble stays its own.
struct AgentListener: Service {
    let address: HostPort
    let sessionSettings: AgentSession.Settings
    let fleet: FleetState
    let registry: AgentRegistry
    let observer: (any ReportObserver)?
    let commands: (any CommandChannel)?
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger
    /// Called once with the bound address (useful with port 0).
    let onBound: @Sendable (SocketAddress) async -> Void

    init(
        address: HostPort,
        sessionSettings: AgentSession.Settings,
        fleet: FleetState,
        registry: AgentRegistry,
        observer: (any ReportObserver)? = nil,
        commands: (any CommandChannel)? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger,
        onBound: @escaping @Sendable (SocketAddress) async -> Void = { _ in }
    ) {
        self.address = address
        self.sessionSettings = sessionSettings
        self.fleet = fleet
        self.registry = registry
        self.observer = observer
        self.commands = commands
        self.eventLoopGroup = eventLoopGroup
        var logger = logger
        logger[metadataKey: MetadataKeys.component] = "agent-listener"
        self.logger = logger
        self.onBound = onBound
    }

    func run() async throws {
        let server: NIOAsyncChannel<NIOAsyncChannel<WireMessage, WireMessage>, Never>
        do {
            server = try await bind(limits: sessionSettings.limits)
        } catch {
            throw ListenerError.cannotBind(address: "\(address)", purpose: "agents", reason: "\(error)")
        }
        if let bound = server.channel.localAddress {
            logger.info("listening for agents", metadata: [MetadataKeys.address: "\(bound)"])
            await onBound(bound)
        }
        let session = AgentSession(
            settings: sessionSettings,
            fleet: fleet,
            registry: registry,
            observer: observer,
            commands: commands,
            logger: logger
        )
        try await server.executeThenClose { connections in
            await withDiscardingTaskGroup { group in
                do {
                    for try await connection in connections.cancelOnGracefulShutdown() {
                        group.addTask { await session.run(connection) }
                    }
                } catch {
                    logger.error("agent listener stopped accepting", metadata: [MetadataKeys.error: "\(error)"])
                }
            }
        }
    }

    private func bind(
        limits: WireLimits
    ) async throws -> NIOAsyncChannel<NIOAsyncChannel<WireMessage, WireMessage>, Never> {
        try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: address.host, port: address.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try WirePipeline.addHandlers(to: channel.pipeline.syncOperations, limits: limits)
                    return try NIOAsyncChannel<WireMessage, WireMessage>(wrappingChannelSynchronously: channel)
                }
            }
    }
}

/// A listener that could not start, naming the address so the operator knows which port is taken.
enum ListenerError: Error, CustomStringConvertible {
    case cannotBind(address: String, purpose: String, reason: String)

    var description: String {
        switch self {
        case .cannotBind(let address, let purpose, let reason): "cannot listen for \(purpose) on \(address): \(reason)"
        }
    }
}
