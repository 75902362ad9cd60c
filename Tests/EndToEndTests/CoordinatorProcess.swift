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

    static func start(
        in directory: String,
        agentPort: Int = 0,
        httpPort: Int = 0,
        config: String? = nil,
        name: String = "coordinator"
    ) async throws -> CoordinatorProcess {
        var configArguments: [String] = []
        if let config {
            let path = directory + "/\(name).yaml"
            try config.write(toFile: path, atomically: true, encoding: .utf8)
            configArguments = ["--config", path]
        }
        let process = try ManagedProcess(
            "vigil",
            [
                "serve", "--data", directory + "/data",
                "--agent-listen", "127.0.0.1:\(agentPort)", "--http-listen", "127.0.0.1:\(httpPort)",
            ] + configArguments,
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

    /// Polls `path` until `condition` holds for its answer, and returns that answer.
    func waitFor<Body: Decodable & Sendable>(
        _ path: String,
        as type: Body.Type,
        what: String,
        timeout: Duration = .seconds(45),
        until condition: (Body) -> Bool
    ) async throws -> Body {
        let deadline = ContinuousClock.now + timeout
        var last: Body?
        while ContinuousClock.now < deadline {
            let body = try await client.get(path, as: type)
            last = body
            if condition(body) { return body }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw EndToEndError.timedOut("\(what); last answer \(String(describing: last))")
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
