import ArgumentParser
import Foundation
import Shared

/// The flags `run` and `once` share: which config file, and the values that override it.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "YAML configuration file.")
    var config: String?

    @Option(name: .long, help: "Coordinator agent port as HOST:PORT (default 127.0.0.1:7400).")
    var coordinator: String?

    @Option(name: .customLong("node-id"), help: "This node's id (default: the host name).")
    var nodeID: String?

    @Option(name: .customLong("label"), help: "A node label as KEY=VALUE; repeatable, overrides the file.")
    var labels: [String] = []

    @Option(name: .long, help: "Seconds between reports (default 1).")
    var interval: Double?

    @Option(name: .customLong("state-dir"), help: "Directory for the executed-command log (default /var/lib/vigil-agent).")
    var stateDirectory: String?

    func validate() throws {
        if let coordinator, HostPort(coordinator) == nil {
            throw ValidationError("--coordinator \"\(coordinator)\" is not HOST:PORT")
        }
        if let nodeID, NodeID(nodeID) == nil {
            throw ValidationError("--node-id \"\(nodeID)\" is invalid: use 1–128 of A-Z a-z 0-9 . _ - :")
        }
        for label in labels where label.firstIndex(of: "=").map({ $0 == label.startIndex }) ?? true {
            throw ValidationError("--label \"\(label)\" is not KEY=VALUE")
        }
        if let stateDirectory, !stateDirectory.hasPrefix("/") {
            throw ValidationError("--state-dir \"\(stateDirectory)\" must be an absolute path")
        }
        if let interval, Duration(configurationSeconds: interval) == nil {
            throw ValidationError("--interval must be above 0 and at most 86400 seconds")
        }
    }

    /// The file's configuration (or the defaults) with the flags applied.
    func resolve() throws -> AgentConfiguration {
        let hostname = ProcessInfo.processInfo.hostName
        var configuration =
            try config.map { path throws(ConfigurationError) in
                try AgentConfiguration.load(path: path, hostname: hostname)
            } ?? AgentConfiguration.defaults(hostname: hostname)
        if let address = coordinator.flatMap(HostPort.init) { configuration.coordinator = address }
        if let id = nodeID.flatMap(NodeID.init) { configuration.nodeID = id }
        for label in labels {
            guard let equals = label.firstIndex(of: "=") else { continue }
            configuration.labels[String(label[..<equals])] = String(label[label.index(after: equals)...])
        }
        if let interval = interval.flatMap(Duration.init(configurationSeconds:)) { configuration.reportInterval = interval }
        if let stateDirectory { configuration.stateDirectory = stateDirectory }
        return configuration
    }
}
