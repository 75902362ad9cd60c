import Foundation
import HTTPTransfer

/// The operator commands' way to the coordinator's HTTP API, over libcurl.
struct APIClient: Sendable {
    let baseURL: String
    var timeoutSeconds: Int64 = 10

    /// Normalises `text` to a base URL without a trailing slash; nil unless it is http(s).
    static func baseURL(_ text: String) -> String? {
        var text = text.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            ["http", "https"].contains(scheme.lowercased()), let host = components.host, !host.isEmpty
        else { return nil }
        return text
    }

    /// GETs `path` and decodes the JSON answer; a non-2xx answer becomes an error carrying the API's message.
    func get<Body: Decodable>(_ path: String, as type: Body.Type) async throws -> Body {
        try await exchange(
            HTTPRequest(url: baseURL + path, timeout: .seconds(timeoutSeconds), userAgent: "vigil-cli"),
            path: path,
            as: type
        )
    }

    /// POSTs `body` as JSON to `path` and decodes the JSON answer, with the same errors as `get`.
    func post<Answer: Decodable>(_ path: String, body: some Encodable, as type: Answer.Type) async throws -> Answer {
        try await post(path, json: Array(try APIJSON.makeEncoder().encode(body)), as: type)
    }

    /// POSTs bytes that are meant to be JSON, as they are.
    func post<Answer: Decodable>(_ path: String, json: [UInt8], as type: Answer.Type) async throws -> Answer {
        let request = HTTPRequest(
            url: baseURL + path,
            method: "POST",
            // An empty `Expect` stops libcurl waiting for a `100 Continue` before sending a larger body.
            headers: ["Content-Type": "application/json", "Expect": ""],
            body: json,
            timeout: .seconds(timeoutSeconds),
            userAgent: "vigil-cli"
        )
        return try await exchange(request, path: path, as: type)
    }

    /// `path?name=value&…` with each value percent-encoded, so `+` in a time zone or a space survives the trip.
    static func path(_ path: String, query: [(name: String, value: String?)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~,:")
        let items = query.compactMap { item in
            item.value.map { value in
                "\(item.name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
            }
        }
        return items.isEmpty ? path : path + "?" + items.joined(separator: "&")
    }

    private func exchange<Body: Decodable>(
        _ request: HTTPRequest,
        path: String,
        as type: Body.Type
    ) async throws -> Body {
        let response: HTTPResponse
        do {
            response = try await HTTPTransfer.perform(request)
        } catch let error as HTTPTransferError {
            throw APIClientError.transport(url: baseURL, reason: error.reason)
        }
        guard !response.isTruncated else {
            throw APIClientError.unreadableAnswer(path: path, reason: "the answer is larger than the client reads")
        }
        guard (200..<300).contains(response.status) else {
            throw APIClientError.status(code: response.status, message: Self.errorMessage(in: Data(response.body)))
        }
        do {
            return try APIJSON.makeDecoder().decode(Body.self, from: Data(response.body))
        } catch {
            throw APIClientError.unreadableAnswer(path: path, reason: "\(error)")
        }
    }

    /// Hummingbird's error body is `{"error":{"message":"…"}}`; fall back to the raw text. Either way one line,
    /// because it ends up after `vigil:` on stderr.
    private static func errorMessage(in data: Data) -> String {
        struct ErrorBody: Decodable {
            struct Detail: Decodable { var message: String }
            var error: Detail
        }
        let text: String
        if let body = try? JSONDecoder().decode(ErrorBody.self, from: data) {
            text = body.error.message
        } else {
            text = String(decoding: data.prefix(200), as: UTF8.self)
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}

enum APIClientError: Error, CustomStringConvertible {
    case invalidURL(String)
    case transport(url: String, reason: String)
    case status(code: Int, message: String)
    case unreadableAnswer(path: String, reason: String)

    var description: String {
        switch self {
        case .invalidURL(let text): "coordinator address \"\(text)\" is not an http:// or https:// URL"
        case .transport(let url, let reason): "cannot reach the coordinator at \(url): \(reason)"
        case .status(let code, let message):
            message.isEmpty ? "coordinator answered \(code)" : "coordinator answered \(code): \(message)"
        case .unreadableAnswer(let path, let reason): "cannot read the coordinator's answer to \(path): \(reason)"
        }
    }
}
