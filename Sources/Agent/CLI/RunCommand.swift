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
            allowedActions: configuration.actionPolicy.enabledActions.map(\.rawValue),
            incarnation: UInt64.random(in: 1...UInt64.max)
        )
        let commands = try makeCommandExecutor()
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
            commands: commands,
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
        // Shutdown runs in reverse: collection stops first; the executor lets running actions finish; then the
        // connection sends their results, flushes reports and says goodbye.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: connection)]
        if let commands { services.append(.init(service: commands)) }
        services.append(.init(service: collection))
        var groupConfiguration = ServiceGroupConfiguration(
            services: services,
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

    /// The executor, with its log opened in the state directory; nil when the policy enables nothing, so an
    /// agent without actions never needs a state directory.
    private func makeCommandExecutor() throws -> CommandExecutor? {
        let policy = configuration.actionPolicy
        guard !policy.enabledActions.isEmpty else { return nil }
        let log = try ExecutedCommandLog(directory: configuration.stateDirectory)
        if log.unreadableLines > 0 {
            logger.warning(
                "skipped unreadable lines of the executed-command log",
                metadata: [MetadataKeys.path: "\(log.path)", MetadataKeys.count: "\(log.unreadableLines)"]
            )
        }
        logger.info(
            "actions enabled",
            metadata: ["actions": "\(policy.enabledActions.map(\.rawValue).joined(separator: ","))"]
        )
        return CommandExecutor(nodeID: configuration.nodeID, policy: policy, log: log, logger: logger)
    }
}
