import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import Shared
import UnixSignals

/// `vigil-agent run`: collect every interval and stream reports until SIGTERM or SIGINT.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Connect to the coordinator and stream reports until stopped."
    )

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let configuration = try options.resolve()
        var logger = Logger(label: "agent")
        logger[metadataKey: MetadataKeys.nodeID] = "\(configuration.nodeID)"
        let runtime = AgentRuntime(configuration: configuration, logger: logger)
        try await runtime.run()
    }
}

/// Builds the agent's services in dependency order and runs them until a shutdown signal.
struct AgentRuntime {
    let configuration: AgentConfiguration
    let logger: Logger

    func run() async throws {
        let catalog = SeriesCatalog()
        let buffer = ReportBuffer(limits: configuration.bufferLimits)
        let hello = Hello(
            nodeID: configuration.nodeID,
            agentVersion: VigilVersion.current,
            hostname: ProcessInfo.processInfo.hostName,
            labels: configuration.labels,
            incarnation: UInt64.random(in: 1...UInt64.max)
        )
        let connection = CoordinatorConnection(
            settings: CoordinatorConnection.Settings(
                coordinator: configuration.coordinator,
                hello: hello,
                limits: configuration.limits,
                connectTimeout: configuration.connectTimeout,
                backoffInitial: configuration.backoffInitial,
                backoffMaximum: configuration.backoffMaximum
            ),
            buffer: buffer,
            catalog: catalog,
            statistics: UplinkStatistics(),
            logger: logger
        )
        let collection = CollectionScheduler(
            collectors: configuration.collectors,
            reportInterval: configuration.reportInterval,
            buffer: buffer,
            catalog: catalog,
            logger: logger
        )
        logger.info(
            "agent starting",
            metadata: [MetadataKeys.address: "\(configuration.coordinator)", "version": "\(VigilVersion.current)"]
        )
        // Shutdown runs in reverse: collection stops first, then the connection flushes and says goodbye.
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                .init(service: connection),
                .init(service: collection),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger
        )
        // Past this, a stuck service is cancelled rather than holding up a restart.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        try await group.run()
        logger.info("agent stopped")
    }
}
