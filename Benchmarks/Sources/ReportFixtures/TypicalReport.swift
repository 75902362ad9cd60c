import Foundation
import Shared

/// The reports the benchmarks and `WireSize` measure: what an agent sends once a connection is up.
///
/// Everything is deterministic (no clock, no randomness), so sizes are the same on every run and
/// every machine. Series ids are 1...N as `SeriesCatalog` hands them out in the agent.
public enum TypicalReport {
    /// A report sequence number a day into a node's life at the default 1 s report interval (a 3-byte varint).
    public static let seq: UInt64 = 86_400

    /// 2025-11-20T12:00:00.250Z: a fixed collection time with a non-zero millisecond part.
    public static let collectedAt = Date(timeIntervalSince1970: 1_763_640_000.250)

    /// The agent's self stats as a healthy, connected agent reports them.
    public static let selfStats = AgentSelfStats(
        residentMemoryBytes: 23_592_960,
        cpuSeconds: 184.37,
        bufferedReports: 1,
        bufferedBytes: 742,
        droppedReports: 0,
        reconnects: 2
    )

    /// The steady-state report: `sampleCount` number samples for series 1...sampleCount, no declarations.
    public static func steadyState(sampleCount: Int) -> Report {
        Report(
            seq: seq,
            collectedAt: collectedAt,
            declarations: [],
            samples: samples(count: sampleCount),
            selfStats: selfStats
        )
    }

    /// The first report on a connection: the same samples, plus a declaration for every series they use.
    public static func firstOnConnection(sampleCount: Int) -> Report {
        var report = steadyState(sampleCount: sampleCount)
        report.declarations = declarations(count: sampleCount)
        return report
    }

    /// A report with no samples and no declarations: the fixed cost of any report frame.
    public static func empty() -> Report {
        Report(seq: seq, collectedAt: collectedAt, selfStats: selfStats)
    }

    /// One number sample per series 1...count, with a value of the kind that series holds.
    public static func samples(count: Int) -> [Sample] {
        let series = catalog(count: count)
        return series.indices.map { index in
            let id = UInt32(index + 1)
            return Sample(seriesID: SeriesID(id), value: .number(value(for: series[index], id: id)))
        }
    }

    /// `SeriesDeclaration`s for series 1...count, as the agent sends them on a new connection.
    public static func declarations(count: Int) -> [SeriesDeclaration] {
        catalog(count: count).enumerated().map { index, series in
            SeriesDeclaration(id: SeriesID(UInt32(index + 1)), series: series)
        }
    }

    /// A plausible set of series for one host: the system collector's gauges, collector health, then
    /// per-service process series, per-mount disk series and per-interface network series, repeated
    /// over more services, mounts and interfaces until `count` is reached.
    public static func catalog(count: Int) -> [SeriesDescriptor] {
        var result: [SeriesDescriptor] = []
        result.reserveCapacity(count)
        func add(_ series: SeriesDescriptor) {
            if result.count < count { result.append(series) }
        }
        let system = ["collector": "system"]
        for name in [
            "system_memory_total_bytes", "system_memory_available_bytes", "system_memory_used_ratio",
            "system_swap_total_bytes", "system_swap_free_bytes", "system_load1", "system_load5",
            "system_load15", "system_cpu_busy_ratio",
        ] {
            add(SeriesDescriptor(name: name, labels: system, kind: .gauge))
        }
        for collector in ["system", "process", "disk", "net", "probe"] {
            add(SeriesDescriptor(name: "vigil_collector_up", labels: ["collector": collector], kind: .gauge))
        }
        let services = ["nginx", "postgres", "redis", "api", "worker", "scheduler", "sshd", "vigil-agent"]
        let mounts = ["/", "/var", "/home", "/srv"]
        let interfaces = ["eth0", "eth1", "lo"]
        var round = 0
        while result.count < count {
            let suffix = round == 0 ? "" : "-\(round)"
            for service in services {
                let labels = ["collector": "process", "service": service + suffix]
                add(SeriesDescriptor(name: "process_cpu_seconds_total", labels: labels, kind: .counter))
                add(SeriesDescriptor(name: "process_resident_memory_bytes", labels: labels, kind: .gauge))
                add(SeriesDescriptor(name: "process_open_fds", labels: labels, kind: .gauge))
                add(SeriesDescriptor(name: "process_restarts_total", labels: labels, kind: .counter))
            }
            for mount in mounts {
                let labels = ["collector": "disk", "mountpoint": mount + suffix]
                add(SeriesDescriptor(name: "disk_used_bytes", labels: labels, kind: .gauge))
                add(SeriesDescriptor(name: "disk_free_bytes", labels: labels, kind: .gauge))
            }
            for interface in interfaces {
                let labels = ["collector": "net", "interface": interface + suffix]
                add(SeriesDescriptor(name: "net_receive_bytes_total", labels: labels, kind: .counter))
                add(SeriesDescriptor(name: "net_transmit_bytes_total", labels: labels, kind: .counter))
            }
            round += 1
        }
        return result
    }

    /// A value of the right shape for the series: byte counts in the gigabytes, ratios in 0...1,
    /// load averages around 1, up/down as 0 or 1, counters as large running totals.
    static func value(for series: SeriesDescriptor, id: UInt32) -> Double {
        let n = Double(id)
        switch series.name {
        case "vigil_collector_up":
            return 1
        case let name where name.hasSuffix("_ratio"):
            return 0.173 + Double(id % 7) * 0.091
        case let name where name.hasPrefix("system_load"):
            return 0.42 + n * 0.37
        case let name where name.hasSuffix("_bytes_total"):
            return 9_876_543_210 + n * 1_234_567
        case let name where name.hasSuffix("_bytes"):
            return 16_742_752_256 - n * 48_234_496
        case "process_open_fds":
            return 64 + n
        case "process_restarts_total":
            return Double(id % 3)
        default:
            return n * 3_600.125
        }
    }
}
