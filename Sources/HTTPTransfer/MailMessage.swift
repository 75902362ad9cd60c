import Foundation

/// One plain-text e-mail as RFC 5322 bytes: the headers a receiver needs to thread, deduplicate and display it,
/// and a UTF-8 body that survives any relay.
///
/// Rendering refuses a line break in any header value instead of folding or stripping it, so nothing a message's
/// author writes can add a header or a recipient.
public struct MailMessage: Sendable, Hashable {
    public var from: MailAddress
    /// Shown in the `To` header; the envelope's recipients are the transfer's business.
    public var to: [MailAddress]
    public var subject: String
    /// Plain text; any line ending (LF, CR or CRLF) becomes CRLF.
    public var text: String
    public var date: Date
    /// `left@right` without angle brackets; a receiver uses it to spot a message sent twice.
    public var messageID: String
    /// Additional fields such as `X-Vigil-Incident`, written after the standard ones in name order.
    public var extraHeaders: [String: String]

    public init(
        from: MailAddress,
        to: [MailAddress],
        subject: String,
        text: String,
        date: Date,
        messageID: String,
        extraHeaders: [String: String] = [:]
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.date = date
        self.messageID = messageID
        self.extraHeaders = extraHeaders
    }

    /// Header names this type writes itself and an extra header may not replace.
    static let standardHeaders: Set<String> = [
        "from", "to", "cc", "bcc", "subject", "date", "message-id", "mime-version", "content-type",
        "content-transfer-encoding", "auto-submitted",
    ]

    /// The message as sent after SMTP's `DATA`: headers, a blank line and the body, every line ending in CRLF.
    public func rendered() throws(MailTransferError) -> [UInt8] {
        guard !to.isEmpty else { throw MailTransferError(.invalidMessage, "the message has no recipient") }
        try Self.refuseLineBreaks(in: subject, field: "subject")
        guard Self.isValidMessageID(messageID) else {
            throw MailTransferError(.invalidMessage, "message id \"\(messageID)\" is not of the form left@right")
        }
        var lines = [
            "From: \(Self.headerValue(of: from))",
            "To: \(to.map(Self.headerValue(of:)).joined(separator: ",\r\n "))",
            "Subject: \(Self.headerText(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
        ]
        let body = Self.bodyLines(text)
        let needsEncoding = body.contains { line in line.utf8.count > 998 || line.utf8.contains { $0 >= 0x80 } }
        lines.append("Content-Transfer-Encoding: \(needsEncoding ? "quoted-printable" : "7bit")")
        lines.append("Auto-Submitted: auto-generated")
        for (name, value) in extraHeaders.sorted(by: { $0.key < $1.key }) {
            guard !name.isEmpty, name.utf8.allSatisfy(Self.isHeaderNameByte),
                !Self.standardHeaders.contains(name.lowercased())
            else {
                throw MailTransferError(.invalidMessage, "\"\(name)\" cannot be an extra header")
            }
            try Self.refuseLineBreaks(in: value, field: "header \(name)")
            lines.append("\(name): \(Self.headerText(value))")
        }
        let encodedBody = needsEncoding ? body.flatMap(Self.quotedPrintable) : body
        let text = lines.joined(separator: "\r\n") + "\r\n\r\n" + encodedBody.joined(separator: "\r\n") + "\r\n"
        return Array(text.utf8)
    }

    private static func refuseLineBreaks(in value: String, field: String) throws(MailTransferError) {
        guard !value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            throw MailTransferError(.invalidMessage, "the \(field) contains a line break")
        }
    }

    private static func isHeaderNameByte(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) && byte != UInt8(ascii: ":")
    }

    static func isValidMessageID(_ id: String) -> Bool {
        let parts = id.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty }
            && id.utf8.allSatisfy { (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
    }

    /// The body's lines, whatever line endings the text used.
    private static func bodyLines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
