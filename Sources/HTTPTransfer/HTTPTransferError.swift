import CCurl
#if canImport(Glibc)
import Glibc
#endif

/// Why an exchange produced no response, in a form a probe can report and a person can act on.
public struct HTTPTransferError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, Codable {
        case timeout
        case dns
        case connectionRefused = "connection_refused"
        /// The connection failed for another reason: no route, network down, or no answer to the handshake.
        case unreachable
        case tls
        case badURL = "bad_url"
        case other

        init(_ code: CURLcode) {
            switch code {
            case CURLE_OPERATION_TIMEDOUT: self = .timeout
            case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: self = .dns
            case CURLE_COULDNT_CONNECT: self = .connectionRefused
            case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
                CURLE_SSL_CACERT_BADFILE:
                self = .tls
            case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: self = .badURL
            default: self = .other
            }
        }
    }

    public let kind: Kind
    public let url: String
    public let reason: String
    public let timings: HTTPTimings?

    init(_ kind: Kind, url: String, _ reason: String, timings: HTTPTimings? = nil) {
        self.kind = kind
        self.url = url
        self.reason = reason
        self.timings = timings
    }

    public var description: String { "\(url): \(reason)" }

    /// Splits libcurl's single "couldn't connect" into what the socket said, because "refused" (the host is up,
    /// nothing listens) and "no route to host" send someone on call to different places.
    static func connectFailure(osErrno: Int32) -> (kind: Kind, reason: String) {
        guard osErrno != ECONNREFUSED else { return (.connectionRefused, "connection refused") }
        guard osErrno != 0 else { return (.unreachable, "cannot connect") }
        return (.unreachable, "cannot connect: \(String(cString: strerror(osErrno)))")
    }
}
