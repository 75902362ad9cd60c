import NIOCore

/// Splits a byte stream into frames: a 4-byte big-endian length N, then N bytes of payload.
///
/// The length is checked against the limit as soon as the 4 header bytes are in, before any of the payload
/// is buffered, so an announced 4 GiB frame costs nothing. Announces the start of each incomplete frame with
/// `FrameDecoder.FrameStarted` so `WireLivenessHandler` can hold it to the frame deadline.
public struct FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// Fired once per frame when its first bytes have arrived but not all of them.
    public struct FrameStarted: Hashable, Sendable {}

    public static let headerLength = 4

    private let maximumFrameBytes: Int
    private var hasAnnouncedCurrentFrame = false

    public init(maximumFrameBytes: Int = WireLimits.defaultMaximumFrameBytes) {
        self.maximumFrameBytes = maximumFrameBytes
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            announceFrameStart(context: context, bufferedBytes: buffer.readableBytes)
            return .needMoreData
        }
        try Self.check(length: length, limit: maximumFrameBytes, header: buffer.getBytes(at: buffer.readerIndex, length: 4))
        guard let frame = buffer.getSlice(at: buffer.readerIndex + Self.headerLength, length: Int(length)) else {
            announceFrameStart(context: context, bufferedBytes: buffer.readableBytes)
            return .needMoreData
        }
        buffer.moveReaderIndex(forwardBy: Self.headerLength + Int(length))
        hasAnnouncedCurrentFrame = false
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 {
            let missing = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self)
                .map { " of \(Int($0) + Self.headerLength)" } ?? ""
            let received = buffer.readableBytes
            buffer.moveReaderIndex(forwardBy: received)
            throw WireError(.truncatedFrame, "connection ended inside a frame (\(received)\(missing) bytes received)")
        }
        return .needMoreData
    }

    private mutating func announceFrameStart(context: ChannelHandlerContext, bufferedBytes: Int) {
        guard bufferedBytes > 0, !hasAnnouncedCurrentFrame else { return }
        hasAnnouncedCurrentFrame = true
        context.fireUserInboundEventTriggered(FrameStarted())
    }

    /// Refuses a zero or oversized length, naming what the bytes look like when they are plainly not Vigil.
    static func check(length: UInt32, limit: Int, header: [UInt8]?) throws(WireError) {
        guard length > 0 else {
            throw WireError(.emptyFrame, "frame announces zero bytes; every frame holds one message")
        }
        guard UInt64(length) <= UInt64(limit) else {
            let hint = header.map(Self.recognisedProtocol) ?? ""
            throw WireError(.frameTooLarge, "frame of \(length) bytes exceeds the \(limit)-byte limit\(hint)")
        }
    }

    /// A hint for the operator when another protocol is talking to the agent port.
    private static func recognisedProtocol(_ header: [UInt8]) -> String {
        if header.count >= 3, header[0] == 0x16, header[1] == 0x03 {
            return " (this is a TLS handshake: the peer speaks TLS but this port does not)"
        }
        let text = String(decoding: header, as: UTF8.self)
        for method in ["GET ", "POST", "PUT ", "HEAD", "HTTP", "OPTI", "DELE", "PATC", "PRI "] where text == method {
            return " (this is HTTP: point HTTP clients at the API port, not the agent port)"
        }
        return ""
    }
}
