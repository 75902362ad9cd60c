// Page latency: from the moment an agent sends the report whose error ratio crosses the SEV-1 threshold to the
// arrival of the first page (a webhook `trigger`) for the incident it opens, at a receiver of our own.
//
// Starts the real `vigil serve` (release build) with an empty data directory and one webhook channel that pages
// SEV-1 and SEV-2, pointed at an HTTP receiver in this process on loopback. Then plays simulated agents as
// DetectionLatency does: each registers a node of its own service, sends two healthy reports and one with a 10 %
// error ratio, and disconnects. First one agent at a time, each waiting for its page; then, against a fresh
// coordinator, a burst of agents crossing the threshold together. Besides the page latency it prints the
// coordinator's own detection figures (`/api/health` → detection.latency) and, from each incident's
// notification record (`/api/v1/incidents/{id}/notifications`), where the rest of the time went.
//
//     swift build -c release --product vigil              # at the repository's root
//     swift build -c release --product PageLatency        # here
//     .build/release/PageLatency [--vigil PATH] [--sequential N] [--burst N] [--verbose] [--keep]
//
// `--verbose` prints every incident's figures; `--keep` leaves each coordinator's directory (configuration,
// SQLite database, log) in place for a closer look.
import Dispatch
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Shared
import LatencyHarness
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// MARK: - The webhook receiver

/// One request the receiver took, stamped when its last byte arrived.
struct Arrival: Sendable {
    var incidentID: Int64
    var service: String
    var event: String
    var severity: String
    var recipient: String?
    var at: ContinuousClock.Instant
    var wallClock: Date
}

/// The parts of the webhook body (docs/NOTIFICATIONS.md) this tool reads.
struct WebhookBody: Decodable {
    struct Incident: Decodable {
        var id: Int64
        var severity: String
        var service: String
    }
    struct Person: Decodable {
        var name: String
    }
    var event: String
    var incident: Incident
    var recipient: Person?
}

/// Everything the receiver took, shared between its event loop and the scenarios.
final class ArrivalLog: Sendable {
    private struct State {
        var arrivals: [Arrival] = []
        var unreadable = 0
    }
    private let state = Mutex(State())

    func record(_ body: [UInt8], at instant: ContinuousClock.Instant, wallClock: Date) {
        guard let page = try? JSONDecoder().decode(WebhookBody.self, from: Data(body)) else {
            state.withLock { $0.unreadable += 1 }
            return
        }
        let arrival = Arrival(
            incidentID: page.incident.id,
            service: page.incident.service,
            event: page.event,
            severity: page.incident.severity,
            recipient: page.recipient?.name,
            at: instant,
            wallClock: wallClock
        )
        state.withLock { $0.arrivals.append(arrival) }
    }

    /// The first `trigger` for an incident of `service`, if it has come.
    func firstTrigger(service: String) -> Arrival? {
        state.withLock { $0.arrivals.first { $0.event == "trigger" && $0.service == service } }
    }

    var count: Int { state.withLock { $0.arrivals.count } }
    var unreadable: Int { state.withLock { $0.unreadable } }

    /// Starts a new scenario: incident ids and services begin again with a fresh coordinator.
    func clear() { state.withLock { $0 = State() } }
}

/// Answers every request `200` with an empty body; a request's arrival is when its last byte was read.
final class PageHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let log: ArrivalLog
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(log: ArrivalLog) { self.log = log }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
            // As any HTTP server would: libcurl may ask before sending a larger body.
            if head.headers["expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                let proceed = HTTPResponseHead(version: head.version, status: .continue)
                context.writeAndFlush(wrapOutboundOut(.head(proceed)), promise: nil)
            }
        case .body(let chunk):
            body += chunk.readableBytesView
        case .end:
            log.record(body, at: .now, wallClock: Date())
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: "0")
            headers.add(name: "Connection", value: "close")
            let response = HTTPResponseHead(version: head?.version ?? .http1_1, status: .ok, headers: headers)
            context.write(wrapOutboundOut(.head(response)), promise: nil)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}

/// The receiver's listening socket on 127.0.0.1, on a port the kernel picks.
func startReceiver(log: ArrivalLog) async throws -> any Channel {
    try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                try channel.pipeline.syncOperations.addHandler(PageHandler(log: log))
            }
        }
        .bind(host: "127.0.0.1", port: 0)
        .get()
}

/// Waits for the first page of `service`'s incident, looking every millisecond. The arrival's time is taken by the
/// receiver, so how often this looks changes only when the next agent starts.
func waitForPage(service: String, log: ArrivalLog, timeout: Duration = .seconds(30)) async throws -> Arrival {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let arrival = log.firstTrigger(service: service) { return arrival }
        try await Task.sleep(for: .milliseconds(1))
    }
    throw ToolError("no page for \(service) within \(timeout)")
}

