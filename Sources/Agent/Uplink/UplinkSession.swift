import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Shared
import Synchronization

/// One connection's life on the agent side: Hello, Welcome, then reports out and acknowledgements in,
/// until the connection fails or the agent shuts down.
///
/// A single writer task sends everything, in order; the reader turns what arrives into `UplinkEvent`s for it.
struct UplinkSession {
    enum Result {
        case shutdown
        case failed(wasEstablished: Bool, reason: String)
        /// The coordinator refused in a way retrying cannot fix (an incompatible version, an invalid hello).
        case refusedForGood(reason: String)
    }

    let hello: Hello
    let buffer: ReportBuffer
    let catalog: SeriesCatalog
    let statistics: UplinkStatistics
    /// Runs the coordinator's commands; nil when the agent's policy enables no action.
    var commands: CommandExecutor?
    let logger: Logger

    /// Per-connection protocol state kept by the writer.
    private struct WriterState {
        var welcome: Welcome?
        /// Highest seq written on this connection.
        var sentThrough: UInt64 = 0
        /// Series already declared on this connection.
        var declared: Set<SeriesID> = []
    }

    func run(on channel: NIOAsyncChannel<WireMessage, WireMessage>) async -> Result {
        let (events, continuation) = AsyncStream<UplinkEvent>.makeStream(bufferingPolicy: .bufferingNewest(256))
        await buffer.setListener(continuation)
        await commands?.setListener(continuation)
        let outcome = await withGracefulShutdownHandler {
            await exchange(on: channel, events: events, continuation: continuation)
        } onGracefulShutdown: {
            continuation.yield(.shutdown)
        }
        await buffer.setListener(nil)
        await commands?.setListener(nil)
        continuation.finish()
        return outcome
    }

    private func exchange(
        on channel: NIOAsyncChannel<WireMessage, WireMessage>,
        events: AsyncStream<UplinkEvent>,
        continuation: AsyncStream<UplinkEvent>.Continuation
    ) async -> Result {
        let established = EstablishedFlag()
        do {
            return try await channel.executeThenClose { inbound, outbound in
                try await withThrowingTaskGroup(of: Result.self) { group in
                    group.addTask {
                        try await read(inbound, into: continuation, established: established)
                    }
                    group.addTask {
                        try await write(to: outbound, events: events, established: established)
                    }
                    let first = try await group.next() ?? .failed(wasEstablished: established.value, reason: "closed")
                    group.cancelAll()
                    return first
                }
            }
        } catch {
            return .failed(wasEstablished: established.value, reason: "\(error)")
        }
    }

    private func read(
        _ inbound: NIOAsyncChannelInboundStream<WireMessage>,
        into continuation: AsyncStream<UplinkEvent>.Continuation,
        established: EstablishedFlag
    ) async throws -> Result {
        for try await message in inbound {
            switch message {
            case .welcome(let welcome):
                established.value = true
                continuation.yield(.welcomed(welcome))
            case .reject(let reject):
                guard reject.reason.isRetryable else {
                    logger.error("coordinator refused the session", metadata: [MetadataKeys.reason: "\(reject)"])
                    return .refusedForGood(reason: "rejected: \(reject)")
                }
                return .failed(wasEstablished: established.value, reason: "rejected: \(reject)")
            case .reportAck(let ack):
                await buffer.acknowledge(through: ack.seq)
                continuation.yield(.acknowledged(ack.seq))
            case .reportRefusal(let refusal):
                continuation.yield(.refused(refusal))
            case .ping(let ping):
                continuation.yield(.pingReceived(ping))
            case .command(let request):
                // The executor queues it and returns at once: an action never holds up this loop or reports.
                if let refusal = submit(request) { continuation.yield(.commandAnswered(refusal)) }
            case .pong, .unknown:
                logger.debug("ignored message", metadata: ["kind": "\(message.kindName)"])
            case .hello, .report, .commandResult:
                return .failed(wasEstablished: established.value, reason: "unexpected \(message.kindName) from coordinator")
            }
        }
        return .failed(wasEstablished: established.value, reason: "coordinator closed the connection")
    }

