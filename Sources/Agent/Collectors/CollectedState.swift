import Foundation
import Shared

/// The latest outcome of every collector, from which each report is assembled.
///
/// Collectors run on their own intervals and write here; the report loop reads here. A report therefore
/// never waits for a collector, and a slow collector's last good values are not passed off as current: a
/// failed run clears them and sets `vigil_collector_up` to 0.
actor CollectedState {
    private struct Entry {
        var output: CollectorOutput
        var isUp: Bool
        var error: String?
    }

    private var entries: [String: Entry] = [:]
    private var probeIsUp: [String: Bool] = [:]
    private var pendingEvents: [AgentEvent] = []

    /// Records one run; returns true when a collector or a probe changed between up and down, which is worth
    /// a report at once rather than at the next tick.
    @discardableResult
    func record(collector name: String, _ result: Result<CollectorOutput, any Error>, at time: Date) -> Bool {
        let wasUp = entries[name]?.isUp
        var changed = false
        switch result {
        case .success(let output):
            entries[name] = Entry(output: output, isUp: true, error: nil)
            if wasUp == false {
                pendingEvents.append(AgentEvent(kind: .collectorUp, subject: name, time: time))
                changed = true
            }
            for probe in output.probes {
                let previous = probeIsUp.updateValue(probe.isUp, forKey: probe.name)
                // A probe seen for the first time is news only when it is already failing.
                guard previous != probe.isUp, previous != nil || !probe.isUp else { continue }
                pendingEvents.append(
                    AgentEvent(kind: probe.isUp ? .probeUp : .probeDown, subject: probe.name, detail: probe.error, time: time)
                )
                changed = true
            }
        case .failure(let error):
            let message = "\(error)"
            entries[name] = Entry(output: CollectorOutput(), isUp: false, error: message)
            if wasUp != false {
                pendingEvents.append(AgentEvent(kind: .collectorDown, subject: name, detail: message, time: time))
                changed = true
            }
        }
        return changed
    }

    /// What the next report carries: every collector's latest measurements and probes, each collector's
    /// `vigil_collector_up`, and the events since the last report. Nil before any collector has run.
    func takeReportContents() -> (measurements: [MetricSample], probes: [ProbeResult], events: [AgentEvent])? {
        guard !entries.isEmpty else { return nil }
        var measurements: [MetricSample] = []
        var probes: [ProbeResult] = []
        for (name, entry) in entries.sorted(by: { $0.key < $1.key }) {
            measurements += entry.output.measurements
            measurements.append(.gauge("vigil_collector_up", entry.isUp ? 1 : 0, labels: ["collector": name]))
            probes += entry.output.probes
        }
        defer { pendingEvents.removeAll() }
        return (measurements, probes, pendingEvents)
    }

    /// The last error of each collector that is down.
    var errors: [String: String] {
        entries.compactMapValues(\.error)
    }
}
