import Foundation

/// Standard output as a text stream that never crashes the process: when the reader has gone away
/// (`… | head`), the rest of the output has nowhere to go, so a failed write is dropped on purpose.
struct StandardOutput: TextOutputStream {
    mutating func write(_ string: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data(string.utf8))
    }
}

/// Standard error, for the one-line error messages; a closed stderr loses the message, never the process.
enum StandardError {
    static func write(_ line: String) {
        try? FileHandle.standardError.write(contentsOf: Data(line.utf8))
    }
}
