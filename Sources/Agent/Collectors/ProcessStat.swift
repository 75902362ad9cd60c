import Foundation

/// What `/proc/PID/stat` says of one process: its name, CPU time, threads, start and resident memory.
struct ProcessStat: Equatable, Sendable {
    /// The kernel's short name (`comm`), at most 15 bytes.
    var command: String
    var userTicks: UInt64
    var systemTicks: UInt64
    var threads: UInt64
    /// Clock ticks after boot at which the process started.
    var startTicks: UInt64
    var residentPages: UInt64

    /// `comm` may itself hold spaces and parentheses, so the fields are counted from the last `)`.
    init(parsing text: String, path: String) throws(CollectorError) {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close else {
            throw .malformed(path: path, detail: "no (command) field")
        }
        command = String(text[text.index(after: open)..<close])
        // After ")": state is field 3; utime 14, stime 15, num_threads 20, starttime 22 and rss 24 (1-based).
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 21,
            let user = UInt64(fields[11]),
            let system = UInt64(fields[12]),
            let threads = UInt64(fields[17]),
            let start = UInt64(fields[19]),
            let rss = Int64(fields[21])
        else {
            throw .malformed(path: path, detail: "expected at least 24 numeric fields")
        }
        userTicks = user
        systemTicks = system
        self.threads = threads
        startTicks = start
        residentPages = UInt64(max(0, rss))
    }

    static let ticksPerSecond = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
    static let pageSize = UInt64(max(1, sysconf(Int32(_SC_PAGESIZE))))

    var cpuSeconds: Double { Double(userTicks + systemTicks) / Self.ticksPerSecond }
    var residentBytes: UInt64 { residentPages * Self.pageSize }
    var startSecondsAfterBoot: Double { Double(startTicks) / Self.ticksPerSecond }
}

/// The first field of `/proc/uptime`: seconds since boot.
enum SystemUptime {
    static func parse(_ text: String, path: String) throws(CollectorError) -> Double {
        guard let first = text.split(separator: " ").first, let seconds = Double(first) else {
            throw .malformed(path: path, detail: "expected seconds since boot")
        }
        return seconds
    }
}
