import CCurl
import NIOPosix

/// One HTTP exchange over libcurl, with the timings a probe reports. Nothing here runs a shell or follows
/// redirects unless asked, and a response body is read only up to a bound.
public enum HTTPTransfer {
    /// Threads for blocking transfers. NIO's shared pool has one thread per core, so on a small host a few
    /// slow probe targets would queue every other probe and scrape behind them; each transfer is bounded by
    /// its own timeout, so this many threads lets that many slow targets time out side by side.
    private static let threadPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        return pool
    }()

    /// Performs `request` on a thread of its own pool: libcurl blocks, and a Swift concurrency thread must not.
    public static func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await threadPool.runIfActive { try performBlocking(request) }
    }

    /// Performs `request` on the calling thread.
    public static func performBlocking(_ request: HTTPRequest) throws(HTTPTransferError) -> HTTPResponse {
        guard let handle = curl_easy_init() else {
            throw HTTPTransferError(.other, url: request.url, "libcurl failed to start")
        }
        defer { curl_easy_cleanup(handle) }
        let sink = ResponseSink(limit: request.maximumResponseBytes)
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        var headerList: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        defer { curl_slist_free_all(headerList) }

        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        // A trailing zero keeps the pointer valid for an empty body; libcurl is told the real size.
        let bodyStorage = (request.body ?? []) + [0]
        let code = errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            bodyStorage.withUnsafeBufferPointer { bodyPointer in
                _ = vigil_curl_set_string(handle, CURLOPT_URL, request.url)
                _ = vigil_curl_set_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(request.timeout))
                _ = vigil_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout))
                _ = vigil_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
                _ = vigil_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, request.followsRedirects ? 1 : 0)
                _ = vigil_curl_set_long(handle, CURLOPT_MAXREDIRS, 5)
                // Only HTTP(S): a URL from a config must never make libcurl speak file://, gopher:// or the like.
                _ = vigil_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
                _ = vigil_curl_set_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
                _ = vigil_curl_set_string(handle, CURLOPT_USERAGENT, request.userAgent)
                _ = vigil_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
                if request.method == "HEAD" { _ = vigil_curl_set_long(handle, CURLOPT_NOBODY, 1) }
                if let headerList { _ = vigil_curl_set_pointer(handle, CURLOPT_HTTPHEADER, headerList) }
                if let body = request.body {
                    _ = vigil_curl_set_long(handle, CURLOPT_POSTFIELDSIZE, body.count)
                    _ = vigil_curl_set_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bodyPointer.baseAddress))
                }
                _ = vigil_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress)
                _ = vigil_curl_set_pointer(handle, CURLOPT_WRITEDATA, unmanaged.toOpaque())
                _ = vigil_curl_set_write_function(handle) { pointer, size, count, context in
                    guard let pointer, let context else { return 0 }
                    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
                    return sink.append(UnsafeRawBufferPointer(start: pointer, count: size * count))
                }
                let code = curl_easy_perform(handle)
                // libcurl may write into the error buffer until cleanup (an SMTP QUIT can fail there); the buffer
                // lives only inside this closure, so libcurl must forget it now.
                _ = vigil_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, nil)
                return code
            }
        }
        let timings = HTTPTimings(
            dnsSeconds: seconds(handle, CURLINFO_NAMELOOKUP_TIME),
            connectSeconds: seconds(handle, CURLINFO_CONNECT_TIME),
            tlsSeconds: seconds(handle, CURLINFO_APPCONNECT_TIME),
            firstByteSeconds: seconds(handle, CURLINFO_STARTTRANSFER_TIME),
            totalSeconds: seconds(handle, CURLINFO_TOTAL_TIME)
        )
        guard code == CURLE_OK || (code == CURLE_WRITE_ERROR && sink.isTruncated) else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if code == CURLE_COULDNT_CONNECT {
                var osErrno = 0
                _ = vigil_curl_get_long(handle, CURLINFO_OS_ERRNO, &osErrno)
                let failure = HTTPTransferError.connectFailure(osErrno: Int32(clamping: osErrno))
                throw HTTPTransferError(failure.kind, url: request.url, failure.reason, timings: timings)
            }
            let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw HTTPTransferError(HTTPTransferError.Kind(code), url: request.url, reason, timings: timings)
        }
        var status = 0
        _ = vigil_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, body: sink.bytes, isTruncated: sink.isTruncated, timings: timings)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    private static func seconds(_ handle: UnsafeMutableRawPointer, _ info: CURLINFO) -> Double {
        var value: Double = 0
        _ = vigil_curl_get_double(handle, info, &value)
        return value
    }
}

/// Collects a response body as libcurl hands it over, up to a limit.
private final class ResponseSink {
    let limit: Int
    var bytes: [UInt8] = []
    var isTruncated = false

    init(limit: Int) {
        self.limit = limit
    }

    /// Returns how many bytes were taken; fewer than offered makes libcurl stop with a write error.
    func append(_ chunk: UnsafeRawBufferPointer) -> Int {
        let room = limit - bytes.count
        guard chunk.count <= room else {
            bytes.append(contentsOf: chunk.prefix(max(0, room)))
            isTruncated = true
            return 0
        }
        bytes.append(contentsOf: chunk)
        return chunk.count
    }
}
