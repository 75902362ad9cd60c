import ArgumentParser
import Foundation
import Shared
import Testing

@testable import Coordinator

@Suite struct CommandLineTests {
    @Test(arguments: [
        ["nodes", "--output", "xml"],
        ["nodes", "--coordinator", "ftp://somewhere"],
        ["serve", "--agent-listen", "nowhere"],
        ["serve", "--http-listen", "127.0.0.1:70000"],
        ["frobnicate"],
    ])
    func usageErrorsExitTwo(_ arguments: [String]) async {
        #expect(await CoordinatorCommand.runMain(arguments: arguments) == 2)
    }

    @Test func anUnreachableCoordinatorExitsOne() async {
        #expect(await CoordinatorCommand.runMain(arguments: ["nodes", "--coordinator", "http://127.0.0.1:1"]) == 1)
    }

    @Test func parsesTheOperatorContract() throws {
        let command = try CoordinatorCommand.parseAsRoot(["nodes", "--coordinator", "http://h:1/", "--output", "json"])
        let nodes = try #require(command as? NodesCommand)
        #expect(nodes.client.output == .json)
        #expect(try nodes.client.makeClient().baseURL == "http://h:1")
    }

    private func summary(_ id: String, state: StoredNode.ConnectionState, load: Double?) -> NodeSummary {
        var node = NodeState(
            stored: StoredNode(
                id: NodeID(id) ?? .localhost,
                hostname: id,
                agentVersion: "0.1.0",
                labels: ["service": "review-engine"],
                firstSeenAt: Date(timeIntervalSince1970: 0),
                lastSeenAt: Date(timeIntervalSince1970: 1_000),
                connectionState: state,
                peerAddress: "p",
                lastReportSeq: 12,
                reportsReceived: 12,
                duplicateReports: 0
            )
        )
        if let load { node.latest[SeriesDescriptor(name: "system_load1", kind: .gauge)] = .number(load) }
        return NodeSummary(node)
    }

    @Test func tableShowsEachNodeOnOneAlignedLine() throws {
        let view = NodesView(nodes: [summary("web-1", state: .connected, load: 0.5), summary("web-22", state: .disconnected, load: nil)])
        var text = ""
        try view.write(as: .table, to: &text, now: Date(timeIntervalSince1970: 1_090))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("NODE    STATE         SERVICE"))
        #expect(lines[1].hasPrefix("web-1   connected     review-engine  1m ago"))
        #expect(lines[1].hasSuffix("0.50"))
        #expect(lines[2].hasPrefix("web-22  disconnected  review-engine  1m ago     12"))
        #expect(lines[2].hasSuffix("-"))
    }

    @Test func jsonIsTheAPIsShapeAndReadsBack() throws {
        let nodes = [summary("web-1", state: .connected, load: 0.5)]
        var text = ""
        try NodesView(nodes: nodes).write(as: .json, to: &text)
        #expect(text.contains("\"reports_received\" : 12"))
        let decoded = try APIJSON.makeDecoder().decode(NodeRoutes.NodeList.self, from: Data(text.utf8))
        #expect(decoded.nodes == nodes)
    }

    @Test func emptyFleetSaysHowToStart() throws {
        var text = ""
        try NodesView(nodes: []).write(as: .table, to: &text)
        #expect(text.contains("no nodes yet"))
    }
}

@Suite struct CoordinatorConfigurationTests {
    @Test func everyKeyIsRead() throws {
        let yaml = """
            agent_listen: 0.0.0.0:7500
            http_listen: "[::1]:7501"
            data_dir: /var/lib/vigil
            report_interval_seconds: 2
            max_frame_bytes: 65536
            frame_deadline_seconds: 3
            idle_timeout_seconds: 20
            ping_interval_seconds: 4
            persist_interval_seconds: 0.5
            """
        let configuration = try CoordinatorConfiguration.parse(yaml: yaml, source: "c.yaml")
        #expect(configuration.agentListen == HostPort(host: "0.0.0.0", port: 7500))
        #expect(configuration.httpListen == HostPort(host: "::1", port: 7501))
        #expect(configuration.dataDirectory == "/var/lib/vigil")
        #expect(configuration.reportInterval == .seconds(2))
        #expect(configuration.limits == WireLimits(maximumFrameBytes: 65_536, frameDeadline: .seconds(3), idleTimeout: .seconds(20), pingInterval: .seconds(4)))
        #expect(configuration.persistInterval == .milliseconds(500))
    }

    @Test func noFileContentMeansTheDefaults() throws {
        #expect(try CoordinatorConfiguration.parse(yaml: "", source: "c.yaml") == .defaults)
        #expect(CoordinatorConfiguration.defaults.agentListen.description == "127.0.0.1:7400")
        #expect(CoordinatorConfiguration.defaults.httpListen.description == "127.0.0.1:7401")
        #expect(CoordinatorConfiguration.defaults.dataDirectory == "./vigil-data")
    }

    @Test(arguments: [
        ("http_listn: 127.0.0.1:1\n", "c.yaml: line 1: unknown key \"http_listn\""),
        ("agent_listen: 7400\n", "c.yaml: agent_listen \"7400\" is not HOST:PORT"),
        ("max_frame_bytes: 10\n", "c.yaml: max_frame_bytes must be between 1024 and 67108864"),
        ("ping_interval_seconds: 30\n", "c.yaml: ping_interval_seconds must be below idle_timeout_seconds"),
        ("idle_timeout_seconds: .inf\n", "c.yaml: idle_timeout_seconds must be a number of seconds"),
    ])
    func badConfigurationIsNamedInOneLine(_ yaml: String, _ expected: String) {
        let error = #expect(throws: CoordinatorConfigurationError.self) {
            try CoordinatorConfiguration.parse(yaml: yaml, source: "c.yaml")
        }
        #expect(error?.description.hasPrefix(expected) == true, "got: \(String(describing: error))")
    }
}
