import Foundation

/// The agent's own resident memory and CPU time, from `/proc/self`.
enum SelfUsage {
    static func read() -> (residentBytes: UInt64, cpuSeconds: Double) {
        var resident: UInt64 = 0
        if let status = try? ProcFile.read("/proc/self/status"),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kibibytes = line.split(separator: " ").dropFirst().first.flatMap({ UInt64($0) })
        {
            resident = kibibytes * 1024
        }
        var cpu: Double = 0
        if let stat = try? ProcFile.read("/proc/self/stat"), let close = stat.lastIndex(of: ")") {
            // Fields after "(comm)": state is field 3, utime 14 and stime 15 (1-based).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) {
                cpu = (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
            }
        }
        return (resident, cpu)
    }
}
