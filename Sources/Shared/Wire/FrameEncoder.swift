import NIOCore

/// Writes a message as one frame, refusing what the receiving side would refuse.
public struct FrameEncoder: Sendable {
    public let maximumFrameBytes: Int

    public init(maximumFrameBytes: Int = WireLimits.defaultMaximumFrameBytes) {
        self.maximumFrameBytes = maximumFrameBytes
    }

    /// Appends the frame for `message` to `buffer`; throws `frameTooLarge` and leaves `buffer` alone if it is too big.
    public func encode(_ message: WireMessage, into buffer: inout ByteBuffer) throws(WireError) {
        let payload = try message.serializedBytes()
        guard payload.count <= maximumFrameBytes else {
            throw WireError(
                .frameTooLarge,
                "\(message.kindName) of \(payload.count) bytes exceeds the \(maximumFrameBytes)-byte frame limit"
            )
        }
        buffer.reserveCapacity(minimumWritableBytes: FrameDecoder.headerLength + payload.count)
        buffer.writeInteger(UInt32(payload.count), endianness: .big)
        buffer.writeBytes(payload)
    }

    /// The frame for `message` in a new buffer.
    public func encode(_ message: WireMessage, allocator: ByteBufferAllocator = ByteBufferAllocator()) throws(WireError)
        -> ByteBuffer
    {
        var buffer = allocator.buffer(capacity: 256)
        try encode(message, into: &buffer)
        return buffer
    }
}
