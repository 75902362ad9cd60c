import NIOCore
import NIOEmbedded
import NIOTestUtils
import Shared
import Testing

@Suite struct FrameDecoderTests {
    private static let limit = 1 << 20

    private func makeChannel(limit: Int = FrameDecoderTests.limit) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(FrameDecoder(maximumFrameBytes: limit), maximumBufferSize: limit + 4)
        )
        return channel
    }

    private func frame(_ payload: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(payload.count), endianness: .big)
        buffer.writeBytes(payload)
        return buffer
    }

    private func decodeError(feeding bytes: [UInt8], limit: Int = FrameDecoderTests.limit) throws -> WireError? {
        let channel = try makeChannel(limit: limit)
        defer { _ = try? channel.finish() }
        do {
            try channel.writeInbound(ByteBuffer(bytes: bytes))
        } catch let error as WireError {
            return error
        }
        return nil
    }

    @Test func passesTheVerifier() throws {
        let inputs: [(ByteBuffer, [ByteBuffer])] = [
            (frame([1, 2, 3]), [ByteBuffer(bytes: [1, 2, 3])]),
            (frame(Array(repeating: 7, count: 300)), [ByteBuffer(bytes: Array(repeating: 7, count: 300))]),
        ]
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: inputs) { FrameDecoder() }
    }

    @Test func zeroLengthIsRefused() throws {
        let error = try #require(try decodeError(feeding: [0, 0, 0, 0]))
        #expect(error.kind == .emptyFrame)
        #expect(error.rejectReason == .malformedFrame)
    }

    @Test(arguments: [UInt32(1 << 20) + 1, UInt32.max])
    func lengthOverTheLimitIsRefusedFromTheHeaderAlone(_ length: UInt32) throws {
        var header = ByteBuffer()
        header.writeInteger(length, endianness: .big)
        let error = try #require(try decodeError(feeding: Array(header.readableBytesView)))
        #expect(error.kind == .frameTooLarge)
        #expect(error.detail.contains("\(length) bytes exceeds the 1048576-byte limit"))
    }

    @Test func httpRequestOnTheAgentPortIsRefusedAndNamed() throws {
        let error = try #require(try decodeError(feeding: Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)))
        #expect(error.kind == .frameTooLarge)
        #expect(error.detail.contains("this is HTTP"))
    }

    @Test func tlsClientHelloOnTheAgentPortIsRefusedAndNamed() throws {
        // The first bytes of a TLS 1.2 ClientHello record.
        let error = try #require(try decodeError(feeding: [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03]))
        #expect(error.kind == .frameTooLarge)
        #expect(error.detail.contains("TLS"))
    }

    @Test func truncatedFrameThenEOFIsNamed() throws {
        let channel = try makeChannel()
        var partial = frame([1, 2, 3, 4, 5, 6])
        partial.moveWriterIndex(to: partial.writerIndex - 2)
        try channel.writeInbound(partial)
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        let error = #expect(throws: WireError.self) { _ = try channel.finish() }
        #expect(error?.kind == .truncatedFrame)
        #expect(error?.detail.contains("8 of 10 bytes") == true)
    }

    @Test func oneFrameFedAByteAtATimeAndAHundredFramesInOneReadDecodeTheSame() throws {
        let messages = (0..<100).map { WireMessage.reportAck(ReportAck(seq: UInt64($0 + 1))) }
        var all = ByteBuffer()
        for message in messages { try FrameEncoder().encode(message, into: &all) }

        let slow = try makeChannel()
        for byte in all.readableBytesView { try slow.writeInbound(ByteBuffer(bytes: [byte])) }
        let fast = try makeChannel()
        try fast.writeInbound(all)

        var slowFrames: [ByteBuffer] = []
        while let frame = try slow.readInbound(as: ByteBuffer.self) { slowFrames.append(frame) }
        var fastFrames: [ByteBuffer] = []
        while let frame = try fast.readInbound(as: ByteBuffer.self) { fastFrames.append(frame) }
        #expect(slowFrames.count == 100)
        #expect(slowFrames == fastFrames)
        let decoded = try fastFrames.map { try WireMessage(serializedBytes: $0.readableBytesView) }
        #expect(decoded == messages)
        #expect(try slow.finish().isClean)
        #expect(try fast.finish().isClean)
    }

    @Test func announcesTheStartOfAnIncompleteFrameOnce() throws {
        let channel = try makeChannel()
        let recorder = EventRecorder()
        try channel.pipeline.syncOperations.addHandler(recorder)
        try channel.writeInbound(ByteBuffer(bytes: [0, 0]))
        try channel.writeInbound(ByteBuffer(bytes: [0, 3, 1]))
        #expect(recorder.frameStarts == 1)
        try channel.writeInbound(ByteBuffer(bytes: [2, 3]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(bytes: [1, 2, 3]))
        try channel.writeInbound(ByteBuffer(bytes: [0]))
        #expect(recorder.frameStarts == 2)
        _ = try? channel.finish()
    }
}

/// Counts `FrameDecoder.FrameStarted` events passing down the pipeline.
final class EventRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    var frameStarts = 0

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is FrameDecoder.FrameStarted { frameStarts += 1 }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }
}
