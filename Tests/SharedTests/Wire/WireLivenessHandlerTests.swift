import NIOCore
import NIOEmbedded
import Shared
import Testing

@Suite struct WireLivenessHandlerTests {
    private let limits = WireLimits(
        maximumFrameBytes: 1024,
        frameDeadline: .seconds(5),
        idleTimeout: .seconds(15),
        pingInterval: .seconds(5)
    )

    private func makeChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try WirePipeline.addHandlers(to: channel.pipeline.syncOperations, limits: limits)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    private func frame(_ message: WireMessage) throws -> ByteBuffer {
        try FrameEncoder().encode(message)
    }

    @Test func startedFrameMustCompleteWithinTheDeadline() throws {
        let channel = try makeChannel()
        // A header and then one byte: the peer that sends a byte a second.
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 10, 1]))
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        try channel.writeInbound(ByteBuffer(bytes: [2]))
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        let error = #expect(throws: WireError.self) { try channel.throwIfErrorCaught() }
        #expect(error?.kind == .frameDeadlineExceeded)
        #expect(error?.rejectReason == .timeout)
        _ = try? channel.finish()
    }

    @Test func completedFramesClearTheDeadline() throws {
        let channel = try makeChannel()
        var message = try frame(.ping(Ping(nonce: 1, sentAtUnixMilliseconds: 0)))
        let first = message.readSlice(length: 3) ?? ByteBuffer()
        try channel.writeInbound(first)
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        try channel.writeInbound(message)
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        try channel.throwIfErrorCaught()
        #expect(try channel.readInbound(as: WireMessage.self) == .ping(Ping(nonce: 1, sentAtUnixMilliseconds: 0)))
        _ = try? channel.finish()
    }

    @Test func silentPeerIsDroppedAfterTheIdleTimeout() throws {
        let channel = try makeChannel()
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        try channel.writeInbound(try frame(.pong(Pong(nonce: 1, sentAtUnixMilliseconds: 0))))
        channel.embeddedEventLoop.advanceTime(by: .seconds(14))
        try channel.throwIfErrorCaught()
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        let error = #expect(throws: WireError.self) { try channel.throwIfErrorCaught() }
        #expect(error?.kind == .idleTimeout)
        _ = try? channel.finish()
    }

    @Test func pingIsSentOnlyWhenNothingWasWrittenForTheInterval() throws {
        let channel = try makeChannel()
        channel.embeddedEventLoop.advanceTime(by: .seconds(3))
        try channel.writeOutbound(WireMessage.reportAck(ReportAck(seq: 1)))
        _ = try channel.readOutbound(as: ByteBuffer.self)
        channel.embeddedEventLoop.advanceTime(by: .seconds(3))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil, "a write 3 s ago means no ping is due yet")
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        let outbound = try channel.readOutbound(as: ByteBuffer.self)
        var written = try #require(outbound)
        _ = written.readInteger(endianness: .big, as: UInt32.self)
        guard case .ping = try WireMessage(serializedBytes: written.readableBytesView) else {
            Issue.record("expected a ping")
            return
        }
        _ = try? channel.finish()
    }
}
