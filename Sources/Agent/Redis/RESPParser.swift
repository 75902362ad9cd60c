/// Reads RESP2 replies from bytes as they arrive, in pieces of any size.
///
/// The parser is resumable: a reply split across reads is never parsed twice from its start, and each
/// nested array waits on a stack of its own, so a long reply costs linear time however it is cut. Every
/// length a server announces is checked against `Limits` before anything is allocated for it, so a broken
/// or hostile server cannot make the agent reserve gigabytes with one line.
struct RESPParser {
    /// The largest reply the parser accepts.
    struct Limits: Sendable, Equatable {
        var maximumBulkLength = 64 * 1024 * 1024
        var maximumArrayCount = 1_048_576
        /// A simple string, error, integer or length line, without its CRLF.
        var maximumLineLength = 64 * 1024
        var maximumNestingDepth = 32
        /// All bytes of one top-level reply, nested elements included.
        var maximumReplyBytes = 256 * 1024 * 1024
    }

    /// Why the bytes are not a RESP2 reply; after one, the connection cannot be trusted to be in step.
    enum ParseError: Error, Equatable, CustomStringConvertible {
        case unexpectedType(UInt8)
        case malformed(String)
        case tooLarge(String)

        var description: String {
            switch self {
            case .unexpectedType(let byte):
                let shown = (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))' " : ""
                return "unexpected reply type byte \(shown)(0x\(String(byte, radix: 16, uppercase: true)))"
            case .malformed(let detail): return detail
            case .tooLarge(let detail): return "reply too large: \(detail)"
            }
        }
    }

    private enum Item {
        case value(RESPValue)
        case arrayHeader(count: Int)
    }

    /// An array whose elements are still arriving.
    private struct PartialArray {
        var expected: Int
        var elements: [RESPValue]
    }

    let limits: Limits
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var pending: [PartialArray] = []
    private var replyBytes = 0

    init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Bytes received but not yet part of a returned reply.
    var bufferedByteCount: Int { buffer.count - readIndex }

    mutating func append(_ bytes: some Sequence<UInt8>) {
        // Drop consumed bytes once they are the larger part, so compaction stays linear overall.
        if readIndex > 0, readIndex >= buffer.count - readIndex {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete reply, or nil until more bytes arrive.
    mutating func next() throws(ParseError) -> RESPValue? {
        while let (item, end) = try parseItem(at: readIndex) {
            replyBytes += end - readIndex
            readIndex = end
            guard replyBytes <= limits.maximumReplyBytes else {
                throw .tooLarge("more than \(limits.maximumReplyBytes) bytes in one reply")
            }
            var completed: RESPValue
            switch item {
            case .value(let value):
                completed = value
            case .arrayHeader(let count) where count == 0:
                completed = .array([])
            case .arrayHeader(let count):
                guard pending.count < limits.maximumNestingDepth else {
                    throw .tooLarge("arrays nested more than \(limits.maximumNestingDepth) deep")
                }
                var elements: [RESPValue] = []
                // The count is only a claim until the elements arrive: reserve little up front.
                elements.reserveCapacity(min(count, 1024))
                pending.append(PartialArray(expected: count, elements: elements))
                continue
            }
            while var array = pending.popLast() {
                array.elements.append(completed)
                guard array.elements.count == array.expected else {
                    pending.append(array)
                    break
                }
                completed = .array(array.elements)
            }
            if pending.isEmpty {
                replyBytes = 0
                return completed
            }
        }
        return nil
    }

    // MARK: - Items

    private func parseItem(at start: Int) throws(ParseError) -> (Item, end: Int)? {
        guard start < buffer.count else { return nil }
        let type = buffer[start]
        switch type {
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "$"), UInt8(ascii: "*"): break
        default: throw .unexpectedType(type)
        }
        guard let (line, afterLine) = try line(from: start + 1) else { return nil }
        switch type {
        case UInt8(ascii: "+"):
            return (.value(.simpleString(text(line))), afterLine)
        case UInt8(ascii: "-"):
            return (.value(.error(text(line))), afterLine)
        case UInt8(ascii: ":"):
            guard let value = integer(line) else { throw .malformed("invalid integer \"\(text(line))\"") }
            return (.value(.integer(value)), afterLine)
        case UInt8(ascii: "$"):
            let length = try length(line, of: "bulk string", limit: limits.maximumBulkLength)
            guard let length else { return (.value(.bulkString(nil)), afterLine) }
            let end = afterLine + length
            guard end + 2 <= buffer.count else { return nil }
            guard buffer[end] == UInt8(ascii: "\r"), buffer[end + 1] == UInt8(ascii: "\n") else {
                throw .malformed("bulk string of \(length) bytes is not followed by CRLF")
            }
            return (.value(.bulkString(Array(buffer[afterLine..<end]))), end + 2)
        default:
            let count = try length(line, of: "array", limit: limits.maximumArrayCount)
            guard let count else { return (.value(.array(nil)), afterLine) }
            return (.arrayHeader(count: count), afterLine)
        }
    }

    /// The line starting at `start` without its CRLF, and where the next item starts; nil if incomplete.
    private func line(from start: Int) throws(ParseError) -> (Range<Int>, next: Int)? {
        let searchEnd = min(buffer.count, start + limits.maximumLineLength + 1)
        var index = start
        while index < searchEnd {
            switch buffer[index] {
            case UInt8(ascii: "\r"):
                guard index + 1 < buffer.count else { return nil }
                guard buffer[index + 1] == UInt8(ascii: "\n") else {
                    throw .malformed("carriage return not followed by line feed")
                }
                return (start..<index, index + 2)
            case UInt8(ascii: "\n"):
                throw .malformed("line feed without carriage return")
            default:
                index += 1
            }
        }
        guard buffer.count - start <= limits.maximumLineLength else {
            throw .tooLarge("line longer than \(limits.maximumLineLength) bytes")
        }
        return nil
    }

    /// A bulk string's or array's length: nil for -1 (null), refused when negative otherwise or over `limit`.
    private func length(_ line: Range<Int>, of kind: String, limit: Int) throws(ParseError) -> Int? {
        guard let value = integer(line), value >= -1 else {
            throw .malformed("invalid \(kind) length \"\(text(line))\"")
        }
        if value == -1 { return nil }
        guard value <= Int64(limit) else {
            throw .tooLarge(
                "\(kind) of \(value) \(kind == "array" ? "elements" : "bytes") exceeds the limit of \(limit)"
            )
        }
        return Int(value)
    }

    /// Strict decimal: an optional minus sign and at least one digit, nothing else, no overflow.
    private func integer(_ range: Range<Int>) -> Int64? {
        var index = range.lowerBound
        let isNegative = index < range.upperBound && buffer[index] == UInt8(ascii: "-")
        if isNegative { index += 1 }
        guard index < range.upperBound else { return nil }
        var value: Int64 = 0
        while index < range.upperBound {
            let byte = buffer[index]
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) =
                isNegative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = next
            index += 1
        }
        return value
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: buffer[range], as: UTF8.self)
    }
}
