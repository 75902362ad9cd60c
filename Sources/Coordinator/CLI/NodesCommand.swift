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
            let encoder = APIJSON.makeEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            output.write(String(decoding: try encoder.encode(NodeRoutes.NodeList(nodes: nodes)), as: UTF8.self) + "\n")
        case .table:
            var rows = [["NODE", "STATE", "SERVICE", "LAST SEEN", "REPORTS", "CPU", "MEM USED", "LOAD1"]]
            for node in nodes {
                rows.append([
                    node.id.rawValue,
                    node.state.rawValue,
                    node.labels["service"] ?? "-",
                    Self.age(since: node.lastSeen, now: now),
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

    static func age(since date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<60: return "\(seconds)s ago"
        case ..<3600: return "\(seconds / 60)m ago"
        case ..<86_400: return "\(seconds / 3600)h ago"
        default: return "\(seconds / 86_400)d ago"
        }
    }
}

/// Left-aligned columns separated by two spaces.
struct TextTable {
    let rows: [[String]]

    var rendered: String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            .joined(separator: "  ")
        }
        .joined(separator: "\n") + "\n"
    }
}
