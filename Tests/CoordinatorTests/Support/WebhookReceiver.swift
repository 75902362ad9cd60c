import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `webhook_receiver.py`: a real HTTP server on a loopback port between 20000 and 32767 that records every
/// request and answers 200 "ok", or what the test queues with `respond(with:)`.
final class WebhookReceiver: Sendable {
    /// One request as the receiver saw it.
    struct Request: Decodable, Sendable {
        var method: String
        var path: String
        /// Names in lower case.
        var headers: [String: String]
        var body: String
        /// Seconds since 1970, by the receiver's clock.
        var receivedAt: Double
        /// What the receiver answered.
        var status: Int
    }

    /// An answer for one request.
    struct Response: Encodable, Sendable {
        var status: Int
        var body: String = ""
        /// How long to wait before answering, for timeout tests.
        var delaySeconds: Double = 0

        enum CodingKeys: String, CodingKey {
            case status, body
            case delaySeconds = "delay_seconds"
        }
    }

    private let process: ReceiverProcess

    var port: Int { process.port }

    /// `http://127.0.0.1:PORT` followed by `path`.
    func url(_ path: String = "/hook") -> String { "http://127.0.0.1:\(port)\(path)" }

    private init(process: ReceiverProcess) {
        self.process = process
    }

    static func start() async throws -> WebhookReceiver {
        let process = try await ReceiverProcess.start(script: "webhook_receiver.py") { directory in
            [directory + "/requests.jsonl", directory + "/control.json"]
        }
        return WebhookReceiver(process: process)
    }

    /// Every request so far. Each is recorded before it is answered, so a delivery that returned is here.
    func requests() throws -> [Request] {
        try process.records(in: "requests.jsonl", as: Request.self)
    }

    /// Waits until at least `count` requests have arrived (for deliveries made by something else).
    func waitForRequests(count: Int, within limit: Duration = .seconds(20)) async throws -> [Request] {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let requests = try requests()
            if requests.count >= count { return requests }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ReceiverError.timedOut("\(count) webhook requests did not arrive")
    }

    /// Answers the next requests with `responses`, one each, then 200 "ok" again. Replaces any queue left over.
    func respond(with responses: [Response]) throws {
        struct Control: Encodable {
            var id: String
            var responses: [Response]
        }
        let data = try JSONEncoder().encode(Control(id: UUID().uuidString, responses: responses))
        // Written aside and renamed, so the receiver never reads half a file.
        let path = process.directory + "/control.json"
        try data.write(to: URL(fileURLWithPath: path + ".new"))
        guard rename(path + ".new", path) == 0 else { throw ReceiverError.didNotStart("cannot write \(path)") }
    }

    /// Kills the receiver: connections to its port are refused from then on.
    func stop() {
        process.stop()
    }
}
