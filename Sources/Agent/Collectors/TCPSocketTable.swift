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
/// The table can hold hundreds of thousands of lines on a busy host, so it is read as bytes, not Characters.
enum TCPSocketTable {
    /// Every socket of the table; the header line is skipped, and a malformed line is counted, not fatal,
    /// because one odd line must not hide every other connection.
    static func parse(_ text: String) -> (sockets: [TCPSocket], malformedLines: Int) {
        var sockets: [TCPSocket] = []
        var malformed = 0
        var text = text
        text.withUTF8 { bytes in
            var isHeader = true
            for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
                if isHeader {
                    isHeader = false
                    continue
                }
                if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
                if let socket = parseLine(line) { sockets.append(socket) } else { malformed += 1 }
            }
        }
        return (sockets, malformed)
    }

    static func parseLine(_ line: Substring) -> TCPSocket? {
        var line = String(line)
        return line.withUTF8 { parseLine($0[...]) }
    }

    static func parseLine(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> TCPSocket? {
        var fields: [Slice<UnsafeBufferPointer<UInt8>>] = []
        fields.reserveCapacity(4)
        for field in line.split(separator: UInt8(ascii: " "), maxSplits: 4, omittingEmptySubsequences: true) {
            fields.append(field)
            if fields.count == 4 { break }
        }
        guard fields.count == 4, fields[0].last == UInt8(ascii: ":"),
            let local = port(of: fields[1]),
            let remote = port(of: fields[2]),
            fields[3].count == 2,
            let code = hexValue(fields[3]),
            let state = TCPState(rawValue: UInt8(code))
        else { return nil }
        return TCPSocket(localPort: local, remotePort: remote, state: state)
    }

    private static func port(of field: Slice<UnsafeBufferPointer<UInt8>>) -> UInt16? {
        guard let colon = field.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let address = field[field.startIndex..<colon]
        let port = field[(colon + 1)...]
        guard address.count == 8 || address.count == 32, address.allSatisfy(isHexDigit),
            port.count == 4, let value = hexValue(port)
        else { return nil }
        return UInt16(value)
    }

    /// The value of up to 16 hexadecimal digits; nil for anything else.
    private static func hexValue(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            true
        default:
            false
        }
    }
}
