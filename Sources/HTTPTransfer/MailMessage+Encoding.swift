import Foundation

// MARK: - Header and body encodings (RFC 2045, RFC 2047, RFC 5322)

extension MailMessage {
    /// `"Name" <address>`, the name RFC 2047-encoded when it is not plain ASCII, or the bare address.
    static func headerValue(of address: MailAddress) -> String {
        guard let name = address.displayName else { return address.address }
        let isPlain = name.utf8.allSatisfy { (0x20...0x7E).contains($0) } && !name.contains("=?")
        return isPlain ? "\"\(name)\" <\(address.address)>" : "\(encodedWords(name)) <\(address.address)>"
    }

    /// A header's free text as is when it is short plain ASCII, otherwise as UTF-8 encoded words folded onto
    /// continuation lines (each line well under the 78-character recommendation).
    static func headerText(_ text: String) -> String {
        let isPlain =
            text.utf8.allSatisfy { (0x20...0x7E).contains($0) } && !text.contains("=?") && text.utf8.count <= 900
        return isPlain ? text : encodedWords(text)
    }

    /// `=?UTF-8?B?…?=` words of at most 39 bytes of text each, never splitting a character: 52 characters of
    /// base64, so `Subject: ` and the first word fit in 78.
    static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if !chunk.isEmpty && chunk.count + bytes.count > 39 {
                words.append(encodedWord(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(encodedWord(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
    }

    /// One body line as quoted-printable lines of at most 76 characters, soft breaks ending in `=`.
    static func quotedPrintable(_ line: String) -> [String] {
        let bytes = Array(line.utf8)
        var lines: [String] = []
        var current = ""
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let isLiteral =
                ((0x21...0x7E).contains(byte) && byte != UInt8(ascii: "="))
                || ((byte == 0x20 || byte == 0x09) && !isLast)
            let piece = isLiteral ? String(UnicodeScalar(byte)) : "=" + hexDigits(byte)
            if current.utf8.count + piece.utf8.count > 75 {
                lines.append(current + "=")
                current = ""
            }
            current += piece
        }
        lines.append(current)
        return lines
    }

    private static func hexDigits(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// `Tue, 04 Mar 2025 09:05:00 +0000`: RFC 5322's date, always in UTC.
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[((parts.weekday ?? 1) - 1) % 7]
        let month = months[((parts.month ?? 1) - 1) % 12]
        func twoDigits(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        return "\(weekday), \(twoDigits(parts.day)) \(month) \(parts.year ?? 1970) "
            + "\(twoDigits(parts.hour)):\(twoDigits(parts.minute)):\(twoDigits(parts.second)) +0000"
    }
}