// MARK: - The coordinator's own figures

struct Health: Decodable {
    struct Detection: Decodable {
        struct Latency: Decodable {
            var count: Int
            var medianSeconds: Double?
            var p99Seconds: Double?
            var maxSeconds: Double?
        }
        var latency: Latency
    }
    var detection: Detection
}

/// The parts of `/api/v1/incidents/{id}/notifications` this tool reads.
struct Communications: Decodable {
    struct Detail: Decodable {
        struct Notification: Decodable {
            var event: String
            var createdAt: Date
        }
        struct Attempt: Decodable {
            var attempt: Int
            var startedAt: Date
            var durationMilliseconds: Double
        }
        var notification: Notification
        var attempts: [Attempt]
    }
    var notifications: [Detail]
}

func get<T: Decodable>(_ type: T.Type, path: String, port: Int) async throws -> T {
    guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { throw ToolError("bad path \(path)") }
    let (data, _) = try await URLSession.shared.data(from: url)
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    let timestamp = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    decoder.dateDecodingStrategy = .custom { decoder in
        let text = try decoder.singleValueContainer().decode(String.self)
        return try timestamp.parse(text)
    }
    do {
        return try decoder.decode(type, from: data)
    } catch {
        throw ToolError("cannot read \(path): \(error)")
    }
}

/// Where one page's time went, in milliseconds, from the coordinator's stored times (to the millisecond) and
/// ours: crossing sent → the escalation pass that paged began (the notification's `created_at` is that pass's
/// `now`) → the outbox began the first attempt → the page arrived. A pass takes its `now` before it waits for the
/// journal's commits, so when incidents open together the first part can end before their own commit.
struct Breakdown {
    var untilPass: Double
    var passToAttempt: Double
    var attemptToArrival: Double
    var attemptDuration: Double
}

func breakdown(of arrival: Arrival, sentWallClock: Date, port: Int) async throws -> Breakdown {
    let communications = try await get(
        Communications.self,
        path: "/api/v1/incidents/\(arrival.incidentID)/notifications",
        port: port
    )
    let triggers = communications.notifications.filter { $0.notification.event == "trigger" }
    guard let first = triggers.min(by: { $0.notification.createdAt < $1.notification.createdAt }),
        let attempt = first.attempts.min(by: { $0.attempt < $1.attempt })
    else { throw ToolError("incident \(arrival.incidentID) has no delivered trigger on record") }
    return Breakdown(
        untilPass: first.notification.createdAt.timeIntervalSince(sentWallClock) * 1000,
        passToAttempt: attempt.startedAt.timeIntervalSince(first.notification.createdAt) * 1000,
        attemptToArrival: arrival.wallClock.timeIntervalSince(attempt.startedAt) * 1000,
        attemptDuration: attempt.durationMilliseconds
    )
}

// MARK: - Figures

/// Nearest rank, as the coordinator computes its own (`DetectionLatency.Summary`).
func quantile(_ q: Double, of values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}

func summary(_ milliseconds: [Double]) -> String {
    String(
        format: "median %.2f ms, p99 %.2f ms, max %.2f ms",
        quantile(0.5, of: milliseconds),
        quantile(0.99, of: milliseconds),
        milliseconds.max() ?? .nan
    )
}

func medians(_ parts: [Breakdown]) -> String {
    String(
        format: "sent → pass %.1f ms, pass → attempt %.1f ms, attempt → arrival %.1f ms (attempt took %.1f ms)",
        quantile(0.5, of: parts.map(\.untilPass)),
        quantile(0.5, of: parts.map(\.passToAttempt)),
        quantile(0.5, of: parts.map(\.attemptToArrival)),
        quantile(0.5, of: parts.map(\.attemptDuration))
    )
}

