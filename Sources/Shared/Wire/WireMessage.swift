/// Every message of the Vigil wire protocol, as the rest of the code sees it.
///
/// Generated protobuf types stay behind this enum: `WireMessage+Protobuf.swift` converts at the edge and
/// validates what it converts, so code past the codec only ever sees well-formed values.
public enum WireMessage: Hashable, Sendable {
    case hello(Hello)
    case welcome(Welcome)
    case reject(Reject)
    case report(Report)
    case reportAck(ReportAck)
    case reportRefusal(ReportRefusal)
    case command(CommandRequest)
    case commandResult(CommandResult)
    case ping(Ping)
    case pong(Pong)
    /// A message kind this build does not know (from a newer minor version); counted and ignored.
    case unknown(fieldNumbers: [Int])

    /// A short name for logs and counters.
    public var kindName: String {
        switch self {
        case .hello: "hello"
        case .welcome: "welcome"
        case .reject: "reject"
        case .report: "report"
        case .reportAck: "report_ack"
        case .reportRefusal: "report_refusal"
        case .command: "command"
        case .commandResult: "command_result"
        case .ping: "ping"
        case .pong: "pong"
        case .unknown: "unknown"
        }
    }
}
