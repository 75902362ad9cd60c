import ArgumentParser
import Foundation
import Shared

/// `vigil nodes`: every node the coordinator knows, connected or not.
struct NodesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nodes",
        abstract: "List the fleet's nodes: connection, last report, latest system signals."
    )

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let list = try await client.makeClient().get("/api/v1/nodes", as: NodeRoutes.NodeList.self)
        var output = StandardOutput()
        try NodesView(nodes: list.nodes).write(as: client.output, to: &output)
    }
}

/// Prints a node list as a table or as JSON.
struct NodesView {
    let nodes: [NodeSummary]

    func write(as format: OutputFormat, to output: inout some TextOutputStream, now: Date = Date()) throws {
        switch format {
        case .json:
            try PrettyJSON.write(NodeRoutes.NodeList(nodes: nodes), to: &output)
        case .table:
            var rows = [["NODE", "STATE", "SERVICE", "LAST SEEN", "REPORTS", "CPU", "MEM USED", "LOAD1"]]
            for node in nodes {
                rows.append([
                    node.id.rawValue,
                    node.state.rawValue,
                    node.labels["service"] ?? "-",
                    DisplayText.age(since: node.lastSeen, now: now),
                    String(node.reportsReceived),
                    node.value(of: "system_cpu_busy_ratio").map(Self.percent) ?? "-",
                    node.value(of: "system_memory_used_ratio").map(Self.percent) ?? "-",
                    node.value(of: "system_load1").map { String(format: "%.2f", $0) } ?? "-",
                ])
            }
            output.write(TextTable(rows: rows).rendered)
            if nodes.isEmpty { output.write("no nodes yet: start vigil-agent on a host\n") }
        }
    }

    static func percent(_ ratio: Double) -> String { String(format: "%.1f%%", ratio * 100) }
}
