import Foundation
import Shared
import Testing

@testable import Agent

/// Real loopback sockets: one listener on a fixed-range port and clients connected to it, never accepted
/// (the kernel completes the handshake and queues them, which is all the socket table needs).
private final class LoopbackSockets {
    private(set) var descriptors: [Int32] = []
    private(set) var port: UInt16 = 0

    init(clients: Int) throws {
        let listener = try Self.socket()
        descriptors.append(listener)
        port = try Self.bindOutsideTheEphemeralRange(listener)
        try Self.check(listen(listener, 64), "listen")
        for _ in 0..<clients {
            let client = try Self.socket()
            descriptors.append(client)
            var target = Self.loopback(port: port)
            try Self.check(
                withUnsafePointer(to: &target) {
                    connect(client, UnsafeRawPointer($0).assumingMemoryBound(to: sockaddr.self), Self.length)
                },
                "connect"
            )
        }
    }

    deinit { for descriptor in descriptors { close(descriptor) } }

    private static let length = socklen_t(MemoryLayout<sockaddr_in>.size)

    /// A port the kernel picks for `bind(0)` comes from the ephemeral range, where any other test's outgoing
    /// connection (over IPv6, say) may share it as its source port and be counted as "local" too. Real services
    /// listen below that range, and so does this listener: a random free port in 20000..<32768.
    private static func bindOutsideTheEphemeralRange(_ listener: Int32) throws -> UInt16 {
        for _ in 0..<200 {
            let candidate = UInt16.random(in: 20000..<32768)
            var address = loopback(port: candidate)
            let result = withUnsafePointer(to: &address) {
                bind(listener, UnsafeRawPointer($0).assumingMemoryBound(to: sockaddr.self), length)
            }
            if result == 0 { return candidate }
            guard errno == EADDRINUSE else {
                try check(result, "bind")
                break
            }
        }
        throw SocketTestError.failed("bind", "no free port in 20000..<32768")
    }

    private static func socket() throws -> Int32 {
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try check(descriptor, "socket")
        return descriptor
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    private static func check(_ result: Int32, _ call: String) throws {
        guard result >= 0 else { throw SocketTestError.failed(call, String(cString: strerror(errno))) }
    }
}

private enum SocketTestError: Error { case failed(String, String) }

@Suite(.timeLimit(.minutes(1)))
struct ConnectionCollectorTests {
    @Test func countsTheEstablishedConnectionsOfARealListenerOnBothSides() async throws {
        let sockets = try LoopbackSockets(clients: 3)
        let collector = ConnectionCollector(ports: [sockets.port])
        let samples = try await collector.collect().measurements
        func count(_ direction: String, _ state: String) -> SampleValue? {
            samples.first {
                $0.series.name == "tcp_connections_by_port"
                    && $0.series.labels == ["port": String(sockets.port), "direction": direction, "state": state]
            }?.value
        }
        #expect(count("local", "established") == .number(3), "the three queued connections on the listener's side")
        #expect(count("remote", "established") == .number(3), "the three clients connected to the port")
        #expect(count("local", "listen") == .number(1))
        #expect(count("remote", "listen") == .number(0))
        let established = samples.first {
            $0.series.name == "tcp_connections" && $0.series.labels == ["state": "established"]
        }
        guard case .number(let total)? = established?.value else {
            Issue.record("no tcp_connections{state=\"established\"}")
            return
        }
        #expect(total >= 6)
        withExtendedLifetime(sockets) {}
    }

    @Test func everyStateIsSentForEveryPortAndDirection() {
        let samples = ConnectionCollector.measurements(of: [], ports: [5432, 6379])
        #expect(samples.filter { $0.series.name == "tcp_connections" }.count == TCPState.allCases.count)
        #expect(samples.filter { $0.series.name == "tcp_connections_by_port" }.count == 2 * 2 * TCPState.allCases.count)
        #expect(samples.allSatisfy { $0.value == .number(0) })
    }

    @Test func aMissingTableIsACollectorError() async {
        let collector = ConnectionCollector(ports: [], procRoot: "/nonexistent")
        let error = await #expect(throws: CollectorError.self) { try await collector.collect() }
        #expect(error?.description == "cannot read /nonexistent/net/tcp: No such file or directory")
    }
}

@Suite struct TCPSocketTableTests {
    @Test(arguments: [
        (
            "   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   108        0 21345 1",
            TCPSocket(localPort: 5432, remotePort: 0, state: .listen)
        ),
        (
            "  12: 0100007F:D2F0 0100007F:18EB 01 00000000:00000000 02:000A7B2C 00000000  1000        0 998 2",
            TCPSocket(localPort: 54000, remotePort: 6379, state: .established)
        ),
        (
            "   3: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:C350 06 00000000:00000000 03:00001770 00000000 0 0 0 3",
            TCPSocket(localPort: 8080, remotePort: 50000, state: .timeWait)
        ),
        (
            "   4: 0000000000000000FFFF00000100007F:0050 0000000000000000FFFF00000100007F:9C40 08 0 0",
            TCPSocket(localPort: 80, remotePort: 40000, state: .closeWait)
        ),
    ])
    func ipv4AndIPv6LinesGiveTheirPortsAndState(_ line: String, _ expected: TCPSocket) {
        #expect(TCPSocketTable.parseLine(line[...]) == expected)
    }

    @Test(arguments: [
        "",
        "0: 0100007F:1538 00000000:0000",
        "0: 0100007F:1538 00000000:0000 ZZ",
        "0: 0100007F:1538 00000000:0000 0F",
        "0: 0100007F 00000000:0000 0A",
        "0: 0100007:1538 00000000:0000 0A",
        "0: 0100007F:15389 00000000:0000 0A",
        "0: 0100007X:1538 00000000:0000 0A",
        "0 0100007F:1538 00000000:0000 0A",
    ])
    func malformedLinesAreRefused(_ line: String) {
        #expect(TCPSocketTable.parseLine(line[...]) == nil)
    }

    @Test func theHeaderIsSkippedAndMalformedLinesAreCounted() {
        let text = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   108        0 21345 1
               1: broken
            """
        let table = TCPSocketTable.parse(text)
        #expect(table.sockets == [TCPSocket(localPort: 5432, remotePort: 0, state: .listen)])
        #expect(table.malformedLines == 1)
    }
}
