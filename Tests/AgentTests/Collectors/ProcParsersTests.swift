import Shared
import Testing

@testable import Agent

@Suite struct ProcParsersTests {
    private let meminfo = """
        MemTotal:       16303428 kB
        MemFree:         1234567 kB
        MemAvailable:    8151714 kB
        SwapTotal:       2097148 kB
        SwapFree:        2097148 kB
        """

    @Test func meminfoGivesBytesAndTheUsedRatio() throws {
        let memory = try MemoryInfo(parsing: meminfo, path: "meminfo")
        #expect(memory.totalBytes == 16_303_428 * 1024)
        #expect(memory.availableBytes == 8_151_714 * 1024)
        #expect(abs(memory.usedRatio - 0.5) < 0.001)
        #expect(memory.swapFreeBytes == 2_097_148 * 1024)
    }

    @Test func meminfoWithoutMemAvailableIsNamed() {
        let error = #expect(throws: CollectorError.self) { try MemoryInfo(parsing: "MemTotal: 1 kB\n", path: "/proc/meminfo") }
        #expect(error?.description == "unexpected content in /proc/meminfo: MemTotal or MemAvailable missing")
    }

    @Test func cpuBusyRatioComesFromTheDifferenceOfTwoReadings() throws {
        let earlier = try CPUTimes(parsing: "cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3 4\n", path: "stat")
        let later = try CPUTimes(parsing: "cpu  250 0 150 850 150 0 0 0 0 0\n", path: "stat")
        // busy grew by 200 of 400 ticks; idle and iowait are not busy.
        #expect(later.busyRatio(since: earlier) == 0.5)
        #expect(earlier.busyRatio(since: earlier) == nil)
    }

    @Test(arguments: ["", "intr 1 2 3\n", "cpu  1 2\n"])
    func malformedStatIsRefused(_ text: String) {
        #expect(throws: CollectorError.self) { try CPUTimes(parsing: text, path: "stat") }
    }

    @Test func loadAverageParsesAndRefusesGarbage() throws {
        let load = try LoadAverage(parsing: "0.52 1.25 2.00 3/456 7890\n", path: "loadavg")
        #expect(load.one == 0.52 && load.five == 1.25 && load.fifteen == 2.0)
        #expect(throws: CollectorError.self) { try LoadAverage(parsing: "busy\n", path: "loadavg") }
    }

    @Test func systemCollectorReadsThisHostsProc() async throws {
        let measurements = try await SystemCollector(firstSampleWindow: .milliseconds(50)).collect().measurements
        let byName = Dictionary(measurements.map { ($0.series.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard case .number(let total)? = byName["system_memory_total_bytes"],
            case .number(let available)? = byName["system_memory_available_bytes"],
            case .number(let busy)? = byName["system_cpu_busy_ratio"]
        else {
            Issue.record("missing system measurements: \(byName.keys.sorted())")
            return
        }
        #expect(total > 0 && available > 0 && available <= total)
        #expect(busy >= 0 && busy <= 1)
    }

    @Test func systemCollectorNamesAMissingProcRoot() async {
        let collector = SystemCollector(procRoot: "/nonexistent-proc")
        await #expect(throws: CollectorError.self) { try await collector.collect() }
    }
}
