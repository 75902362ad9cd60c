import Shared

/// What wakes the connection's writer: new reports, the reader's findings, or shutdown.
enum UplinkEvent: Sendable {
    case reportsAvailable
    case welcomed(Welcome)
    case acknowledged(UInt64)
    case refused(ReportRefusal)
    case pingReceived(Ping)
    case shutdown
}
