import Foundation
import Shared
import Testing

@testable import Agent

/// A copy of `sleep` under a name of its own, so no other process on the host can match it.
private final class SleepingProcess {
    let process = Process()
    let name: String
    let directory: String

    init(directory: String, name: String, argument: String = "300") throws {
        self.directory = directory
        self.name = name
        let binary = directory + "/" + name
        if !FileManager.default.fileExists(atPath: binary) { try FileManager.default.copyItem(atPath: "/bin/sleep", toPath: binary) }
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [argument]
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}

private func values(_ output: CollectorOutput) -> [String: Double] {
    Dictionary(
        output.measurements.compactMap { sample in
            if case .number(let value) = sample.value { (sample.series.name, value) } else { nil }
        },
        uniquingKeysWith: { first, _ in first }
    )
}

/// Runs the collector until `condition` holds for what it reports, or a deadline passes.
private func collect(_ collector: ProcessCollector, until condition: ([String: Double]) -> Bool) async throws -> [String: Double] {
    let deadline = ContinuousClock.now + .seconds(10)
    var latest = values(try await collector.collect())
    while !condition(latest) && ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(20))
        latest = values(try await collector.collect())
    }
    return latest
}

@Suite(.timeLimit(.minutes(1)))
struct ProcessCollectorTests {
    private let directory: String
    private let name: String

    init() throws {
        directory = NSTemporaryDirectory() + "vigil-proc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        name = "vgl" + String(UUID().uuidString.prefix(8)).lowercased()
    }

    @Test func aProcessFoundByNameReportsItsMemoryThreadsFilesAndUptime() async throws {
        let sleeper = try SleepingProcess(directory: directory, name: name)
        let collector = ProcessCollector(processName: "worker", matcher: .processName(name))
        // Right after exec the kernel may not have accounted the new image's pages yet.
        let found = try await collect(collector) { $0["process_up"] == 1 && ($0["process_resident_memory_bytes"] ?? 0) > 0 }
        #expect(found["process_up"] == 1)
        #expect(found["process_count"] == 1)
        #expect(found["process_threads"] == 1)
        #expect((found["process_resident_memory_bytes"] ?? 0) > 0)
        #expect((found["process_open_fds"] ?? 0) >= 1)
        #expect((found["process_uptime_seconds"] ?? -1) >= 0)
        #expect(found["process_cpu_seconds_total"] != nil)
        #expect(found["process_restarts_total"] == 0)
        let output = try await collector.collect()
        #expect(output.measurements.allSatisfy { $0.series.labels == ["process": "worker"] })
        sleeper.stop()
    }

    @Test func aStoppedProcessIsUpZeroNotAnError() async throws {
        let collector = ProcessCollector(processName: "worker", matcher: .processName(name))
        let found = values(try await collector.collect())
        #expect(found == ["process_up": 0, "process_count": 0, "process_restarts_total": 0])
    }

    @Test func severalMatchesAreSummedAndANewPidCountsAsARestart() async throws {
        let first = try SleepingProcess(directory: directory, name: name)
        let second = try SleepingProcess(directory: directory, name: name)
        let collector = ProcessCollector(processName: "worker", matcher: .processName(name))
        let both = try await collect(collector) { $0["process_count"] == 2 }
        #expect(both["process_count"] == 2)
        #expect(both["process_threads"] == 2)
        first.stop()
        second.stop()
        #expect(try await collect(collector) { $0["process_up"] == 0 }["process_count"] == 0)
        let third = try SleepingProcess(directory: directory, name: name)
        let again = try await collect(collector) { $0["process_up"] == 1 }
        #expect(again["process_restarts_total"] == 1)
        third.stop()
    }

    @Test func aCommandLinePatternMatchesTheArguments() async throws {
        let sleeper = try SleepingProcess(directory: directory, name: name, argument: "301.25")
        let collector = ProcessCollector(processName: "worker", matcher: .commandLine("\(name) 301\\.25$"))
        #expect(try await collect(collector) { $0["process_up"] == 1 }["process_count"] == 1)
        sleeper.stop()
    }

