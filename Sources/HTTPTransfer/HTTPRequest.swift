/// What to send: a URL, a method, headers, an optional body, and the limits the exchange must keep to.
public struct HTTPRequest: Sendable, Equatable {
    public var url: String
    public var method: String
    public var headers: [String: String]
    public var body: [UInt8]?
    /// The whole exchange, from DNS to the last byte.
    public var timeout: Duration
    public var connectTimeout: Duration
    /// Bytes of body kept; past this the transfer stops and the response says it was truncated.
    public var maximumResponseBytes: Int
    public var followsRedirects: Bool
    public var userAgent: String

    public init(
        url: String,
        method: String = "GET",
        headers: [String: String] = [:],
        body: [UInt8]? = nil,
        timeout: Duration = .seconds(10),
        connectTimeout: Duration = .seconds(5),
        maximumResponseBytes: Int = 8 << 20,
        followsRedirects: Bool = false,
        userAgent: String = "vigil"
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maximumResponseBytes = maximumResponseBytes
        self.followsRedirects = followsRedirects
        self.userAgent = userAgent
    }
}

/// What came back.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var body: [UInt8]
    /// True when the body was longer than the request's limit and only its start was kept.
    public var isTruncated: Bool
    public var timings: HTTPTimings

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// When each phase of the exchange finished, in seconds from its start, as libcurl measures them.
public struct HTTPTimings: Sendable, Equatable, Codable {
    public var dnsSeconds: Double
    public var connectSeconds: Double
    /// Zero for plain HTTP.
    public var tlsSeconds: Double
    public var firstByteSeconds: Double
    public var totalSeconds: Double

    public init(dnsSeconds: Double, connectSeconds: Double, tlsSeconds: Double, firstByteSeconds: Double, totalSeconds: Double) {
        self.dnsSeconds = dnsSeconds
        self.connectSeconds = connectSeconds
        self.tlsSeconds = tlsSeconds
        self.firstByteSeconds = firstByteSeconds
        self.totalSeconds = totalSeconds
    }
}
