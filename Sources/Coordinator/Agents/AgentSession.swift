import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Shared

/// One agent connection on the coordinator: handshake, then reports in and acknowledgements out.
///
/// Anything the agent gets wrong ends this session with a `Reject` naming the problem; it never touches
/// another session. Shutdown ends it with `shutting_down`, and the agent replays whatever was not acknowledged.
struct AgentSession {
    struct Settings: Sendable {
        var reportInterval: Duration
        var limits: WireLimits
    }

    let settings: Settings
    let fleet: FleetState
    let registry: AgentRegistry
    /// Told of each new report once it is acknowledged; nil runs ingest alone.
    var observer: (any ReportObserver)?
    /// Told when the node is ready for commands and of the results it sends; nil ignores results.
    var commands: (any CommandChannel)?
    let logger: Logger

    /// How the session ended, for the log line and the tests.
    enum Ending: Equatable, Sendable {
        case closedByAgent
        case agentSaidGoodbye
        case rejected(Reject.Reason)
        case shutdown
    }

    @discardableResult
    func run(_ channel: NIOAsyncChannel<WireMessage, WireMessage>) async -> Ending {
        let peer = channel.channel.remoteAddress?.description ?? "unknown"
        var logger = logger
        logger[metadataKey: MetadataKeys.peerAddress] = "\(peer)"
        let sessionID = await registry.makeSessionID()
        var claimedNode: NodeID?
        let ending: Ending
        do {
            ending = try await channel.executeThenClose { inbound, outbound in
                var messages = inbound.cancelOnGracefulShutdown().makeAsyncIterator()
                do {
                    let hello = try await handshake(
                        next: { try await messages.next() },
                        outbound: outbound,
                        peer: peer,
                        sessionID: sessionID
                    )
                    claimedNode = hello.nodeID
                    logger[metadataKey: MetadataKeys.nodeID] = "\(hello.nodeID)"
                    logger.info("agent connected", metadata: ["agent.version": "\(hello.agentVersion)"])
                    let (outbox, queued) = AgentOutbox.make(session: sessionID)
                    await registry.attach(outbox, to: hello.nodeID)
                    // Commands come from outside the session: a child task writes them alongside the replies the
                    // inbound loop writes (the outbound writer takes writes from several tasks).
                    return try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await message in queued { try await outbound.write(message) }
                        }
                        defer {
                            outbox.close()
                            group.cancelAll()
                        }
                        await commands?.agentConnected(hello.nodeID)
                        var state = SessionState()
                        while let message = try await messages.next() {
                            if let ending = try await handle(
                                message,
                                node: hello.nodeID,
                                state: &state,
                                outbound: outbound
                            ) {
                                return ending
                            }
                        }
                        if Task.isShuttingDownGracefully {
                            try? await outbound.write(
                                .reject(Reject(reason: .shuttingDown, detail: "coordinator is shutting down"))
                            )
                            return .shutdown
                        }
                        return .closedByAgent
                    }
                } catch let reject as Reject {
                    if reject.reason != .shuttingDown { await registry.recordRejection(reject.reason) }
                    try? await outbound.write(.reject(reject))
                    return .rejected(reject.reason)
                } catch let error as WireError {
                    let reject = Reject(reason: error.rejectReason, detail: error.detail)
                    await registry.recordRejection(reject.reason)
                    try? await outbound.write(.reject(reject))
                    return .rejected(reject.reason)
                }
            }
        } catch {
            ending = .closedByAgent
            logger.debug("agent connection failed", metadata: [MetadataKeys.error: "\(error)"])
        }
        if let node = claimedNode {
            await registry.release(node, session: sessionID)
            await fleet.sessionClosed(node, at: Date())
            await commands?.agentDisconnected(node)
        }
        switch ending {
        case .rejected(let reason) where reason != .shuttingDown:
            logger.warning("agent session refused", metadata: [MetadataKeys.reason: "\(reason.rawValue)"])
        case .closedByAgent where claimedNode != nil:
            logger.info("agent lost")
        case .agentSaidGoodbye:
            logger.info("agent disconnected")
        default:
            break
        }
        return ending
    }

    /// Reads the `Hello`, checks it and claims the node; answers `Welcome`, or throws the `Reject` to send.
    private func handshake(
        next: () async throws -> WireMessage?,
        outbound: NIOAsyncChannelOutboundWriter<WireMessage>,
        peer: String,
        sessionID: UInt64
    ) async throws -> Hello {
        guard let first = try await next() else {
            if Task.isShuttingDownGracefully {
                throw Reject(reason: .shuttingDown, detail: "coordinator is shutting down")
            }
            throw Reject(reason: .protocolViolation, detail: "connection closed before hello")
        }
        guard case .hello(let hello) = first else {
            throw Reject(
                reason: .protocolViolation,
                detail: "expected hello as the first message, got \(first.kindName)"
            )
        }
        guard hello.version.isCompatible(with: .current) else {
            throw Reject(
                reason: .versionMismatch,
                detail: "agent speaks protocol \(hello.version), coordinator speaks \(ProtocolVersion.current)"
            )
        }
        if let holder = await registry.claim(hello.nodeID, session: sessionID, peer: peer) {
            throw Reject(
                reason: .duplicateNode,
                detail: "node \(hello.nodeID) already has a live session from \(holder)"
            )
        }
        let lastSeq = await fleet.sessionOpened(hello, peerAddress: peer, at: Date())
        do {
            try await outbound.write(
                .welcome(
                    Welcome(
                        reportInterval: settings.reportInterval,
                        serverTimeUnixMilliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded()),
                        lastReceivedSeq: lastSeq,
                        maximumFrameBytes: UInt32(clamping: settings.limits.maximumFrameBytes),
                        pingInterval: settings.limits.pingInterval
                    )
                )
            )
        } catch {
            // The node was claimed and marked connected; a peer gone before the Welcome must not keep it.
            await registry.release(hello.nodeID, session: sessionID)
            await fleet.sessionClosed(hello.nodeID, at: Date())
            throw error
        }
        return hello
    }

    /// What a session remembers between messages.
    private struct SessionState {
        var series = DeclaredSeries()
        /// Set after a refusal: later reports are ignored, unacknowledged, until this seq is sent again (or
        /// the agent re-declares), so a cumulative ack never covers a report that was refused.
        var awaitingResendOf: UInt64?
    }

    /// Handles one message after the handshake; returns how the session ends, or nil to go on.
    private func handle(
        _ message: WireMessage,
        node: NodeID,
        state: inout SessionState,
        outbound: NIOAsyncChannelOutboundWriter<WireMessage>
    ) async throws -> Ending? {
        switch message {
        case .report(let report):
            try state.series.learn(report.declarations)
            if let awaited = state.awaitingResendOf {
                // The refused report itself, or one that declares every series it uses (the agent re-declared:
                // the refused report may have left its buffer since), ends the wait.
                guard report.seq <= awaited || report.declaresEverySeriesItUses else { return nil }
                state.awaitingResendOf = nil
            }
            switch state.series.resolve(report.samples) {
            case .unknownSeries(let id):
                state.awaitingResendOf = report.seq
                try await outbound.write(
                    .reportRefusal(
                        ReportRefusal(
                            seq: report.seq,
                            reason: .unknownSeries,
                            detail: "series id \(id) was not declared on this connection"
                        )
                    )
                )
            case .resolved(let samples, let skipped):
                if let first = skipped.first {
                    await registry.recordSkippedSamples(skipped.count)
                    logger.warning(
                        "samples that do not fit their series were skipped",
                        metadata: [
                            MetadataKeys.reportSeq: "\(report.seq)", MetadataKeys.count: "\(skipped.count)",
                            MetadataKeys.reason: "\(first)",
                        ]
                    )
                }
                let receivedAt = Date()
                let result = await fleet.ingest(report, resolved: samples, from: node, at: receivedAt)
                if result == .duplicate {
                    logger.debug("duplicate report dropped", metadata: [MetadataKeys.reportSeq: "\(report.seq)"])
                }
                try await outbound.write(.reportAck(ReportAck(seq: report.seq)))
                // Acknowledged first: the report is safe in memory, and evaluation must not delay the agent.
                if result == .accepted, let observer {
                    await observer.reportAccepted(
                        from: node,
                        seriesNames: Set(samples.map(\.0.name)),
                        receivedAt: receivedAt
                    )
                }
            }
        case .ping(let ping):
            let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
            try await outbound.write(.pong(Pong(nonce: ping.nonce, sentAtUnixMilliseconds: now)))
        case .pong:
            break
        case .reject(let reject):
            if reject.reason == .shuttingDown { return .agentSaidGoodbye }
            logger.warning("agent ended the session", metadata: [MetadataKeys.reason: "\(reject)"])
            return .closedByAgent
        case .unknown(let fields):
            await registry.recordUnknownMessage()
            logger.debug("unknown message kind ignored", metadata: ["fields": "\(fields)"])
        case .commandResult(let result):
            if let commands {
                await commands.commandResultArrived(result, from: node)
            } else {
                logger.debug("command result ignored", metadata: [MetadataKeys.commandID: "\(result.commandID)"])
            }
        case .hello, .welcome, .reportAck, .reportRefusal, .command:
            throw Reject(
                reason: .protocolViolation,
                detail: "\(message.kindName) is not valid from an agent after hello"
            )
        }
        return nil
    }
}
