import Foundation

/// Reads the small text files under `/proc`, whose size `stat` reports as zero.
enum ProcFile {
    static func read(_ path: String) throws(CollectorError) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        do {
            guard let data = try handle.readToEnd() else { return "" }
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
    }
}
