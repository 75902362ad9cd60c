import Foundation
import Shared

/// Memory, swap, CPU busy ratio and load average, from `/proc/meminfo`, `/proc/stat` and `/proc/loadavg`,
/// and space and inodes per mount from `statvfs` (see `DiskUsage`).
actor SystemCollector: Collector {
    nonisolated let name = "system"
    nonisolated let interval: Duration
    nonisolated let timeout: Duration
    private let procRoot: String
    /// The CPU busy ratio needs two readings; with none kept yet, `collect()` takes two this far apart.
    private let firstSampleWindow: Duration
    private var previousCPU: CPUTimes?
    private let disks: DiskUsage

    init(
        timing: CollectorTiming = SystemCollectorKind.defaultTiming,
        procRoot: String = "/proc",
        firstSampleWindow: Duration = .milliseconds(200),
        mounts: [String]? = nil,
        mountTablePath: String = "/proc/self/mounts"
    ) {
        self.interval = timing.interval
        self.timeout = timing.timeout
        self.procRoot = procRoot
        self.firstSampleWindow = firstSampleWindow
        // Half the timeout for the filesystems leaves the rest of the run its time even when a mount hangs.
        self.disks = DiskUsage(selectedPaths: mounts, mountTablePath: mountTablePath, bound: timing.timeout / 2)
    }

    func collect() async throws -> CollectorOutput {
        let meminfoPath = procRoot + "/meminfo"
        let memory = try MemoryInfo(parsing: try ProcFile.read(meminfoPath), path: meminfoPath)
        let loadPath = procRoot + "/loadavg"
        let load = try LoadAverage(parsing: try ProcFile.read(loadPath), path: loadPath)
        let busyRatio = try await cpuBusyRatio()

        var measurements: [MetricSample] = [
            .gauge("system_memory_total_bytes", Double(memory.totalBytes)),
            .gauge("system_memory_available_bytes", Double(memory.availableBytes)),
            .gauge("system_memory_used_ratio", memory.usedRatio),
            .gauge("system_swap_total_bytes", Double(memory.swapTotalBytes)),
            .gauge("system_swap_free_bytes", Double(memory.swapFreeBytes)),
            .gauge("system_load1", load.one),
            .gauge("system_load5", load.five),
            .gauge("system_load15", load.fifteen),
        ]
        if let busyRatio { measurements.append(.gauge("system_cpu_busy_ratio", busyRatio)) }
        measurements += try await disks.measure()
        return CollectorOutput(measurements: measurements)
    }

    private func cpuBusyRatio() async throws -> Double? {
        let statPath = procRoot + "/stat"
        if previousCPU == nil {
            previousCPU = try CPUTimes(parsing: try ProcFile.read(statPath), path: statPath)
            try await Task.sleep(for: firstSampleWindow)
        }
        let current = try CPUTimes(parsing: try ProcFile.read(statPath), path: statPath)
        defer { previousCPU = current }
        return previousCPU.flatMap { current.busyRatio(since: $0) }
    }
}