    @Test func aPidFileFindsItsProcess() async throws {
        let sleeper = try SleepingProcess(directory: directory, name: name)
        let pidFile = directory + "/worker.pid"
        try "\(sleeper.pid)\n".write(toFile: pidFile, atomically: true, encoding: .utf8)
        let found = values(try await ProcessCollector(processName: "worker", matcher: .pidFile(pidFile)).collect())
        #expect(found["process_up"] == 1 && found["process_count"] == 1)
        sleeper.stop()
    }

    @Test func aPidFileNamingADeadPidIsACollectorError() async throws {
        let sleeper = try SleepingProcess(directory: directory, name: name)
        let pid = sleeper.pid
        sleeper.stop()
        let pidFile = directory + "/worker.pid"
        try "\(pid)".write(toFile: pidFile, atomically: true, encoding: .utf8)
        let collector = ProcessCollector(processName: "review-engine", matcher: .pidFile(pidFile))
        let error = await #expect(throws: CollectorError.self) { try await collector.collect() }
        #expect(error?.description == "process review-engine: pid file \(pidFile) names pid \(pid), which is not running")
    }

    @Test func anUnreadableOrEmptyPidFileIsNamed() async throws {
        let missing = directory + "/missing.pid"
        let collector = ProcessCollector(processName: "review-engine", matcher: .pidFile(missing))
        let error = await #expect(throws: CollectorError.self) { try await collector.collect() }
        #expect(error?.description == "process review-engine: cannot read pid file \(missing): No such file or directory")
        let garbage = directory + "/garbage.pid"
        try "not a pid".write(toFile: garbage, atomically: true, encoding: .utf8)
        let second = await #expect(throws: CollectorError.self) {
            try await ProcessCollector(processName: "review-engine", matcher: .pidFile(garbage)).collect()
        }
        #expect(second?.description == "process review-engine: pid file \(garbage) does not hold a pid")
    }
}

@Suite struct ProcessStatTests {
    @Test func statWithSpacesAndParenthesesInTheNameIsRead() throws {
        let text = "42 (my (odd) name) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 7 0 12345 1000000 256 18446744073709551615"
        let stat = try ProcessStat(parsing: text, path: "stat")
        #expect(stat.command == "my (odd) name")
        #expect(stat.userTicks == 250 && stat.systemTicks == 50)
        #expect(stat.threads == 7 && stat.startTicks == 12345 && stat.residentPages == 256)
    }

    @Test(arguments: ["", "42 name S 1", "42 (short) S 1 2 3", "42 (x) S 1 42 42 0 -1 4 1 0 0 0 a b 0 0 20 0 7 0 1 1 2"])
    func malformedStatIsRefused(_ text: String) {
        #expect(throws: CollectorError.self) { try ProcessStat(parsing: text, path: "stat") }
    }
}

@Suite struct RSSTrendTests {
    @Test func theSlopeIsTheLeastSquaresGrowthOnceThePointsSpanAQuarterOfTheWindow() {
        var trend = RSSTrend(window: .seconds(600))
        trend.add(bytes: 1_000, atSeconds: 0)
        trend.add(bytes: 2_000, atSeconds: 100)
        #expect(trend.slope == nil, "two points are not a trend")
        trend.add(bytes: 2_400, atSeconds: 140)
        #expect(trend.slope == nil, "140 s is less than a quarter of 600 s")
        trend.add(bytes: 4_000, atSeconds: 300)
        // Points (0,1000) (100,2000) (140,2400) (300,4000): exactly 10 bytes per second.
        #expect(trend.slope == 10)
    }

    @Test func pointsOlderThanTheWindowAreForgotten() {
        var trend = RSSTrend(window: .seconds(100))
        trend.add(bytes: 1_000_000, atSeconds: 0)
        for second in stride(from: 200.0, through: 300, by: 10) { trend.add(bytes: 500, atSeconds: second) }
        #expect(trend.slope == 0, "the early spike left the window")
        trend.reset()
        #expect(trend.slope == nil)
    }
}
