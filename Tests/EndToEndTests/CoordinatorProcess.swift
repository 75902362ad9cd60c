import Foundation
import Shared

@testable import Coordinator

/// `vigil serve` as a real process on loopback, with the ports it bound read from its ready line.
struct CoordinatorProcess {
    let process: ManagedProcess
    let agentPort: Int
    let httpPort: Int

    var url: String { "http://127.0.0.1:\(httpPort)" }
    var client: APIClient { APIClient(baseURL: url) }

    static func start(in directory: String, agentPort: Int = 0, httpPort: Int = 0, name: String = "coordinator")
        async throws -> CoordinatorProcess
    {
        let process = try ManagedProcess(
            "vigil",
            [
                "serve", "--data", directory + "/data",
                "--agent-listen", "127.0.0.1:\(agentPort)", "--http-listen", "127.0.0.1:\(httpPort)",
            ],
            in: directory,
            name: name
        )
        let line = try await process.waitForLine(containing: "vigil serve: ready")
        guard let agents = port(after: "agents=", in: line), let http = port(after: "http=", in: line) else {
            throw EndToEndError.unexpected("cannot read ports from \(line)")
        }
        return CoordinatorProcess(process: process, agentPort: agents, httpPort: http)
    }

    private static func port(after key: String, in line: String) -> Int? {
        guard let range = line.range(of: key) else { return nil }
        let address = line[range.upperBound...].prefix { $0 != " " }
        return address.split(separator: ":").last.flatMap { Int($0) }
    }

    /// Polls the API until `condition` holds for the node, and returns the node as it then was.
    func waitForNode(
        _ id: String,
        timeout: Duration = .seconds(30),
        until condition: (NodeSummary) -> Bool
    ) async throws -> NodeSummary {
        let deadline = ContinuousClock.now + timeout
        var last: NodeSummary?
        while ContinuousClock.now < deadline {
            let nodes = try await client.get("/api/v1/nodes", as: NodeRoutes.NodeList.self).nodes
            if let node = nodes.first(where: { $0.id.rawValue == id }) {
                last = node
                if condition(node) { return node }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw EndToEndError.timedOut("node \(id); last seen as \(String(describing: last))")
    }
}
