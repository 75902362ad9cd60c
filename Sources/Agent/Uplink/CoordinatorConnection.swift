import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Shared

/// Keeps the agent connected to its coordinator: connects, holds a session, and after any failure waits
/// with jittered exponential backoff and tries again, for as long as the agent runs.
struct CoordinatorConnection: Service {
    struct Settings: Sendable {
        var coordinator: HostPort
        var hello: Hello
        var limits: WireLimits
        var connectTimeout: Duration
        var backoffInitial: Duration
        var backoffMaximum: Duration
    }

    let settings: Settings
    let buffer: ReportBuffer
    let catalog: SeriesCatalog
    let statistics: UplinkStatistics
    let commands: CommandExecutor?
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger

    init(
        settings: Settings,
        buffer: ReportBuffer,
        catalog: SeriesCatalog,
        statistics: UplinkStatistics,
        commands: CommandExecutor? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.settings = settings
        self.buffer = buffer
        self.catalog = catalog
        self.statistics = statistics
        self.commands = commands
        self.eventLoopGroup = eventLoopGroup
        var logger = logger
        logger[metadataKey: MetadataKeys.component] = "uplink"
        self.logger = logger
    }

    func run() async throws {
        var backoff = Backoff(initial: settings.backoffInitial, maximum: settings.backoffMaximum)
        var generator = SystemRandomNumberGenerator()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let outcome = await runOneSession()
            switch outcome {
            case .stopped:
                return
            case .ended(let wasEstablished, let isRetryable, let reason):
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                if wasEstablished { backoff.reset() }
                // A refusal that retrying cannot fix waits the longest delay: the agent keeps trying, so it
                // recovers on its own once the coordinator is upgraded, without hammering it meanwhile.
                let delay = isRetryable ? backoff.nextDelay(using: &generator) : backoff.maximum
                logger.warning(
                    "coordinator connection lost; retrying",
                    metadata: [
                        MetadataKeys.address: "\(settings.coordinator)",
                        MetadataKeys.reason: "\(reason)",
                        MetadataKeys.delay: "\(delay)",
                    ]
                )
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
                } catch {
                    return
                }
            }
        }
    }

    private enum SessionOutcome {
        case stopped
        case ended(wasEstablished: Bool, isRetryable: Bool, reason: String)
    }

    private func runOneSession() async -> SessionOutcome {
        let channel: NIOAsyncChannel<WireMessage, WireMessage>
        do {
            channel = try await connect()
        } catch {
            return .ended(wasEstablished: false, isRetryable: true, reason: "connect failed: \(error)")
        }
        statistics.recordConnectAttempt()
        let session = UplinkSession(
            hello: settings.hello,
            buffer: buffer,
            catalog: catalog,
            statistics: statistics,
            commands: commands,
            logger: logger
        )
        let result = await session.run(on: channel)
        switch result {
        case .shutdown: return .stopped
        case .failed(let wasEstablished, let reason):
            return .ended(wasEstablished: wasEstablished, isRetryable: true, reason: reason)
        case .refusedForGood(let reason):
            return .ended(wasEstablished: false, isRetryable: false, reason: reason)
        }
    }

    private func connect() async throws -> NIOAsyncChannel<WireMessage, WireMessage> {
        let limits = settings.limits
        return try await ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(TimeAmount(settings.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: settings.coordinator.host, port: settings.coordinator.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try WirePipeline.addHandlers(to: channel.pipeline.syncOperations, limits: limits)
                    return try NIOAsyncChannel<WireMessage, WireMessage>(wrappingChannelSynchronously: channel)
                }
            }
    }
}
