// Command round trip: from a command issued through the coordinator's API to its result stored, with the
// real `vigil serve` and `vigil-agent` (release builds) on loopback. The agent's policy runs `/bin/true` as a
// service restart, so what is measured is Vigil: store the command, send it, the agent's policy and
// executed-command log (fsync before and after), the run itself, the result back, stored and audited.
//
//     swift build -c release --product vigil --product vigil-agent     # at the repository's root
//     swift run -c release CommandRoundTrip [--bin DIR] [--commands N]
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct ToolError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

var binaries = "../.build/release"
var count = 200
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard let value = arguments.popFirst() else { throw ToolError("\(flag) needs a value") }
    switch flag {
    case "--bin": binaries = value
    case "--commands": count = Int(value) ?? count
    default: throw ToolError("unknown option \(flag)")
    }
}

let directory = NSTemporaryDirectory() + "vigil-command-round-trip-\(UUID().uuidString)"
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }

@MainActor func start(_ binary: String, _ arguments: [String], output: String) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binaries + "/" + binary)
    process.arguments = arguments
    _ = FileManager.default.createFile(atPath: output, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

let coordinatorConfig = """
    agent_listen: 127.0.0.1:0
    http_listen: 127.0.0.1:0
    data_dir: \(directory)/data
    default_runbooks: false
    rules:
      - name: node_silent
        disabled: true
    """
try coordinatorConfig.write(toFile: directory + "/coordinator.yaml", atomically: true, encoding: .utf8)
let coordinator = try start("vigil", ["serve", "--config", directory + "/coordinator.yaml"], output: directory + "/vigil.out")
defer { coordinator.terminate() }

var agentPort = 0
var httpPort = 0
let ready = Date().addingTimeInterval(30)
while agentPort == 0 {
    let text = (try? String(contentsOfFile: directory + "/vigil.out", encoding: .utf8)) ?? ""
    if let line = text.split(separator: "\n").first(where: { $0.contains("vigil serve: ready") }) {
        func port(_ key: String) -> Int {
            guard let range = line.range(of: key) else { return 0 }
            return Int(line[range.upperBound...].prefix { $0 != " " }.split(separator: ":").last ?? "") ?? 0
        }
        agentPort = port("agents=")
        httpPort = port("http=")
    }
    guard Date() < ready, coordinator.isRunning else { throw ToolError("vigil serve did not get ready") }
    try await Task.sleep(for: .milliseconds(20))
}

let agentConfig = """
    node_id: bench-1
    state_dir: \(directory)/agent-state
    actions:
      restart_service:
        max_runs_per_hour: 3600
        services:
          noop: [/bin/true]
    """
try agentConfig.write(toFile: directory + "/agent.yaml", atomically: true, encoding: .utf8)
let agent = try start(
    "vigil-agent",
    ["run", "--config", directory + "/agent.yaml", "--coordinator", "127.0.0.1:\(agentPort)"],
    output: directory + "/agent.out"
)
defer { agent.terminate() }

struct Command: Decodable {
    struct Result: Decodable {
        var outcome: String
        var receivedAt: Date
    }
    var id: String
    var state: String
    var issuedAt: Date
    var result: Result?
}

struct Detail: Decodable { var command: Command }

struct Nodes: Decodable {
    struct Node: Decodable { var id: String; var state: String }
    var nodes: [Node]
}

let decoder = JSONDecoder()
decoder.keyDecodingStrategy = .convertFromSnakeCase
decoder.dateDecodingStrategy = .custom { decoder in
    let text = try decoder.singleValueContainer().decode(String.self)
    return try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
}

@MainActor func request(_ path: String, body: String? = nil) async throws -> Data {
    guard let url = URL(string: "http://127.0.0.1:\(httpPort)\(path)") else { throw ToolError("bad path \(path)") }
    var request = URLRequest(url: url)
    if let body {
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    let (data, response) = try await URLSession.shared.data(for: request)
    guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
        throw ToolError("\(path): \(String(decoding: data, as: UTF8.self))")
    }
    return data
}

let connected = Date().addingTimeInterval(30)
while try !decoder.decode(Nodes.self, from: await request("/api/v1/nodes")).nodes.contains(where: { $0.id == "bench-1" && $0.state == "connected" }) {
    guard Date() < connected else { throw ToolError("the agent did not connect") }
    try await Task.sleep(for: .milliseconds(20))
}

var server: [Double] = []
var client: [Double] = []
for _ in 0..<count {
    let started = ContinuousClock.now
    let body = #"{"node":"bench-1","action":"restart_service","params":{"service":"noop"},"by":"bench"}"#
    let issued = try decoder.decode(Command.self, from: await request("/api/v1/commands", body: body))
    while true {
        let command = try decoder.decode(Detail.self, from: await request("/api/v1/commands/\(issued.id)")).command
        if let result = command.result {
            guard result.outcome == "succeeded" else { throw ToolError("command \(command.id): \(result.outcome)") }
            server.append(result.receivedAt.timeIntervalSince(command.issuedAt))
            let elapsed = ContinuousClock.now - started
            client.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            break
        }
        try await Task.sleep(for: .milliseconds(1))
    }
}

func summary(_ values: [Double]) -> String {
    let sorted = values.sorted()
    func quantile(_ q: Double) -> Double { sorted[min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))] }
    return String(format: "median %.2f ms, p99 %.2f ms, max %.2f ms", quantile(0.5) * 1000, quantile(0.99) * 1000, (sorted.last ?? 0) * 1000)
}
print("\(count) commands, one at a time")
print("issued → result stored (coordinator's clock): \(summary(server))")
print("API request → result seen by polling (client's clock): \(summary(client))")
