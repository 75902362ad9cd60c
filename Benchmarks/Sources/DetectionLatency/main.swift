// Detection latency: from the arrival of a report whose error ratio crosses the SEV-1 threshold to the commit
// of the incident it opens, as the coordinator itself measures it (`/api/health` → detection.latency).
//
// Starts the real `vigil serve` (release build) with an empty data directory, then plays simulated agents over
// real TCP on loopback: each registers a node of its own service, sends two healthy reports and one with a 10 %
// error ratio, and disconnects. First one agent at a time (latency alone), then a burst of agents crossing the
// threshold together (latency when incidents open in the same instant).
//
//     swift build -c release --product vigil              # at the repository's root
//     swift run -c release DetectionLatency [--vigil PATH] [--sequential N] [--burst N]
import Foundation
import NIOCore
import NIOPosix
import Shared

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct Options {
    var vigil = "../.build/release/vigil"
    var sequential = 200
    var burst = 100

    init(_ arguments: [String]) throws {
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw ToolError("\(flag) needs a value") }
            switch flag {
            case "--vigil": vigil = value
            case "--sequential": sequential = try Self.count(value, flag)
            case "--burst": burst = try Self.count(value, flag)
            default: throw ToolError("unknown option \(flag)")
            }
        }
    }

    static func count(_ text: String, _ flag: String) throws -> Int {
        guard let value = Int(text), value >= 0 else { throw ToolError("\(flag) must be a whole number") }
        return value
    }
}

struct ToolError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The coordinator as a child process, with the ports from its ready line.
final class Coordinator {
    let process = Process()
    let directory: String
    var agentPort = 0
    var httpPort = 0

    init(binary: String) throws {
        directory = NSTemporaryDirectory() + "vigil-detection-latency-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Fire on the first report that crosses the threshold: what is measured is detection, not `for`.
        let config = """
            agent_listen: 127.0.0.1:0
            http_listen: 127.0.0.1:0
            data_dir: \(directory)/data
            rules:
              - name: error_ratio_critical
                for_seconds: 0
              - name: error_ratio_high
                for_seconds: 0
              - name: node_silent
                disabled: true
            """
        try config.write(toFile: directory + "/coordinator.yaml", atomically: true, encoding: .utf8)
        let output = directory + "/coordinator.out"
        FileManager.default.createFile(atPath: output, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--config", directory + "/coordinator.yaml"]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("vigil serve: ready") }) {
                agentPort = Self.port(after: "agents=", in: line)
                httpPort = Self.port(after: "http=", in: line)
                return
            }
            guard process.isRunning else { throw ToolError("vigil serve exited: see \(output)") }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw ToolError("vigil serve did not get ready")
    }

    static func port(after key: String, in line: Substring) -> Int {
        guard let range = line.range(of: key) else { return 0 }
        return Int(line[range.upperBound...].prefix { $0 != " " }.split(separator: ":").last ?? "") ?? 0
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// One simulated agent: a node of its own service whose third report shows a 10 % error ratio.
func playAgent(index: Int, port: Int) async throws {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try WirePipeline.addHandlers(to: channel.pipeline.syncOperations, limits: WireLimits())
                return try NIOAsyncChannel<WireMessage, WireMessage>(wrappingChannelSynchronously: channel)
            }
        }
    try await channel.executeThenClose { inbound, outbound in
        var messages = inbound.makeAsyncIterator()
        func next() async throws -> WireMessage {
            while let message = try await messages.next() {
                if case .ping = message { continue }
                return message
            }
            throw ToolError("the coordinator closed the connection")
        }
        let node = NodeID("bench-\(index)") ?? .localhost
        let hello = Hello(nodeID: node, agentVersion: "bench", hostname: "bench", labels: ["service": "svc-\(index)"], incarnation: 1)
        try await outbound.write(.hello(hello))
        guard case .welcome = try await next() else { throw ToolError("no welcome for \(node)") }
        let requests = SeriesDescriptor(name: "app_requests_total", kind: .counter)
        let errors = SeriesDescriptor(name: "app_request_errors_total", kind: .counter)
        let now = Date()
        // Collected 2 s and 1 s ago, then now: the window holds all three when the last one arrives.
        let points: [(TimeInterval, Double, Double)] = [(-2, 0, 0), (-1, 1000, 0), (0, 2000, 200)]
        for (seq, point) in points.enumerated() {
            let report = Report(
                seq: UInt64(seq + 1),
                collectedAt: now.addingTimeInterval(point.0),
                declarations: seq == 0 ? [SeriesDeclaration(id: SeriesID(1), series: requests), SeriesDeclaration(id: SeriesID(2), series: errors)] : [],
                samples: [Sample(seriesID: SeriesID(1), value: .number(point.1)), Sample(seriesID: SeriesID(2), value: .number(point.2))]
            )
            try await outbound.write(.report(report))
            guard case .reportAck = try await next() else { throw ToolError("no ack for \(node)") }
        }
    }
}

struct Health: Decodable {
    struct Detection: Decodable {
        struct Latency: Decodable {
            var count: Int
            var medianSeconds: Double?
            var p99Seconds: Double?
            var maxSeconds: Double?
        }
        var latency: Latency
        var openIncidents: Int
    }
    var detection: Detection
}

func health(port: Int) async throws -> Health {
    guard let url = URL(string: "http://127.0.0.1:\(port)/api/health") else { throw ToolError("bad url") }
    let (data, _) = try await URLSession.shared.data(from: url)
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(Health.self, from: data)
}

/// Waits until the coordinator has committed `count` incidents, then returns its figures.
func settle(port: Int, count: Int) async throws -> Health.Detection.Latency {
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
        let figures = try await health(port: port).detection.latency
        if figures.count >= count { return figures }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw ToolError("only some incidents were committed within 60 s")
}

func milliseconds(_ seconds: Double?) -> String {
    seconds.map { String(format: "%.2f ms", $0 * 1000) } ?? "-"
}

func main() async throws {
    let options = try Options(CommandLine.arguments)
    let coordinator = try Coordinator(binary: options.vigil)
    defer { coordinator.stop() }
    for index in 0..<options.sequential {
        try await playAgent(index: index, port: coordinator.agentPort)
        _ = try await settle(port: coordinator.httpPort, count: index + 1)
    }
    let sequential = try await settle(port: coordinator.httpPort, count: options.sequential)
    print("sequential: \(options.sequential) incidents, one at a time: median \(milliseconds(sequential.medianSeconds)), p99 \(milliseconds(sequential.p99Seconds)), max \(milliseconds(sequential.maxSeconds))")

    // A second coordinator, so the burst's figures are its own.
    let burstCoordinator = try Coordinator(binary: options.vigil)
    defer { burstCoordinator.stop() }
    let burstPort = burstCoordinator.agentPort
    try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<options.burst {
            group.addTask { try await playAgent(index: index, port: burstPort) }
        }
        try await group.waitForAll()
    }
    let burst = try await settle(port: burstCoordinator.httpPort, count: options.burst)
    print("burst: \(options.burst) agents crossing together: median \(milliseconds(burst.medianSeconds)), p99 \(milliseconds(burst.p99Seconds)), max \(milliseconds(burst.maxSeconds))")
}

do {
    try await main()
} catch {
    FileHandle.standardError.write(Data("DetectionLatency: \(error)\n".utf8))
    exit(1)
}
