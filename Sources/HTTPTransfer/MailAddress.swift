/// An e-mail address as a message may carry it: `local@domain`, optionally with a display name
/// (`Vigil <vigil@example.com>`).
///
/// Only plain ASCII addresses are accepted: no quoted local parts, comments or international forms. That is
/// narrower than RFC 5322, on purpose: an address that passes here cannot break out of a header line or an
/// SMTP command, because every character it may hold is listed below.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// `local@domain`, as SMTP's `MAIL FROM` and `RCPT TO` carry it.
    public let address: String
    /// Free text; written RFC 2047-encoded when it is not plain ASCII.
    public let displayName: String?

    /// Reads `alice@example.com` or `Alice Smith <alice@example.com>`; nil for anything else.
    public init?(_ text: String) {
        let trimmed = text.trimmingSpaces
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            let name = String(trimmed[..<open]).trimmingSpaces.trimmingQuotes
            let inner = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            guard Self.isValid(address: inner), !name.unicodeScalars.contains(where: Self.isForbiddenInName) else {
                return nil
            }
            address = inner
            displayName = name.isEmpty ? nil : name
        } else {
            guard Self.isValid(address: trimmed) else { return nil }
            address = trimmed
            displayName = nil
        }
    }

    /// An address and a display name given apart, such as a person's e-mail and name; nil when the address is
    /// not valid or the name holds a control character, `<`, `>`, `"` or a backslash.
    public init?(address: String, displayName: String?) {
        guard Self.isValid(address: address) else { return nil }
        if let displayName, displayName.unicodeScalars.contains(where: Self.isForbiddenInName) { return nil }
        self.address = address
        self.displayName = displayName.flatMap { $0.isEmpty ? nil : $0 }
    }

    public var description: String {
        displayName.map { "\($0) <\(address)>" } ?? address
    }

    /// The part after the `@`.
    public var domain: String {
        String(address[address.index(after: address.lastIndex(of: "@") ?? address.startIndex)...])
    }

    // MARK: - Validation

    private static let localCharacters = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-"
    )
    private static let labelCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")

    /// A dot-atom local part, an `@`, and a domain of letter-digit-hyphen labels; at most 254 characters.
    static func isValid(address: String) -> Bool {
        guard address.utf8.count <= 254, let at = address.lastIndex(of: "@") else { return false }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        let localAtoms = local.split(separator: ".", omittingEmptySubsequences: false)
        guard local.utf8.count <= 64,
            localAtoms.allSatisfy({ !$0.isEmpty && $0.allSatisfy(localCharacters.contains) })
        else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return !labels.isEmpty
            && labels.allSatisfy { label in
                !label.isEmpty && label.count <= 63 && label.allSatisfy(labelCharacters.contains)
                    && label.first != "-" && label.last != "-"
            }
    }

    /// Control characters (CR and LF among them) and the characters that delimit addresses.
    private static func isForbiddenInName(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || "<>\"\\".unicodeScalars.contains(scalar)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    fileprivate var trimmingQuotes: String {
        guard count >= 2, hasPrefix("\""), hasSuffix("\"") else { return self }
        return String(dropFirst().dropLast())
    }
}
