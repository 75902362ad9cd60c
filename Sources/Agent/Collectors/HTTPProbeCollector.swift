import Foundation
import HTTPTransfer
import Shared

/// One HTTP health check through libcurl: its verdict as a `ProbeResult`, and its status and timings as
/// measurements labelled `probe="<name>"` plus the probe's configured labels.
///
/// A probe that fails is not a failed collector: the collector succeeds and says the probe is down, with the
/// reason, because the probe's result is the very signal the coordinator wants.
struct HTTPProbeCollector: Collector {
    /// What one probe asks and what counts as up.
    struct Settings: Sendable, Equatable {
        var name: String
        var url: String
        var method = "GET"
        var expectedStatuses: [Int] = [200]
        /// A substring the body must contain; nil to accept any body.
        var bodyMatch: String?
        var headers: [String: String] = [:]
        var labels: [String: String] = [:]
    }

    let settings: Settings
    /// The whole exchange; the collector's own timeout is a second longer, so a slow target is reported as a
    /// probe that timed out rather than as a collector that hung.
    let probeTimeout: Duration
    let interval: Duration
    let timeout: Duration
    var name: String { "http_probe:\(settings.name)" }

    init(settings: Settings, timing: CollectorTiming = HTTPProbeCollectorKind.defaultTiming) {
        self.settings = settings
        self.probeTimeout = timing.timeout
        self.interval = timing.interval
        self.timeout = timing.timeout + .seconds(1)
    }

    func collect() async throws -> CollectorOutput {
        let request = HTTPRequest(
            url: settings.url,
            method: settings.method,
            headers: settings.headers,
            timeout: probeTimeout,
            connectTimeout: probeTimeout,
            // A health answer is small; the body match needs only its start.
            maximumResponseBytes: 1 << 20
        )
        let started = ContinuousClock.now
        let result: ProbeResult
        var timings: HTTPTimings?
        do {
            let response = try await HTTPTransfer.perform(request)
            timings = response.timings
            result = ProbeResult(
                name: settings.name,
                isUp: failure(of: response) == nil,
                statusCode: UInt32(clamping: response.status),
                durationSeconds: response.timings.totalSeconds,
                error: failure(of: response) ?? "",
                labels: settings.labels
            )
        } catch {
            let elapsed = started.duration(to: .now)
            result = ProbeResult(
                name: settings.name,
                isUp: false,
                durationSeconds: Self.seconds(elapsed),
                error: describe(error),
                labels: settings.labels
            )
        }
        return CollectorOutput(measurements: measurements(of: result, timings: timings), probes: [result])
    }

    /// Why a response that came back does not count as up; nil when it does.
    func failure(of response: HTTPResponse) -> String? {
        guard settings.expectedStatuses.contains(response.status) else {
            let expected = settings.expectedStatuses.map(String.init).joined(separator: " or ")
            return "expected status \(expected), got \(response.status)"
        }
        if let bodyMatch = settings.bodyMatch, !response.bodyText.contains(bodyMatch) {
            return "body does not contain \"\(bodyMatch)\""
        }
        return nil
    }

    private func describe(_ error: any Error) -> String {
        guard let error = error as? HTTPTransferError else { return "\(error)" }
        switch error.kind {
        case .timeout: return "timed out after \(Self.secondsText(probeTimeout)) s"
        case .connectionRefused: return "connection refused"
        case .dns: return "cannot resolve host: \(error.reason)"
        case .tls: return "TLS failed: \(error.reason)"
        case .badURL, .unreachable, .other: return error.reason
        }
    }

    /// Phase timings only come with a response: a refused connection has no first byte to time.
    private func measurements(of result: ProbeResult, timings: HTTPTimings?) -> [MetricSample] {
        let labels = settings.labels.merging(["probe": settings.name]) { _, probe in probe }
        var samples: [MetricSample] = [
            .gauge("probe_up", result.isUp ? 1 : 0, labels: labels),
            .gauge("probe_status_code", Double(result.statusCode), labels: labels),
            .gauge("probe_duration_seconds", result.durationSeconds, labels: labels),
        ]
        if let timings {
            samples += [
                .gauge("probe_dns_seconds", timings.dnsSeconds, labels: labels),
                .gauge("probe_connect_seconds", timings.connectSeconds, labels: labels),
                .gauge("probe_tls_seconds", timings.tlsSeconds, labels: labels),
                .gauge("probe_first_byte_seconds", timings.firstByteSeconds, labels: labels),
            ]
        }
        return samples
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `5` rather than `5.0`, `0.5` as it is.
    private static func secondsText(_ duration: Duration) -> String {
        let value = seconds(duration)
        return value == value.rounded() ? String(Int(value)) : String(value)
    }
}
