import CCurl
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// One message handed to an SMTP server over libcurl: envelope, optional STARTTLS and login, then the bytes.
public enum MailTransfer {
    /// Threads for blocking SMTP exchanges, apart from the HTTP probes' pool so that a slow mail relay never
    /// queues a probe (or the reverse). Each exchange is bounded by its own timeout.
    private static let threadPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    /// Sends `request` on a thread of its own pool: libcurl blocks, and a Swift concurrency thread must not.
    public static func send(_ request: MailRequest) async throws(MailTransferError) -> MailReceipt {
        do {
            return try await threadPool.runIfActive { try sendBlocking(request) }
        } catch let error as MailTransferError {
            throw error
        } catch {
            throw MailTransferError(.other, "the mail thread pool is not running: \(error)")
        }
    }

    /// Sends `request` on the calling thread.
    public static func sendBlocking(_ request: MailRequest) throws(MailTransferError) -> MailReceipt {
        guard !request.recipients.isEmpty else { throw MailTransferError(.invalidMessage, "no recipient") }
        guard let handle = curl_easy_init() else { throw MailTransferError(.other, "libcurl failed to start") }
        defer { curl_easy_cleanup(handle) }
        let source = MessageSource(request.message)
        let unmanaged = Unmanaged.passRetained(source)
        defer { unmanaged.release() }
        var recipientList: UnsafeMutablePointer<curl_slist>?
        for recipient in request.recipients {
            recipientList = curl_slist_append(recipientList, "<\(recipient.address)>")
        }
        defer { curl_slist_free_all(recipientList) }

        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code = errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            _ = vigil_curl_set_string(handle, CURLOPT_URL, request.url)
            // Only SMTP(S): a URL from a config must never make libcurl speak anything else.
            _ = vigil_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
            _ = vigil_curl_set_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(request.timeout))
            _ = vigil_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout))
            _ = vigil_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
            _ = vigil_curl_set_long(handle, CURLOPT_USE_SSL, Int(useSSL(request.tls).rawValue))
            if let caFile = request.caFile { _ = vigil_curl_set_string(handle, CURLOPT_CAINFO, caFile) }
            if let username = request.username {
                _ = vigil_curl_set_string(handle, CURLOPT_USERNAME, username)
                _ = vigil_curl_set_string(handle, CURLOPT_PASSWORD, request.password ?? "")
            }
            _ = vigil_curl_set_string(handle, CURLOPT_MAIL_FROM, "<\(request.sender.address)>")
            _ = vigil_curl_set_pointer(handle, CURLOPT_MAIL_RCPT, recipientList)
            _ = vigil_curl_set_long(handle, CURLOPT_UPLOAD, 1)
            _ = vigil_curl_set_pointer(handle, CURLOPT_READDATA, unmanaged.toOpaque())
            _ = vigil_curl_set_read_function(handle) { buffer, size, count, context in
                guard let buffer, let context else { return 0 }
                let source = Unmanaged<MessageSource>.fromOpaque(context).takeUnretainedValue()
                return source.copy(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
            }
            _ = vigil_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress)
            let code = curl_easy_perform(handle)
                // libcurl may write into the error buffer until cleanup (an SMTP QUIT can fail there); the buffer
                // lives only inside this closure, so libcurl must forget it now.
                _ = vigil_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, nil)
                return code
        }
        var responseCode = 0
        _ = vigil_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        var totalSeconds: Double = 0
        _ = vigil_curl_get_double(handle, CURLINFO_TOTAL_TIME, &totalSeconds)
        guard code == CURLE_OK else {
            var osErrno = 0
            _ = vigil_curl_get_long(handle, CURLINFO_OS_ERRNO, &osErrno)
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw failure(
                code,
                detail: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail,
                responseCode: responseCode,
                osErrno: Int32(clamping: osErrno),
                url: request.url
            )
        }
        return MailReceipt(responseCode: responseCode, totalSeconds: totalSeconds)
    }

    private static func useSSL(_ policy: MailRequest.TLSPolicy) -> curl_usessl {
        switch policy {
        case .required: CURLUSESSL_ALL
        case .whenOffered: CURLUSESSL_TRY
        case .never: CURLUSESSL_NONE
        }
    }

    /// Sorts libcurl's result into the kinds a retry policy reads, each with a line naming the server.
    static func failure(
        _ code: CURLcode,
        detail: String,
        responseCode: Int,
        osErrno: Int32,
        url: String
    ) -> MailTransferError {
        let reply = responseCode > 0 ? responseCode : nil
        let answered = reply.map { " (server answered \($0))" } ?? ""
        switch code {
        case CURLE_COULDNT_CONNECT:
            let reason = osErrno == ECONNREFUSED ? "connection refused" : detail
            return MailTransferError(.couldNotConnect, "could not connect to \(url): \(reason)")
        case CURLE_COULDNT_RESOLVE_HOST:
            return MailTransferError(.couldNotConnect, "could not connect to \(url): \(detail)")
        case CURLE_OPERATION_TIMEDOUT:
            return MailTransferError(.timeout, "timed out talking to \(url): \(detail)")
        case CURLE_LOGIN_DENIED:
            return MailTransferError(
                .loginRefused,
                "login refused by \(url)\(answered): check the username and password",
                responseCode: reply
            )
        case CURLE_USE_SSL_FAILED:
            return MailTransferError(.tls, "TLS failed with \(url): the server does not offer STARTTLS")
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE:
            return MailTransferError(.tls, "TLS failed with \(url): \(detail)")
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return MailTransferError(.badURL, "\(url) is not a usable smtp or smtps URL: \(detail)")
        case CURLE_SEND_ERROR where detail.hasPrefix("RCPT failed"):
            return MailTransferError(.recipientRefused, "recipient refused by \(url)\(answered)", responseCode: reply)
        case CURLE_SEND_ERROR where detail.hasPrefix("MAIL failed"):
            return MailTransferError(.senderRefused, "sender refused by \(url)\(answered)", responseCode: reply)
        case CURLE_SEND_ERROR where (reply ?? 0) >= 400, CURLE_WEIRD_SERVER_REPLY where (reply ?? 0) >= 400:
            return MailTransferError(.messageRefused, "message refused by \(url)\(answered)", responseCode: reply)
        default:
            return MailTransferError(.other, "\(url): \(detail)\(answered)", responseCode: reply)
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// Hands the message to libcurl in the pieces it asks for.
private final class MessageSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Returns how many bytes were copied; zero tells libcurl the message is complete.
    func copy(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
        }
        offset += count
        return count
    }
}
