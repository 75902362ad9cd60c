import NIOCore

/// Installs the Vigil wire handlers on a channel, in the same order on both ends.
public enum WirePipeline {
    /// Adds framing, the message codec and the liveness limits; the channel then reads and writes `WireMessage`s.
    public static func addHandlers(to pipeline: ChannelPipeline.SynchronousOperations, limits: WireLimits) throws {
        let headroom = FrameDecoder.headerLength
        try pipeline.addHandler(
            ByteToMessageHandler(
                FrameDecoder(maximumFrameBytes: limits.maximumFrameBytes),
                maximumBufferSize: limits.maximumFrameBytes + headroom
            )
        )
        try pipeline.addHandler(WireMessageCodec(maximumFrameBytes: limits.maximumFrameBytes))
        try pipeline.addHandler(WireLivenessHandler(limits: limits))
    }
}
