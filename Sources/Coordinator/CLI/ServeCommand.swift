import ArgumentParser
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Shared
import UnixSignals

/// `vigil serve`: the coordinator itself.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the coordinator: accept agents, keep the fleet's state, serve the API."
    )

    @Option(name: .long, help: "YAML configuration file.")
    var config: String?

    @Option(name: .long, help: "Data directory (default ./vigil-data).")
    var data: String?

    @Option(name: .customLong("agent-listen"), help: "Agent port as HOST:PORT (default 127.0.0.1:7400).")
    var agentListen: String?

    @Option(name: .customLong("http-listen"), help: "HTTP port as HOST:PORT (default 127.0.0.1:7401).")
    var httpListen: String?

    func validate() throws {
        for (flag, value) in [("--agent-listen", agentListen), ("--http-listen", httpListen)] {
            if let value, HostPort(value) == nil { throw ValidationError("\(flag) \"\(value)\" is not HOST:PORT") }
        }
        if let data, data.isEmpty { throw ValidationError("--data must not be empty") }
    }

    func run() async throws {
        var configuration = try config.map { path throws(CoordinatorConfigurationError) in
            try CoordinatorConfiguration.load(path: path)
        } ?? .defaults
        if let data { configuration.dataDirectory = data }
        if let address = agentListen.flatMap(HostPort.init) { configuration.agentListen = address }
        if let address = httpListen.flatMap(HostPort.init) { configuration.httpListen = address }
        let coordinator = try await CoordinatorRuntime.make(configuration: configuration, logger: Logger(label: "coordinator"))
        try await coordinator.run(announcing: ReadinessLine())
    }
}

/// Prints one line on stdout once both ports are bound, so scripts and tests can read the ports back.
actor ReadinessLine {
    private var agents: SocketAddress?
    private var http: SocketAddress?
    private var dataDirectory = ""

    func setDataDirectory(_ path: String) { dataDirectory = path }

    func agentsBound(_ address: SocketAddress) {
        agents = address
        printIfReady()
    }

    func httpBound(_ address: SocketAddress) {
        http = address
        printIfReady()
    }

    private func printIfReady() {
        guard let agents, let http, let agentPort = agents.port, let httpPort = http.port else { return }
        let line = "vigil serve: ready agents=\(agents.ipAddress ?? "?"):\(agentPort) "
            + "http=\(http.ipAddress ?? "?"):\(httpPort) data=\(dataDirectory)\n"
        var output = StandardOutput()
        output.write(line)
    }
}

/// The coordinator's services, built in dependency order: storage, then what feeds it, HTTP last.
struct CoordinatorRuntime {
    let configuration: CoordinatorConfiguration
    let database: CoordinatorDatabase
    let fleet: FleetState
    let registry: AgentRegistry
    let logger: Logger

    static func make(configuration: CoordinatorConfiguration, logger: Logger) async throws -> CoordinatorRuntime {
        let database = try CoordinatorDatabase.open(directory: configuration.dataDirectory)
        let fleet = FleetState(restoring: try await database.loadNodes())
        return CoordinatorRuntime(
            configuration: configuration,
            database: database,
            fleet: fleet,
            registry: AgentRegistry(),
            logger: logger
        )
    }

    func run(announcing readiness: ReadinessLine) async throws {
        await readiness.setDataDirectory(configuration.dataDirectory)
        let persistence = NodePersistence(
            fleet: fleet,
            store: database,
            interval: configuration.persistInterval,
            logger: logger
        )
        let listener = AgentListener(
            address: configuration.agentListen,
            sessionSettings: AgentSession.Settings(
                reportInterval: configuration.reportInterval,
                limits: configuration.limits
            ),
            fleet: fleet,
            registry: registry,
            logger: logger,
            onBound: { await readiness.agentsBound($0) }
        )
        let api = APIServer(
            address: configuration.httpListen,
            fleet: fleet,
            registry: registry,
            store: database,
            logger: logger,
            onBound: { await readiness.httpBound($0) }
        )
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: persistence), .init(service: listener), .init(service: api)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger
        )
        // Past this, a stuck service is cancelled rather than holding up a restart.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(10)
        let group = ServiceGroup(configuration: groupConfiguration)
        logger.info("coordinator starting", metadata: [MetadataKeys.path: "\(configuration.dataDirectory)"])
        try await group.run()
        logger.info("coordinator stopped")
    }
}
