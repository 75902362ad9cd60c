import NIOCore

/// Turns frame payloads into `WireMessage`s and `WireMessage`s into frames.
public final class WireMessageCodec: ChannelDuplexHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = WireMessage
    public typealias OutboundIn = WireMessage
    public typealias OutboundOut = ByteBuffer

    private let encoder: FrameEncoder

    public init(maximumFrameBytes: Int = WireLimits.defaultMaximumFrameBytes) {
        self.encoder = FrameEncoder(maximumFrameBytes: maximumFrameBytes)
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let payload = Self.unwrapInboundIn(data)
        do {
            let message = try WireMessage(serializedBytes: payload.readableBytesView)
            context.fireChannelRead(Self.wrapInboundOut(message))
        } catch {
            context.fireErrorCaught(error)
        }
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let message = Self.unwrapOutboundIn(data)
        var buffer = context.channel.allocator.buffer(capacity: 256)
        do {
            try encoder.encode(message, into: &buffer)
            context.write(Self.wrapOutboundOut(buffer), promise: promise)
        } catch {
            promise?.fail(error)
        }
    }
}

extension WireMessageCodec: @unchecked Sendable {
    // Invariant: the codec holds only an immutable encoder and is used on its channel's event loop.
}
