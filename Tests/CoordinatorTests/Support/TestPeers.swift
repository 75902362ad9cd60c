import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import Shared

/// A well-behaved agent speaking the wire protocol through the real pipeline, for tests.
final class TestAgent {
    let channel: any Channel
    private var iterator: NIOAsyncChannelInboundStream<WireMessage>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<WireMessage>

    /// Connects, runs `body` with the connection, and closes it.
    static func withConnection<T>(
        port: Int,
        limits: WireLimits = WireLimits(),
        _ body: (TestAgent) async throws -> T
    ) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try WirePipeline.addHandlers(to: channel.pipeline.syncOperations, limits: limits)
                    return try NIOAsyncChannel<WireMessage, WireMessage>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(TestAgent(channel: channel.channel, iterator: inbound.makeAsyncIterator(), outbound: outbound))
        }
    }

    private init(
        channel: any Channel,
        iterator: NIOAsyncChannelInboundStream<WireMessage>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<WireMessage>
    ) {
        self.channel = channel
        self.iterator = iterator
        self.outbound = outbound
    }

    func send(_ message: WireMessage) async throws {
        try await outbound.write(message)
    }

    /// The next message other than a ping.
    func receive() async throws -> WireMessage {
        while true {
            guard let message = try await iterator.next() else { throw CoordinatorTestError.connectionClosed }
            if case .ping = message { continue }
            return message
        }
    }

    /// Sends a hello and returns the coordinator's answer.
    func hello(node: String, labels: [String: String] = [:], version: ProtocolVersion = .current) async throws
        -> WireMessage
    {
        try await send(
            .hello(
                Hello(
                    version: version,
                    nodeID: NodeID(node) ?? .localhost,
                    agentVersion: "test",
                    hostname: node,
                    labels: labels,
                    incarnation: 1
                )
            )
        )
        return try await receive()
    }

    /// Sends a one-sample report (declaring its series) and returns the answer.
    func report(seq: UInt64, value: Double = 1, declare: Bool = true) async throws -> WireMessage {
        let series = SeriesDescriptor(name: "system_load1", kind: .gauge)
        try await send(
            .report(
                Report(
                    seq: seq,
                    collectedAt: Date(),
                    declarations: declare ? [SeriesDeclaration(id: SeriesID(1), series: series)] : [],
                    samples: [Sample(seriesID: SeriesID(1), value: .number(value))]
                )
            )
        )
        return try await receive()
    }
}

/// A peer that writes raw bytes and collects every byte the coordinator sends until it closes.
enum RawPeer {
    struct Exchange {
        var received: [UInt8]

        /// Every complete frame received, decoded.
        var messages: [WireMessage] {
            var messages: [WireMessage] = []
            var offset = 0
            while received.count >= offset + 4 {
                let length = received[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
                guard received.count >= offset + 4 + length,
                    let message = try? WireMessage(serializedBytes: received[(offset + 4)..<(offset + 4 + length)])
                else { break }
                messages.append(message)
                offset += 4 + length
            }
            return messages
        }

        var firstMessage: WireMessage? { messages.first }

        var reject: Reject? {
            if case .reject(let reject) = firstMessage { return reject }
            return nil
        }
    }

    /// Sends `chunks` with `pause` between them, then optionally closes its side, and reads until EOF.
    static func exchange(
        port: Int,
        chunks: [[UInt8]],
        pause: Duration = .zero,
        closeAfterSending: Bool = false
    ) async throws -> Exchange {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(isOutboundHalfClosureEnabled: true)
                    )
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            for (index, chunk) in chunks.enumerated() {
                if index > 0 && pause > .zero { try await Task.sleep(for: pause) }
                do {
                    try await outbound.write(ByteBuffer(bytes: chunk))
                } catch {
                    break  // The coordinator may already have closed: what it sent is what counts.
                }
            }
            if closeAfterSending { outbound.finish() }
            var received: [UInt8] = []
            do {
                for try await buffer in inbound { received += Array(buffer.readableBytesView) }
            } catch {
                // A reset after the reject still leaves the reject in `received`.
            }
            return Exchange(received: received)
        }
    }

    /// A frame around `payload`.
    static func frame(_ payload: [UInt8]) -> [UInt8] {
        let count = UInt32(payload.count)
        return [UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)] + payload
    }

    /// Connects with a plain socket, writes `bytes` and closes with a reset (SO_LINGER 0), as a crashed peer does.
    static func sendThenReset(port: Int, bytes: [UInt8]) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw CoordinatorTestError.unexpected("socket failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw CoordinatorTestError.unexpected("connect failed") }
        _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        var lingering = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &lingering, socklen_t(MemoryLayout<linger>.size))
    }
}
