import Foundation
import SwiftProtobuf

// Conversions between `WireMessage` and the generated protobuf types. Decoding validates every field
// the rest of the code relies on, so a peer's bad input becomes a `WireError` here and nowhere later.

extension WireMessage {
    /// Decodes one frame's payload.
    public init(serializedBytes bytes: some Collection<UInt8>) throws(WireError) {
        let envelope: Vigil_Wire_V1_Envelope
        do {
            envelope = try Vigil_Wire_V1_Envelope(serializedBytes: Array(bytes))
        } catch {
            throw WireError(.malformedMessage, "payload is not a Vigil envelope (\(error))")
        }
        guard let message = envelope.message else {
            let fields = Self.fieldNumbers(inUnknownFields: envelope.unknownFields.data)
            guard !fields.isEmpty else {
                throw WireError(.malformedMessage, "envelope holds no message")
            }
            self = .unknown(fieldNumbers: fields)
            return
        }
        switch message {
        case .hello(let hello): self = .hello(try Hello(hello))
        case .welcome(let welcome): self = .welcome(Welcome(welcome))
        case .reject(let reject): self = .reject(Reject(reject))
        case .report(let report): self = .report(try Report(report))
        case .reportAck(let ack): self = .reportAck(ReportAck(seq: ack.seq))
        case .reportRefusal(let refusal):
            guard refusal.seq > 0 else { throw WireError(.invalidField, "report refusal: seq must start at 1") }
            self = .reportRefusal(ReportRefusal(refusal))
        case .command(let command): self = .command(try CommandRequest(command))
        case .commandResult(let result): self = .commandResult(CommandResult(result))
        case .ping(let ping): self = .ping(Ping(nonce: ping.nonce, sentAtUnixMilliseconds: ping.sentAtUnixMs))
        case .pong(let pong): self = .pong(Pong(nonce: pong.nonce, sentAtUnixMilliseconds: pong.sentAtUnixMs))
        }
    }

    /// Encodes this message as one frame's payload.
    public func serializedBytes() throws(WireError) -> [UInt8] {
        var envelope = Vigil_Wire_V1_Envelope()
        switch self {
        case .hello(let hello): envelope.hello = hello.proto
        case .welcome(let welcome): envelope.welcome = welcome.proto
        case .reject(let reject): envelope.reject = reject.proto
        case .report(let report): envelope.report = report.proto
        case .reportAck(let ack): envelope.reportAck = .with { $0.seq = ack.seq }
        case .reportRefusal(let refusal): envelope.reportRefusal = refusal.proto
        case .command(let command): envelope.command = command.proto
        case .commandResult(let result): envelope.commandResult = result.proto
        case .ping(let ping):
            envelope.ping = .with {
                $0.nonce = ping.nonce
                $0.sentAtUnixMs = ping.sentAtUnixMilliseconds
            }
        case .pong(let pong):
            envelope.pong = .with {
                $0.nonce = pong.nonce
                $0.sentAtUnixMs = pong.sentAtUnixMilliseconds
            }
        case .unknown:
            throw WireError(.unexpectedMessage, "an unknown message cannot be sent")
        }
        do {
            return try envelope.serializedBytes()
        } catch {
            throw WireError(.invalidField, "cannot encode \(kindName): \(error)")
        }
    }

    /// The field numbers of the unknown fields a newer peer sent, read from their protobuf tags.
    private static func fieldNumbers(inUnknownFields data: Data) -> [Int] {
        var numbers: [Int] = []
        var decoder = TagScanner(bytes: Array(data))
        while let number = decoder.nextFieldNumber() { numbers.append(number) }
        return numbers
    }
}

/// Walks protobuf wire-format tags just far enough to name the fields; stops at anything it cannot read.
private struct TagScanner {
    let bytes: [UInt8]
    var index = 0

    mutating func nextFieldNumber() -> Int? {
        guard let tag = readVarint() else { return nil }
        let number = Int(tag >> 3)
        switch tag & 7 {
        case 0: guard readVarint() != nil else { return nil }
        case 1: index += 8
        case 2:
            guard let length = readVarint(), length <= UInt64(bytes.count - index) else { return nil }
            index += Int(length)
        case 5: index += 4
        default: return nil
        }
        return index <= bytes.count && number > 0 ? number : nil
    }

    private mutating func readVarint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}

