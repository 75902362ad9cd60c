import Foundation
import HTTPTransfer
import Shared
import Testing

@testable import Agent

@Suite(.timeLimit(.minutes(1)))
struct HTTPProbeCollectorTests {
    private func probe(
        _ url: String,
        expected: [Int] = [200],
        bodyMatch: String? = nil,
        timeout: Duration = .seconds(5),
        labels: [String: String] = [:]
    ) -> HTTPProbeCollector {
        HTTPProbeCollector(
            settings: .init(name: "api-health", url: url, expectedStatuses: expected, bodyMatch: bodyMatch, labels: labels),
            timing: CollectorTiming(interval: .seconds(10), timeout: timeout)
        )
    }

    private func value(_ name: String, in output: CollectorOutput) -> Double? {
        guard case .number(let value)? = output.measurements.first(where: { $0.series.name == name })?.value else { return nil }
        return value
    }

    @Test func aHealthyEndpointIsUpWithOrderedTimingsAndItsLabels() async throws {
        let server = try await TestHTTPServer.start()
        let collector = probe("\(server.baseURL)/status/200?body=all+ok", bodyMatch: "ok", labels: ["critical": "true", "feature": "payments"])
        let output = try await collector.collect()
        let result = try #require(output.probes.first)
        #expect(result == ProbeResult(
            name: "api-health", isUp: true, statusCode: 200, durationSeconds: result.durationSeconds, error: "",
            labels: ["critical": "true", "feature": "payments"]
        ))
        #expect(value("probe_up", in: output) == 1)
        #expect(value("probe_status_code", in: output) == 200)
        let dns = try #require(value("probe_dns_seconds", in: output))
        let connect = try #require(value("probe_connect_seconds", in: output))
        let firstByte = try #require(value("probe_first_byte_seconds", in: output))
        let total = try #require(value("probe_duration_seconds", in: output))
        #expect(value("probe_tls_seconds", in: output) == 0, "plain HTTP has no TLS phase")
        #expect(dns <= connect && connect <= firstByte && firstByte <= total && total > 0)
        #expect(output.measurements.allSatisfy {
            $0.series.labels == ["probe": "api-health", "critical": "true", "feature": "payments"]
        })
        #expect(collector.name == "http_probe:api-health")
    }

    @Test(arguments: [
        ("/status/503", [200], nil, "expected status 200, got 503"),
        ("/status/404", [200, 204], nil, "expected status 200 or 204, got 404"),
        ("/status/200?body=degraded", [200], "ok", "body does not contain \"ok\""),
    ] as [(String, [Int], String?, String)])
    func aWrongAnswerIsADownProbeWithItsReasonNotAFailedCollector(_ path: String, _ expected: [Int], _ match: String?, _ reason: String) async throws {
        let server = try await TestHTTPServer.start()
        let output = try await probe(server.baseURL + path, expected: expected, bodyMatch: match).collect()
        let result = try #require(output.probes.first)
        #expect(result.isUp == false)
        #expect(result.error == reason)
        #expect(value("probe_up", in: output) == 0)
    }

    @Test func aSlowEndpointTimesOutAsADownProbe() async throws {
        let server = try await TestHTTPServer.start()
        let output = try await probe(server.baseURL + "/slow/5", timeout: .milliseconds(500)).collect()
        let result = try #require(output.probes.first)
        #expect(result.isUp == false)
        #expect(result.error == "timed out after 0.5 s")
        #expect(result.statusCode == 0)
        #expect(value("probe_first_byte_seconds", in: output) == nil, "no answer, no phase timings")
    }

    @Test func aClosedPortIsConnectionRefused() async throws {
        let port = try #require(Self.closedLoopbackPort())
        let output = try await probe("http://127.0.0.1:\(port)/").collect()
        let result = try #require(output.probes.first)
        #expect(result.isUp == false)
        #expect(result.error == "connection refused")
    }

    /// A port the kernel just handed out and that nothing listens on: bound, never listened, closed.
    private static func closedLoopbackPort() -> UInt16? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        return bound ? UInt16(bigEndian: address.sin_port) : nil
    }

    @Test func aFlippedEndpointGoesDownAndComesBack() async throws {
        let server = try await TestHTTPServer.start()
        let collector = probe(server.baseURL + "/flip/payments")
        #expect(try await collector.collect().probes.first?.isUp == true)
        _ = try await HTTPTransfer.perform(HTTPRequest(url: server.baseURL + "/flip/payments/503", method: "PUT"))
        let down = try #require(try await collector.collect().probes.first)
        #expect(down.isUp == false && down.statusCode == 503 && down.error == "expected status 200, got 503")
        _ = try await HTTPTransfer.perform(HTTPRequest(url: server.baseURL + "/flip/payments/200", method: "PUT"))
        #expect(try await collector.collect().probes.first?.isUp == true)
    }
}
