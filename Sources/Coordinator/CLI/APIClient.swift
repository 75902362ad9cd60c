import CCurl
import Foundation
import NIOPosix

/// The operator commands' way to the coordinator's HTTP API, over libcurl.
struct APIClient: Sendable {
    let baseURL: String
    var timeoutSeconds = 10

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
    ///
    /// libcurl blocks, so the transfer runs on NIO's thread pool, never on a Swift concurrency thread.
    func get<Body: Decodable>(_ path: String, as type: Body.Type) async throws -> Body {
        let (status, data) = try await NIOThreadPool.singleton.runIfActive { try perform(path: path) }
        guard (200..<300).contains(status) else {
            throw APIClientError.status(code: status, message: Self.errorMessage(in: data))
        }
        do {
            return try APIJSON.makeDecoder().decode(Body.self, from: data)
        } catch {
            throw APIClientError.unreadableAnswer(path: path, reason: "\(error)")
        }
    }

    private func perform(path: String) throws -> (Int, Data) {
        guard let handle = curl_easy_init() else { throw APIClientError.transport(url: baseURL, reason: "libcurl failed to start") }
        defer { curl_easy_cleanup(handle) }
        let url = baseURL + path
        let sink = ResponseSink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var code = CURLE_OK
        errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            _ = vigil_curl_set_string(handle, CURLOPT_URL, url)
            _ = vigil_curl_set_long(handle, CURLOPT_TIMEOUT, timeoutSeconds)
            _ = vigil_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, 5)
            _ = vigil_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
            _ = vigil_curl_set_string(handle, CURLOPT_USERAGENT, "vigil-cli")
            _ = vigil_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress)
            _ = vigil_curl_set_pointer(handle, CURLOPT_WRITEDATA, unmanaged.toOpaque())
            _ = vigil_curl_set_write_function(handle) { pointer, size, count, context in
                guard let pointer, let context else { return 0 }
                let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
                sink.data.append(UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: size * count)
                return size * count
            }
            code = curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw APIClientError.transport(url: baseURL, reason: reason)
        }
        var status = 0
        _ = vigil_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return (status, sink.data)
    }

    /// Hummingbird's error body is `{"error":{"message":"…"}}`; fall back to the raw text.
    private static func errorMessage(in data: Data) -> String {
        struct ErrorBody: Decodable {
            struct Detail: Decodable { var message: String }
            var error: Detail
        }
        if let body = try? JSONDecoder().decode(ErrorBody.self, from: data) { return body.error.message }
        return String(decoding: data.prefix(200), as: UTF8.self)
    }
}

/// Collects a response body as libcurl hands it over.
private final class ResponseSink {
    var data = Data()
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
        case .status(let code, let message): "coordinator answered \(code): \(message)"
        case .unreadableAnswer(let path, let reason): "cannot read the coordinator's answer to \(path): \(reason)"
        }
    }
}
