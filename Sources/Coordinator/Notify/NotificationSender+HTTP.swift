import Foundation
import HTTPTransfer

extension NotificationSender {
    /// Posts a JSON body and sorts the answer: 2xx delivered; 408, 429 and 5xx retryable; any other status
    /// refused for good (the same request would be refused again).
    func postJSON(
        _ body: () throws -> [UInt8],
        to url: String,
        headers: [String: String],
        notification: OutgoingNotification,
        timeout: Duration
    ) async -> DeliveryOutcome {
        let bytes: [UInt8]
        do {
            bytes = try body()
        } catch {
            return .failed(.invalidNotification, retryable: false, "cannot encode the notification as JSON: \(error)")
        }
        var allHeaders = headers
        allHeaders["Content-Type"] = "application/json"
        allHeaders["Idempotency-Key"] = notification.deliveryID.rawValue
        let request = HTTPRequest(
            url: url,
            method: "POST",
            headers: allHeaders,
            body: bytes,
            timeout: timeout,
            connectTimeout: Self.connectTimeout(within: timeout),
            maximumResponseBytes: 64 << 10,
            userAgent: userAgent
        )
        let place = Self.location(of: url)
        let response: HTTPResponse
        do {
            response = try await HTTPTransfer.perform(request)
        } catch let error as HTTPTransferError {
            return Self.outcome(of: error, place: place)
        } catch {
            return .failed(.other, retryable: true, "\(place): \(error)")
        }
        return Self.outcome(status: response.status, body: response.body, place: place)
    }

    static func outcome(status: Int, body: [UInt8], place: String) -> DeliveryOutcome {
        guard !(200..<300).contains(status) else { return .delivered("HTTP \(status)", responseCode: status) }
        let excerpt = Self.excerpt(body)
        var detail = "HTTP \(status) from \(place)" + (excerpt.isEmpty ? "" : ": \(excerpt)")
        if (300..<400).contains(status) { detail += " (redirects are not followed)" }
        let retryable = status == 408 || status == 429 || (500..<600).contains(status)
        return .failed(.httpStatus, retryable: retryable, detail, responseCode: status)
    }

    static func outcome(of error: HTTPTransferError, place: String) -> DeliveryOutcome {
        switch error.kind {
        case .timeout:
            return .failed(.timeout, retryable: true, "timed out waiting for \(place): \(error.reason)")
        case .dns, .connectionRefused, .unreachable:
            return .failed(.connection, retryable: true, "could not connect to \(place): \(error.reason)")
        case .tls:
            return .failed(.tls, retryable: true, "TLS failed with \(place): \(error.reason)")
        case .badURL:
            return .failed(
                .invalidNotification,
                retryable: false,
                "the URL for \(place) is not usable: \(error.reason)"
            )
        case .other:
            return .failed(.other, retryable: true, "\(place): \(error.reason)")
        }
    }

    /// `host:port` of a URL, never its path or query: a Slack webhook's path is its secret.
    static func location(of url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return "the receiver" }
        return components.port.map { "\(host):\($0)" } ?? host
    }

    /// The start of a response body on one line, for a detail: Slack's `invalid_payload`, PagerDuty's message.
    static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        let oneLine = text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : String($0) }.joined()
        let collapsed = oneLine.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return collapsed.count > 200 ? String(collapsed.prefix(200)) + "…" : collapsed
    }
}
