import Shared

/// The agent's own resident memory and CPU time, as measurements in every report.
///
/// The same numbers travel in each report's self-stats together with the buffer state; as measurements they
/// are also series the coordinator can chart and alert on like any other (an agent that leaks is an incident).
struct AgentSelfCollector: Collector {
    let name = "agent"
    let interval: Duration
    let timeout: Duration

    init(timing: CollectorTiming = AgentSelfCollectorKind.defaultTiming) {
        interval = timing.interval
        timeout = timing.timeout
    }

    func collect() async throws -> CollectorOutput {
        let usage = SelfUsage.read()
        return CollectorOutput(measurements: [
            .gauge("vigil_agent_resident_memory_bytes", Double(usage.residentBytes)),
            .counter("vigil_agent_cpu_seconds_total", usage.cpuSeconds),
        ])
    }
}
