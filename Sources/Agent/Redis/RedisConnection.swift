import Foundation
import NIOCore
import NIOPosix
import Shared

/// A client connection to one Redis server, speaking RESP2: commands go out as arrays of bulk strings, never
/// as inline text, so no argument can be misread as a second command.
///
/// The connection lives for the scope of `withConnection`, which connects, authenticates, selects the
/// database and closes the socket afterwards whatever happens. One command runs at a time; a command that
/// fails on the wire (timeout, garbage, closed socket) leaves the connection failed for good, since a late
/// reply would otherwise be taken for the answer to the next command.
struct RedisConnection {
    /// Where to connect and how long to wait.
    struct Options: Sendable, Equatable {
        var address: HostPort
        var username: String?
        var password: String?
        var database: Int = 0
        var connectTimeout: Duration = .seconds(2)
        /// How long one command may take from sending to its complete reply.
        var commandTimeout: Duration = .seconds(2)
        var limits = RESPParser.Limits()
    }

    private let channel: any Channel
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var parser: RESPParser
    private let commandTimeout: Duration
    private var failure: Failure?

    /// Connects to `options.address`, sends AUTH and SELECT when configured, runs `body`, then closes.
    static func withConnection<Result>(
        _ options: Options,
        eventLoopGroup: (any EventLoopGroup)? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (inout RedisConnection) async throws -> sending Result
    ) async throws -> sending Result {
        let asyncChannel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            asyncChannel = try await ClientBootstrap(group: eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(TimeAmount(options.connectTimeout))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: options.address.host, port: options.address.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            try Task.checkCancellation()
            throw Failure.connectFailed(Failure.describeConnectError(error, timeout: options.connectTimeout))
        }
        return try await asyncChannel.executeThenClose { inbound, outbound in
            var connection = RedisConnection(
                channel: asyncChannel.channel,
                inbound: inbound.makeAsyncIterator(),
                outbound: outbound,
                parser: RESPParser(limits: options.limits),
                commandTimeout: options.commandTimeout
            )
            try await connection.prepare(options)
            return try await body(&connection)
        }
    }

    private init(
        channel: any Channel,
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        parser: RESPParser,
        commandTimeout: Duration
    ) {
        self.channel = channel
        self.inbound = inbound
        self.outbound = outbound
        self.parser = parser
        self.commandTimeout = commandTimeout
    }

    /// Sends one command and returns its reply.
    ///
    /// An error reply throws `Failure.serverError` (or `.authenticationFailed` for NOAUTH and WRONGPASS);
    /// errors nested inside an array reply are returned as values.
    mutating func command(_ arguments: [String]) async throws -> RESPValue {
        guard let first = arguments.first else { throw Failure.emptyCommand }
        // Only the command's name ever appears in messages: its arguments may be passwords.
        let name = first.uppercased()
        let reply = try await roundTrip(RESPValue.command(arguments), name: name)
        guard case .error(let message) = reply else { return reply }
        if message.hasPrefix("NOAUTH") || message.hasPrefix("WRONGPASS") { throw Failure.authenticationFailed(message) }
        throw Failure.serverError(command: name, message: message)
    }

    private mutating func prepare(_ options: Options) async throws {
        if let password = options.password {
            let arguments = options.username.map { ["AUTH", $0, password] } ?? ["AUTH", password]
            do {
                _ = try await command(arguments)
            } catch Failure.serverError(_, let message) {
                throw Failure.authenticationFailed(message)
            }
        }
        if options.database != 0 {
            _ = try await command(["SELECT", String(options.database)])
        }
    }

    // MARK: - Wire

