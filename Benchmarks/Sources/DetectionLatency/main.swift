// Detection latency: from the arrival of a report whose error ratio crosses the SEV-1 threshold to the commit
// of the incident it opens, as the coordinator itself measures it (`/api/health` → detection.latency).
//
// Starts the real `vigil serve` (release build) with an empty data directory, then plays simulated agents over
// real TCP on loopback: each registers a node of its own service, sends two healthy reports and one with a 10 %
// error ratio, and disconnects. First one agent at a time (latency alone), then a burst of agents crossing the
// threshold together (latency when incidents open in the same instant).
//
//     swift build -c release --product vigil              # at the repository's root
//     swift run -c release DetectionLatency [--vigil PATH] [--sequential N] [--burst N] [--keep]
import Foundation
import NIOCore
import NIOPosix
import LatencyHarness
import Shared

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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
    let options = try LatencyOptions(CommandLine.arguments, sequential: 200, burst: 100)
    let coordinator = try CoordinatorProcess(binary: options.vigil, label: "detection-latency", keep: options.keep)
    defer { coordinator.stop() }
    for index in 0..<options.sequential {
        try await playCrossingAgent(index: index, port: coordinator.agentPort)
        _ = try await settle(port: coordinator.httpPort, count: index + 1)
    }
    let sequential = try await settle(port: coordinator.httpPort, count: options.sequential)
    print("sequential: \(options.sequential) incidents, one at a time: median \(milliseconds(sequential.medianSeconds)), p99 \(milliseconds(sequential.p99Seconds)), max \(milliseconds(sequential.maxSeconds))")

    // A second coordinator, so the burst's figures are its own.
    let burstCoordinator = try CoordinatorProcess(binary: options.vigil, label: "detection-latency", keep: options.keep)
    defer { burstCoordinator.stop() }
    let burstPort = burstCoordinator.agentPort
    try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<options.burst {
            group.addTask { try await playCrossingAgent(index: index, port: burstPort) }
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
