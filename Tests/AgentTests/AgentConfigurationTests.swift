import ArgumentParser
import Shared
import Testing

@testable import Agent

@Suite struct AgentConfigurationTests {
    @Test func emptyFileGivesTheDefaults() throws {
        let configuration = try AgentConfiguration.parse(yaml: "# nothing\n", source: "agent.yaml", hostname: "web 1")
        #expect(configuration.collectors.map(\.name) == ["system", "agent"])
        #expect(configuration.nodeID.rawValue == "web-1", "a host name with a space becomes a valid node id")
        #expect(configuration.coordinator == HostPort(host: "127.0.0.1", port: 7400))
        #expect(configuration.reportInterval == .seconds(1))
    }

    @Test func everyKeyIsRead() throws {
        let yaml = """
            node_id: web-1
            coordinator: vigil.internal:7500
            labels: {service: review-engine, role: web}
            report_interval_seconds: 0.5
            buffer: {max_reports: 100, max_bytes: 65536}
            reconnect: {initial_delay_seconds: 1, max_delay_seconds: 10, connect_timeout_seconds: 2}
            max_frame_bytes: 2048
            """
        let configuration = try AgentConfiguration.parse(yaml: yaml, source: "agent.yaml", hostname: "h")
        #expect(configuration.nodeID.rawValue == "web-1")
        #expect(configuration.coordinator == HostPort(host: "vigil.internal", port: 7500))
        #expect(configuration.labels == ["service": "review-engine", "role": "web"])
        #expect(configuration.reportInterval == .milliseconds(500))
        #expect(configuration.bufferLimits == .init(maximumReports: 100, maximumBytes: 65_536))
        #expect(configuration.backoffInitial == .seconds(1))
        #expect(configuration.backoffMaximum == .seconds(10))
        #expect(configuration.connectTimeout == .seconds(2))
        #expect(configuration.limits.maximumFrameBytes == 2048)
    }

    @Test(arguments: [
        ("cordinator: 127.0.0.1:7400\n", "agent.yaml: line 1: unknown key \"cordinator\""),
        ("buffer:\n  max_report: 5\n", "agent.yaml: line 2: unknown key \"buffer.max_report\""),
        ("coordinator: nowhere\n", "agent.yaml: coordinator \"nowhere\" is not HOST:PORT"),
        ("node_id: \"web 1\"\n", "agent.yaml: node_id \"web 1\" is invalid: use 1–128 of A-Z a-z 0-9 . _ - :"),
        ("report_interval_seconds: -1\n", "agent.yaml: report_interval_seconds must be a number of seconds above 0 and at most 86400"),
        ("buffer: {max_reports: 0}\n", "agent.yaml: buffer.max_reports must be positive"),
        ("reconnect: {initial_delay_seconds: 60}\n", "agent.yaml: reconnect.initial_delay_seconds exceeds reconnect.max_delay_seconds"),
        ("- just\n- a list\n", "agent.yaml: line 1: the file must be a mapping of keys to values"),
        ("report_interval_seconds: soon\n", "agent.yaml: line 1: report_interval_seconds: expected a number"),
    ])
    func badConfigurationIsNamedInOneLine(_ yaml: String, _ expected: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try AgentConfiguration.parse(yaml: yaml, source: "agent.yaml", hostname: "h")
        }
        let description = error?.description ?? ""
        #expect(description.hasPrefix(expected), "got: \(description)")
        #expect(!description.contains("\n"))
    }

    @Test(arguments: [
        ("collectors:\n  sytem: {}\n", "agent.yaml: line 2: unknown collector \"collectors.sytem\""),
        ("collectors:\n  system:\n    interval_seconds: often\n", "agent.yaml: line 3: collectors.system.interval_seconds: expected a number"),
        ("collectors:\n  system:\n    every: 5\n", "agent.yaml: line 3: unknown key \"collectors.system.every\""),
        ("collectors:\n  system:\n    timeout_seconds: 0\n", "agent.yaml: collectors.system.timeout_seconds must be above 0"),
        ("collectors: [system]\n", "agent.yaml: line 1: collectors must be a mapping"),
    ])
    func badCollectorSectionsNameTheLine(_ yaml: String, _ expected: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try AgentConfiguration.parse(yaml: yaml, source: "agent.yaml", hostname: "h")
        }
        #expect(error?.description.hasPrefix(expected) == true, "got: \(String(describing: error))")
    }

    @Test func collectorSettingsAreRead() throws {
        let yaml = "collectors:\n  system: {interval_seconds: 5, timeout_seconds: 10}\n"
        let collectors = try AgentConfiguration.parse(yaml: yaml, source: "agent.yaml", hostname: "h").collectors
        #expect(collectors.map(\.name) == ["system", "agent"])
        #expect(collectors.first?.interval == .seconds(5))
        #expect(collectors.first?.timeout == .seconds(5), "a timeout never exceeds the interval")
    }

    @Test func missingFileIsNamed() {
        let error = #expect(throws: ConfigurationError.self) {
            try AgentConfiguration.load(path: "/nonexistent/agent.yaml", hostname: "h")
        }
        #expect(error?.description.hasPrefix("cannot read config /nonexistent/agent.yaml") == true)
    }

    @Test(arguments: [
        (["run", "--coordinator", "nowhere"], "--coordinator \"nowhere\" is not HOST:PORT"),
        (["run", "--node-id", "a b"], "--node-id \"a b\" is invalid"),
        (["run", "--label", "novalue"], "--label \"novalue\" is not KEY=VALUE"),
        (["run", "--interval", "0"], "--interval must be above 0"),
    ])
    func badFlagsAreUsageErrors(_ arguments: [String], _ expected: String) {
        do {
            _ = try AgentCommand.parseAsRoot(arguments)
            Issue.record("\(arguments) parsed")
        } catch {
            #expect(AgentCommand.exitCode(for: error) == .validationFailure)
            #expect(AgentCommand.message(for: error).contains(expected), "got: \(AgentCommand.message(for: error))")
        }
    }
}