    private mutating func roundTrip(_ request: RESPValue, name: String) async throws -> RESPValue {
        if let failure { throw failure }
        let channel = self.channel
        let deadline = ContinuousClock.now + commandTimeout
        // Closing the channel is what ends a pending read, both at the deadline and on cancellation.
        let closeAtDeadline = channel.eventLoop.scheduleTask(in: TimeAmount(commandTimeout)) {
            channel.close(promise: nil)
        }
        defer { closeAtDeadline.cancel() }
        do {
            return try await withTaskCancellationHandler {
                try await send(request, name: name, deadline: deadline)
                return try await readReply(name: name, deadline: deadline)
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch let failure as Failure {
            self.failure = failure
            throw failure
        }
    }

    private func send(_ request: RESPValue, name: String, deadline: ContinuousClock.Instant) async throws {
        do {
            try await outbound.write(ByteBuffer(bytes: request.encoded))
        } catch {
            try Task.checkCancellation()
            if ContinuousClock.now >= deadline { throw Failure.timedOut(command: name, after: commandTimeout) }
            throw Failure.connectionLost(command: name, reason: Failure.describeIOError(error))
        }
    }

    private mutating func readReply(name: String, deadline: ContinuousClock.Instant) async throws -> RESPValue {
        while true {
            do {
                if let reply = try parser.next() { return reply }
            } catch {
                throw Failure.invalidReply(command: name, detail: error.description)
            }
            let chunk: ByteBuffer?
            do {
                chunk = try await inbound.next()
            } catch {
                try Task.checkCancellation()
                if ContinuousClock.now >= deadline { throw Failure.timedOut(command: name, after: commandTimeout) }
                throw Failure.connectionLost(command: name, reason: Failure.describeIOError(error))
            }
            guard let chunk else {
                try Task.checkCancellation()
                if ContinuousClock.now >= deadline { throw Failure.timedOut(command: name, after: commandTimeout) }
                throw Failure.connectionClosed(command: name)
            }
            parser.append(chunk.readableBytesView)
        }
    }
}

extension RedisConnection {
    /// Why a connection or a command failed, in one line that never contains a command's arguments.
    enum Failure: Error, Equatable, CustomStringConvertible {
        case connectFailed(String)
        case authenticationFailed(String)
        case serverError(command: String, message: String)
        case invalidReply(command: String, detail: String)
        case unexpectedReply(command: String, detail: String)
        case timedOut(command: String, after: Duration)
        case connectionClosed(command: String)
        case connectionLost(command: String, reason: String)
        case emptyCommand

        var description: String {
            switch self {
            case .connectFailed(let reason): reason
            case .authenticationFailed(let message): "authentication failed: \(message)"
            case .serverError(let command, let message): "\(command) failed: \(message)"
            case .invalidReply(let command, let detail): "invalid reply to \(command): \(detail)"
            case .unexpectedReply(let command, let detail): "unexpected reply to \(command): \(detail)"
            case .timedOut(let command, let after): "no reply to \(command) within \(after)"
            case .connectionClosed(let command): "connection closed by the server during \(command)"
            case .connectionLost(let command, let reason): "connection lost during \(command): \(reason)"
            case .emptyCommand: "no command given"
            }
        }

        /// NIO's connect errors as a person would say them: "connection refused", not an errno dump.
        static func describeConnectError(_ error: any Error, timeout: Duration) -> String {
            switch error {
            case ChannelError.connectTimeout:
                return "connect timed out after \(timeout)"
            case let error as NIOConnectionError:
                if let first = error.connectionErrors.first { return describeIOError(first.error) }
                if error.dnsAError != nil || error.dnsAAAAError != nil { return "cannot resolve host \(error.host)" }
                return "cannot connect"
            default:
                return describeIOError(error)
            }
        }

        static func describeIOError(_ error: any Error) -> String {
            switch error {
            case ChannelError.connectTimeout: return "connect timed out"
            case ChannelError.ioOnClosedChannel, ChannelError.alreadyClosed, ChannelError.outputClosed:
                return "connection closed"
            case let error as IOError:
                switch error.errnoCode {
                case ECONNREFUSED: return "connection refused"
                case ECONNRESET: return "connection reset by peer"
                case EHOSTUNREACH: return "host unreachable"
                case ENETUNREACH: return "network unreachable"
                case ETIMEDOUT: return "connection timed out"
                case EPIPE: return "connection closed"
                default: return String(cString: strerror(error.errnoCode)).lowercased()
                }
            default:
                return "\(error)"
            }
        }
    }
}