    private func write(
        to outbound: NIOAsyncChannelOutboundWriter<WireMessage>,
        events: AsyncStream<UplinkEvent>,
        established: EstablishedFlag
    ) async throws -> Result {
        var state = WriterState()
        var hello = hello
        hello.lastAcknowledgedSeq = await buffer.acknowledgedThrough
        try await outbound.write(.hello(hello))
        for await event in events {
            switch event {
            case .welcomed(let welcome):
                state.welcome = welcome
                await buffer.reconcile(withCoordinatorLastSeq: welcome.lastReceivedSeq)
                state.sentThrough = await buffer.acknowledgedThrough
                logger.info(
                    "connected to coordinator",
                    metadata: [MetadataKeys.reportSeq: "\(welcome.lastReceivedSeq)"]
                )
                try await sendPending(to: outbound, state: &state)
                try await sendCommandResults(to: outbound, state: state)
            case .commandResultsAvailable:
                try await sendCommandResults(to: outbound, state: state)
            case .commandAnswered(let result):
                try await outbound.write(.commandResult(result))
            case .reportsAvailable, .acknowledged:
                try await sendPending(to: outbound, state: &state)
            case .refused(let refusal):
                logger.warning(
                    "coordinator refused a report; declaring series again",
                    metadata: [MetadataKeys.reportSeq: "\(refusal.seq)", MetadataKeys.reason: "\(refusal.detail)"]
                )
                state.declared.removeAll()
                state.sentThrough = min(state.sentThrough, refusal.seq &- 1)
                try await sendPending(to: outbound, state: &state)
            case .pingReceived(let ping):
                try await outbound.write(.pong(Pong(nonce: ping.nonce, sentAtUnixMilliseconds: Self.nowMilliseconds())))
            case .shutdown:
                try await sendPending(to: outbound, state: &state)
                try await sendCommandResults(to: outbound, state: state)
                if state.welcome != nil {
                    try await outbound.write(.reject(Reject(reason: .shuttingDown, detail: "agent stopping")))
                }
                return .shutdown
            }
        }
        return .failed(wasEstablished: established.value, reason: "event stream ended")
    }

    /// The answer to a command the executor does not take; nil when it was queued.
    private func submit(_ request: CommandRequest) -> CommandResult? {
        let reason: String
        if let commands {
            if commands.submit(request) { return nil }
            reason = "the agent's command queue is full; not run"
        } else {
            reason = "no actions are enabled in this agent's policy"
        }
        logger.warning("command not taken", metadata: [MetadataKeys.commandID: "\(request.id)", MetadataKeys.reason: "\(reason)"])
        let now = Date()
        return CommandResult(
            commandID: request.id,
            outcome: commands == nil ? .refused : .failed,
            startedAt: now,
            finishedAt: now,
            detail: reason
        )
    }

    /// Writes the command results waiting in the executor, then lets it forget them; a result whose write
    /// fails stays for the next connection.
    private func sendCommandResults(
        to outbound: NIOAsyncChannelOutboundWriter<WireMessage>,
        state: WriterState
    ) async throws {
        guard state.welcome != nil, let commands else { return }
        let (results, through) = await commands.undeliveredResults()
        guard !results.isEmpty else { return }
        try await outbound.write(contentsOf: results.map(WireMessage.commandResult))
        await commands.markDelivered(through: through)
    }

    /// Writes every buffered report not yet sent on this connection, declaring the series it is first to use.
    private func sendPending(
        to outbound: NIOAsyncChannelOutboundWriter<WireMessage>,
        state: inout WriterState
    ) async throws {
        guard state.welcome != nil else { return }
        let pending = await buffer.reports(after: state.sentThrough)
        guard !pending.isEmpty else { return }
        let (bufferedReports, bufferedBytes, dropped) = await buffer.statistics
        let usage = SelfUsage.read()
        var messages: [WireMessage] = []
        messages.reserveCapacity(pending.count)
        for var report in pending {
            for sample in report.samples where !state.declared.contains(sample.seriesID) {
                guard let series = catalog.descriptor(for: sample.seriesID) else { continue }
                report.declarations.append(SeriesDeclaration(id: sample.seriesID, series: series))
                state.declared.insert(sample.seriesID)
            }
            report.selfStats = AgentSelfStats(
                residentMemoryBytes: usage.residentBytes,
                cpuSeconds: usage.cpuSeconds,
                bufferedReports: UInt32(clamping: bufferedReports),
                bufferedBytes: UInt64(bufferedBytes),
                droppedReports: dropped,
                reconnects: statistics.reconnects,
                droppedSamples: catalog.droppedSamples
            )
            messages.append(.report(report))
            state.sentThrough = report.seq
        }
        try await outbound.write(contentsOf: messages)
    }

    private static func nowMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}

/// Whether the session got as far as a `Welcome`, shared by the reader and the writer of one connection.
private final class EstablishedFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    var value: Bool {
        get { flag.load(ordering: .relaxed) }
        set { flag.store(newValue, ordering: .relaxed) }
    }
}
