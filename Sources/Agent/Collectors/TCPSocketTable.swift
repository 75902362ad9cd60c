/// The TCP states the kernel writes in `/proc/net/tcp`, by their hexadecimal code.
enum TCPState: UInt8, CaseIterable, Sendable {
    case established = 0x01
    case synSent = 0x02
    case synReceived = 0x03
    case finWait1 = 0x04
    case finWait2 = 0x05
    case timeWait = 0x06
    case close = 0x07
    case closeWait = 0x08
    case lastAck = 0x09
    case listen = 0x0A
    case closing = 0x0B
    case newSynReceived = 0x0C

    /// The label value, as `ss` names the states.
    var label: String {
        switch self {
        case .established: "established"
        case .synSent: "syn_sent"
        case .synReceived: "syn_recv"
        case .finWait1: "fin_wait1"
        case .finWait2: "fin_wait2"
        case .timeWait: "time_wait"
        case .close: "close"
        case .closeWait: "close_wait"
        case .lastAck: "last_ack"
        case .listen: "listen"
        case .closing: "closing"
        case .newSynReceived: "new_syn_recv"
        }
    }
}

/// One socket of `/proc/net/tcp` or `/proc/net/tcp6`: its two ports and its state.
struct TCPSocket: Equatable, Sendable {
    var localPort: UInt16
    var remotePort: UInt16
    var state: TCPState
}

/// Parses `/proc/net/tcp` and `/proc/net/tcp6`.
///
/// Lines look like `0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 …`: slot, local and remote address as
/// hexadecimal IP:port (8 hex digits for IPv4, 32 for IPv6), then the state. Only ports and state are kept.
enum TCPSocketTable {
    /// Every socket of the table; the header line is skipped, and a malformed line is counted, not fatal,
    /// because one odd line must not hide every other connection.
    static func parse(_ text: String) -> (sockets: [TCPSocket], malformedLines: Int) {
        var sockets: [TCPSocket] = []
        var malformed = 0
        for line in text.split(separator: "\n").dropFirst() where !line.allSatisfy(\.isWhitespace) {
            if let socket = parseLine(line) { sockets.append(socket) } else { malformed += 1 }
        }
        return (sockets, malformed)
    }

    static func parseLine(_ line: Substring) -> TCPSocket? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 4, fields[0].hasSuffix(":"),
            let local = port(of: fields[1]),
            let remote = port(of: fields[2]),
            fields[3].count == 2,
            let code = UInt8(fields[3], radix: 16),
            let state = TCPState(rawValue: code)
        else { return nil }
        return TCPSocket(localPort: local, remotePort: remote, state: state)
    }

    private static func port(of field: Substring) -> UInt16? {
        let parts = field.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 8 || parts[0].count == 32,
            parts[0].allSatisfy(\.isHexDigit), parts[1].count == 4
        else { return nil }
        return UInt16(parts[1], radix: 16)
    }
}