func detection(port: Int, count: Int) async throws -> String {
    let deadline = ContinuousClock.now + .seconds(30)
    while true {
        let latency = try await get(Health.self, path: "/api/health", port: port).detection.latency
        if latency.count >= count || ContinuousClock.now > deadline {
            func ms(_ seconds: Double?) -> String { seconds.map { String(format: "%.2f ms", $0 * 1000) } ?? "-" }
            return "median \(ms(latency.medianSeconds)), p99 \(ms(latency.p99Seconds)), max \(ms(latency.maxSeconds))"
                + " (\(latency.count) incidents)"
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}

func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
}

/// One page as measured: the crossing's send time and the page's arrival.
struct Measured {
    var sent: Sent
    var arrival: Arrival
    var latency: Double { milliseconds(arrival.at - sent.at) }
}

func report(
    _ name: String,
    _ measured: [Measured],
    coordinator: CoordinatorProcess,
    log: ArrivalLog,
    verbose: Bool
) async throws {
    print("\(name): page \(summary(measured.map(\.latency)))")
    print("  detection (coordinator, arrival → commit): \(try await detection(port: coordinator.httpPort, count: measured.count))")
    var parts: [Breakdown] = []
    for page in measured {
        let part = try await breakdown(of: page.arrival, sentWallClock: page.sent.wallClock, port: coordinator.httpPort)
        parts.append(part)
        if verbose {
            let arrival = page.arrival
            print(
                "  \(arrival.service) #\(arrival.incidentID) \(arrival.severity): "
                    + String(
                        format: "%.2f ms = pass %.1f + attempt %.1f + arrival %.1f (attempt took %.1f)",
                        page.latency,
                        part.untilPass,
                        part.passToAttempt,
                        part.attemptToArrival,
                        part.attemptDuration
                    )
            )
        }
    }
    print("  medians: \(medians(parts))")
    let severities = Dictionary(grouping: measured, by: \.arrival.severity).mapValues(\.count)
    let recipients = Set(measured.compactMap(\.arrival.recipient)).sorted()
    print(
        "  first pages at \(severities.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))"
            + " to \(recipients.joined(separator: ", ")); \(log.count) requests received, \(log.unreadable) unreadable"
    )
}

// MARK: - Scenarios

/// One channel that pages SEV-1 and SEV-2; the built-in on-call table supplies the people, and a webhook reaches
/// every one of them.
func pagingConfiguration(webhookPort: Int) -> String {
    """
    channels:
      - {name: hook, kind: webhook, url: "http://127.0.0.1:\(webhookPort)/page"}
    notify:
      sev1: [hook]
      sev2: [hook]

    """
}

func main() async throws {
    let options = try LatencyOptions(CommandLine.arguments, sequential: 100, burst: 50)
    let signals = CoordinatorProcess.stopOnSignals()
    defer { signals.forEach { $0.cancel() } }
    let log = ArrivalLog()
    let receiver = try await startReceiver(log: log)
    defer { receiver.close(promise: nil) }
    guard let webhookPort = receiver.localAddress?.port else { throw ToolError("the receiver has no port") }

    if options.sequential > 0 {
        let coordinator = try CoordinatorProcess(
            binary: options.vigil,
            label: "page-latency",
            extraConfiguration: pagingConfiguration(webhookPort: webhookPort),
            keep: options.keep
        )
        defer { coordinator.stop() }
        var measured: [Measured] = []
        for index in 0..<options.sequential {
            let sent = try await playCrossingAgent(index: index, port: coordinator.agentPort)
            let arrival = try await waitForPage(service: crossingService(index), log: log)
            measured.append(Measured(sent: sent, arrival: arrival))
        }
        try await report(
            "sequential: \(options.sequential) incidents, one at a time",
            measured,
            coordinator: coordinator,
            log: log,
            verbose: options.verbose
        )
        let tenth = max(1, measured.count / 10)
        print(
            String(
                format: "  first %d: median %.2f ms; last %d: median %.2f ms",
                tenth,
                quantile(0.5, of: measured.prefix(tenth).map(\.latency)),
                tenth,
                quantile(0.5, of: measured.suffix(tenth).map(\.latency))
            )
        )
    }

    if options.burst > 0 {
        // A fresh coordinator (the first one stopped), so the burst's figures are its own.
        log.clear()
        let coordinator = try CoordinatorProcess(
            binary: options.vigil,
            label: "page-latency",
            extraConfiguration: pagingConfiguration(webhookPort: webhookPort),
            keep: options.keep
        )
        defer { coordinator.stop() }
        let port = coordinator.agentPort
        let sent = try await withThrowingTaskGroup(of: (Int, Sent).self) { group in
            for index in 0..<options.burst {
                group.addTask { (index, try await playCrossingAgent(index: index, port: port)) }
            }
            var sent: [Int: Sent] = [:]
            for try await (index, crossing) in group { sent[index] = crossing }
            return sent
        }
        var measured: [Measured] = []
        for index in 0..<options.burst {
            let arrival = try await waitForPage(service: crossingService(index), log: log)
            guard let crossing = sent[index] else { throw ToolError("agent \(index) did not report") }
            measured.append(Measured(sent: crossing, arrival: arrival))
        }
        try await report(
            "burst: \(options.burst) agents crossing together",
            measured,
            coordinator: coordinator,
            log: log,
            verbose: options.verbose
        )
        if let firstSent = measured.map(\.sent.at).min(), let lastArrival = measured.map(\.arrival.at).max() {
            print(String(format: "  last page arrived %.1f ms after the first crossing was sent", milliseconds(lastArrival - firstSent)))
        }
    }
}

do {
    try await main()
} catch {
    FileHandle.standardError.write(Data("PageLatency: \(error)\n".utf8))
    exit(1)
}