// MARK: - Time

extension Date {
    init(unixMilliseconds: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(unixMilliseconds) / 1000)
    }

    var unixMilliseconds: Int64 {
        let milliseconds = (timeIntervalSince1970 * 1000).rounded()
        guard milliseconds.isFinite, abs(milliseconds) < 9.0e15 else { return 0 }
        return Int64(milliseconds)
    }
}

extension Duration {
    init(wireMilliseconds: UInt32) {
        self = .milliseconds(Int64(wireMilliseconds))
    }

    /// Whole milliseconds, clamped to what a `uint32` field holds.
    var wireMilliseconds: UInt32 {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return UInt32(clamping: max(0, milliseconds))
    }
}

// MARK: - Handshake

extension ProtocolVersion {
    init(_ proto: Vigil_Wire_V1_ProtocolVersion) {
        self.init(major: proto.major, minor: proto.minor)
    }

    var proto: Vigil_Wire_V1_ProtocolVersion {
        .with {
            $0.major = major
            $0.minor = minor
        }
    }
}

extension Hello {
    init(_ proto: Vigil_Wire_V1_Hello) throws(WireError) {
        guard let nodeID = NodeID(proto.nodeID) else {
            throw WireError(
                .invalidHello,
                "hello: node id \"\(proto.nodeID.prefix(140))\" is invalid (use 1–128 of A-Z a-z 0-9 . _ - :)"
            )
        }
        self.init(
            version: ProtocolVersion(proto.version),
            nodeID: nodeID,
            agentVersion: proto.agentVersion,
            hostname: proto.hostname,
            labels: proto.labels,
            allowedActions: proto.allowedActions,
            lastAcknowledgedSeq: proto.lastAcknowledgedSeq,
            incarnation: proto.incarnation
        )
    }

    var proto: Vigil_Wire_V1_Hello {
        .with {
            $0.version = version.proto
            $0.nodeID = nodeID.rawValue
            $0.agentVersion = agentVersion
            $0.hostname = hostname
            $0.labels = labels
            $0.allowedActions = allowedActions
            $0.lastAcknowledgedSeq = lastAcknowledgedSeq
            $0.incarnation = incarnation
        }
    }
}

extension Welcome {
    init(_ proto: Vigil_Wire_V1_Welcome) {
        self.init(
            version: ProtocolVersion(proto.version),
            reportInterval: Duration(wireMilliseconds: proto.reportIntervalMs),
            serverTimeUnixMilliseconds: proto.serverTimeUnixMs,
            lastReceivedSeq: proto.lastReceivedSeq,
            maximumFrameBytes: proto.maxFrameBytes,
            pingInterval: Duration(wireMilliseconds: proto.pingIntervalMs)
        )
    }

    var proto: Vigil_Wire_V1_Welcome {
        .with {
            $0.version = version.proto
            $0.reportIntervalMs = reportInterval.wireMilliseconds
            $0.serverTimeUnixMs = serverTimeUnixMilliseconds
            $0.lastReceivedSeq = lastReceivedSeq
            $0.maxFrameBytes = maximumFrameBytes
            $0.pingIntervalMs = pingInterval.wireMilliseconds
        }
    }
}

extension Reject {
    init(_ proto: Vigil_Wire_V1_Reject) {
        let reason: Reason =
            switch proto.reason {
            case .versionMismatch: .versionMismatch
            case .duplicateNode: .duplicateNode
            case .frameTooLarge: .frameTooLarge
            case .malformedFrame: .malformedFrame
            case .protocolViolation: .protocolViolation
            case .invalidHello: .invalidHello
            case .timeout: .timeout
            case .shuttingDown: .shuttingDown
            case .unspecified, .UNRECOGNIZED: .unspecified
            }
        self.init(reason: reason, detail: proto.detail)
    }

    var proto: Vigil_Wire_V1_Reject {
        .with {
            $0.reason =
                switch reason {
                case .unspecified: .unspecified
                case .versionMismatch: .versionMismatch
                case .duplicateNode: .duplicateNode
                case .frameTooLarge: .frameTooLarge
                case .malformedFrame: .malformedFrame
                case .protocolViolation: .protocolViolation
                case .invalidHello: .invalidHello
                case .timeout: .timeout
                case .shuttingDown: .shuttingDown
                }
            $0.detail = detail
        }
    }
}
