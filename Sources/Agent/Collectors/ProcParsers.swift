/// `/proc/meminfo`, in bytes.
struct MemoryInfo: Equatable {
    var totalBytes: UInt64
    var availableBytes: UInt64
    var swapTotalBytes: UInt64
    var swapFreeBytes: UInt64

    var usedRatio: Double {
        totalBytes == 0 ? 0 : Double(totalBytes - min(availableBytes, totalBytes)) / Double(totalBytes)
    }

    init(parsing text: String, path: String) throws(CollectorError) {
        var kibibytes: [Substring: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == ":" || $0 == " " })
            guard fields.count >= 2, let value = UInt64(fields[1]) else { continue }
            kibibytes[fields[0]] = value
        }
        guard let total = kibibytes["MemTotal"], let available = kibibytes["MemAvailable"] else {
            throw .malformed(path: path, detail: "MemTotal or MemAvailable missing")
        }
        totalBytes = total * 1024
        availableBytes = available * 1024
        swapTotalBytes = (kibibytes["SwapTotal"] ?? 0) * 1024
        swapFreeBytes = (kibibytes["SwapFree"] ?? 0) * 1024
    }
}

/// The aggregate `cpu` line of `/proc/stat`, in clock ticks.
struct CPUTimes: Equatable {
    var busyTicks: UInt64
    var totalTicks: UInt64

    init(busyTicks: UInt64, totalTicks: UInt64) {
        self.busyTicks = busyTicks
        self.totalTicks = totalTicks
    }

    init(parsing text: String, path: String) throws(CollectorError) {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else {
            throw .malformed(path: path, detail: "no aggregate cpu line")
        }
        let ticks = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard ticks.count >= 4 else { throw .malformed(path: path, detail: "cpu line has \(ticks.count) fields") }
        // user nice system idle iowait irq softirq steal; guest time is already inside user and nice.
        let idle = ticks[3] + (ticks.count > 4 ? ticks[4] : 0)
        let total = ticks.prefix(8).reduce(0, +)
        self.init(busyTicks: total - idle, totalTicks: total)
    }

    /// The share of time the CPUs were busy between `earlier` and this reading; nil when no time passed.
    func busyRatio(since earlier: CPUTimes) -> Double? {
        guard totalTicks > earlier.totalTicks, busyTicks >= earlier.busyTicks else { return nil }
        // iowait may go backwards (the kernel says so), so the ratio is clamped to what it can mean.
        return min(1, Double(busyTicks - earlier.busyTicks) / Double(totalTicks - earlier.totalTicks))
    }
}

/// `/proc/loadavg`.
struct LoadAverage: Equatable {
    var one: Double
    var five: Double
    var fifteen: Double

    init(parsing text: String, path: String) throws(CollectorError) {
        let fields = text.split(separator: " ").prefix(3).compactMap { Double($0) }
        guard fields.count == 3 else { throw .malformed(path: path, detail: "expected three load averages") }
        one = fields[0]
        five = fields[1]
        fifteen = fields[2]
    }
}
