import Foundation
import Shared

/// How a watched process is found among the running ones.
enum ProcessMatcher: Sendable, Equatable {
    /// The kernel's `comm` name, or the base name of `argv[0]` for names longer than `comm` keeps.
    case processName(String)
    /// The pid written in this file.
    case pidFile(String)
    /// A regular expression searched in the command line, its arguments joined by spaces.
    case commandLine(String)
}

/// Resident memory, CPU time, open files, threads, uptime, restarts and memory growth of one watched process.
///
/// When several processes match (a server and its workers) their memory, CPU, files and threads are summed
/// and `process_count` says how many there were. A process that is not running is not a failure of the
/// collector: `process_up 0` is the signal. Only a pid file that cannot be read or names a dead pid is one.
actor ProcessCollector: Collector {
    nonisolated let name: String
    nonisolated let interval: Duration
    nonisolated let timeout: Duration
    nonisolated let processName: String
    nonisolated let matcher: ProcessMatcher
    private let procRoot: String
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant
    /// The processes of the last run that found any; one outside it counts as a restart.
    private var lastSeen: Set<ProcessIdentity>?
    private var restarts = 0
    private var trend: RSSTrend

    init(
        processName: String,
        matcher: ProcessMatcher,
        trendWindow: Duration = ProcessCollectorKind.defaultTrendWindow,
        timing: CollectorTiming = ProcessCollectorKind.defaultTiming,
        procRoot: String = "/proc"
    ) {
        self.name = "process:\(processName)"
        self.processName = processName
        self.matcher = matcher
        self.interval = timing.interval
        self.timeout = timing.timeout
        self.procRoot = procRoot
        self.trend = RSSTrend(window: trendWindow)
        self.origin = clock.now
    }

    func collect() async throws -> CollectorOutput {
        let pids = try matchingPIDs()
        var stats: [(pid: Int32, stat: ProcessStat)] = []
        for pid in pids.sorted() {
            // A process may end between the listing and this read; it is then simply not counted.
            let path = "\(procRoot)/\(pid)/stat"
            if let text = try? ProcFile.read(path) { stats.append((pid, try ProcessStat(parsing: text, path: path))) }
        }
        let labels = ["process": processName]
        let found = Set(stats.map { ProcessIdentity(pid: $0.pid, startTicks: $0.stat.startTicks) })
        if !found.isEmpty {
            // A process not seen in the last run that found any means it was started again (its memory trend
            // starts over with it).
            if let lastSeen, !found.isSubset(of: lastSeen) {
                restarts += 1
                trend.reset()
            }
            lastSeen = found
        }
        var measurements: [MetricSample] = [
            .gauge("process_up", found.isEmpty ? 0 : 1, labels: labels),
            .gauge("process_count", Double(found.count), labels: labels),
            .counter("process_restarts_total", Double(restarts), labels: labels),
        ]
        guard !stats.isEmpty else {
            trend.reset()
            return CollectorOutput(measurements: measurements)
        }
        let resident = stats.reduce(0) { $0 + $1.stat.residentBytes }
        let uptimePath = procRoot + "/uptime"
        let bootSeconds = try SystemUptime.parse(try ProcFile.read(uptimePath), path: uptimePath)
        let oldestStart = stats.map(\.stat.startSecondsAfterBoot).min() ?? bootSeconds
        measurements += [
            .gauge("process_resident_memory_bytes", Double(resident), labels: labels),
            .counter("process_cpu_seconds_total", stats.reduce(0) { $0 + $1.stat.cpuSeconds }, labels: labels),
            .gauge("process_threads", Double(stats.reduce(0) { $0 + $1.stat.threads }), labels: labels),
            .gauge("process_uptime_seconds", max(0, bootSeconds - oldestStart), labels: labels),
        ]
        // Another user's process hides its descriptors unless we are root; a partial sum would mislead.
        let fdCounts = stats.map { try? FileManager.default.contentsOfDirectory(atPath: "\(procRoot)/\($0.pid)/fd").count }
        if !fdCounts.contains(where: { $0 == nil }) {
            measurements.append(.gauge("process_open_fds", Double(fdCounts.reduce(0) { $0 + ($1 ?? 0) }), labels: labels))
        }
        let elapsed = origin.duration(to: clock.now).components
        trend.add(bytes: resident, atSeconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
        if let slope = trend.slope {
            measurements.append(.gauge("process_rss_growth_bytes_per_second", slope, labels: labels))
        }
        return CollectorOutput(measurements: measurements)
    }

    // MARK: - Matching

    private func matchingPIDs() throws(CollectorError) -> [Int32] {
        try matcher.matchingPIDs(procRoot: procRoot, target: "process \(processName)")
    }
}

/// A pid with its start time, so a pid the kernel hands out again is still a different process.
private struct ProcessIdentity: Hashable {
    var pid: Int32
    var startTicks: UInt64
}
