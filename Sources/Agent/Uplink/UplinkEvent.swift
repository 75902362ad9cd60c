import Shared

/// What wakes the connection's writer: new reports, the reader's findings, or shutdown.
enum UplinkEvent: Sendable {
    case reportsAvailable
    case welcomed(Welcome)
    case acknowledged(UInt64)
    case refused(ReportRefusal)
    case pingReceived(Ping)
    /// The command executor has results to send.
    case commandResultsAvailable
    /// A result to send at once: the answer to a command the executor could not take.
    case commandAnswered(CommandResult)
    case shutdown
}
