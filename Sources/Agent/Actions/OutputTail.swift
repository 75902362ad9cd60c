/// The last bytes of a process's output, kept as it streams in so a chatty process never costs more memory
/// than the tail a result carries.
struct OutputTail: Sendable {
    let limit: Int
    private(set) var bytes: [UInt8] = []
    /// Every byte seen, including those dropped from the front.
    private(set) var totalBytes = 0

    init(limit: Int = ActionOutcome.maximumTailBytes) {
        self.limit = limit
    }

    mutating func append(contentsOf chunk: some Collection<UInt8>) {
        totalBytes += chunk.count
        bytes.append(contentsOf: chunk)
        // Trimming at twice the limit keeps appends amortised rather than shifting on every chunk.
        if bytes.count > 2 * limit { bytes.removeFirst(bytes.count - limit) }
    }

    var text: String { Self.text(ofLast: limit, in: bytes) }

    /// The last `limit` bytes of `bytes` as text, starting at a whole UTF-8 character.
    static func text(ofLast limit: Int, in bytes: [UInt8]) -> String {
        var start = max(0, bytes.count - limit)
        // Continuation bytes (10xxxxxx) cannot start a character; skip the partial one the cut left.
        while start < bytes.count, bytes[start] & 0b1100_0000 == 0b1000_0000 { start += 1 }
        return String(decoding: bytes[start...], as: UTF8.self)
    }
}
