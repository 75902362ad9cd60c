import Foundation
import NIOCore

/// Holds a connection to the wire's time limits: a started frame must complete within the frame deadline,
/// some frame must arrive within the idle timeout, and a `Ping` goes out when nothing has been written for
/// the ping interval.
///
/// A broken limit is raised as a `WireError` through `errorCaught`; the session above decides how to close.
public final class WireLivenessHandler: ChannelDuplexHandler {
    public typealias InboundIn = WireMessage
    public typealias InboundOut = WireMessage
    public typealias OutboundIn = WireMessage
    public typealias OutboundOut = WireMessage

    private let limits: WireLimits
    private var frameDeadline: Scheduled<Void>?
    private var idleDeadline: Scheduled<Void>?
    private var pingTimer: Scheduled<Void>?
    private var lastWrite: NIODeadline = .now()
    private var nextPingNonce: UInt64 = 1
    private var hasFailed = false

    public init(limits: WireLimits) {
        self.limits = limits
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        stopTimers()
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        stopTimers()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        frameDeadline?.cancel()
        frameDeadline = nil
        armIdleDeadline(context: context)
        context.fireChannelRead(data)
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is FrameDecoder.FrameStarted else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard frameDeadline == nil else { return }
        let limit = limits.frameDeadline
        frameDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(limit)) { [self] in
            fail(context: context, WireError(.frameDeadlineExceeded, "a frame started but did not complete within \(limit)"))
        }
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        lastWrite = context.eventLoop.now
        context.write(data, promise: promise)
    }

    private func start(context: ChannelHandlerContext) {
        guard idleDeadline == nil, !hasFailed else { return }
        lastWrite = context.eventLoop.now
        armIdleDeadline(context: context)
        schedulePing(context: context, after: TimeAmount(limits.pingInterval))
    }

    private func armIdleDeadline(context: ChannelHandlerContext) {
        guard !hasFailed else { return }
        idleDeadline?.cancel()
        let limit = limits.idleTimeout
        idleDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(limit)) { [self] in
            fail(context: context, WireError(.idleTimeout, "no message from the peer within \(limit)"))
        }
    }

    private func schedulePing(context: ChannelHandlerContext, after delay: TimeAmount) {
        pingTimer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            let interval = TimeAmount(limits.pingInterval)
            let quietFor = context.eventLoop.now - lastWrite
            if quietFor >= interval {
                let ping = Ping(nonce: nextPingNonce, sentAtUnixMilliseconds: Date().unixMilliseconds)
                nextPingNonce &+= 1
                context.writeAndFlush(Self.wrapOutboundOut(.ping(ping)), promise: nil)
                schedulePing(context: context, after: interval)
            } else {
                schedulePing(context: context, after: interval - quietFor)
            }
        }
    }

    private func fail(context: ChannelHandlerContext, _ error: WireError) {
        guard !hasFailed else { return }
        hasFailed = true
        stopTimers()
        context.fireErrorCaught(error)
    }

    private func stopTimers() {
        frameDeadline?.cancel()
        idleDeadline?.cancel()
        pingTimer?.cancel()
        frameDeadline = nil
        idleDeadline = nil
        pingTimer = nil
    }
}
