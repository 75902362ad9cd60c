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
        var configuration =
            try config.map { path throws(CoordinatorConfigurationError) in
                try CoordinatorConfiguration.load(path: path)
            } ?? .defaults
        if let data { configuration.dataDirectory = data }
        if let address = agentListen.flatMap(HostPort.init) { configuration.agentListen = address }
        if let address = httpListen.flatMap(HostPort.init) { configuration.httpListen = address }
        let coordinator = try await CoordinatorRuntime.make(
            configuration: configuration,
            logger: Logger(label: "coordinator")
        )
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
        let line =
            "vigil serve: ready agents=\(agents.ipAddress ?? "?"):\(agentPort) "
            + "http=\(http.ipAddress ?? "?"):\(httpPort) data=\(dataDirectory)\n"
        var output = StandardOutput()
        output.write(line)
    }
}
