import Foundation
import HTTPTransfer
import Shared

/// A notification as an e-mail: the subject (or `[SEV-1] service: title`), the text, then the links; sent to
/// the channel's fixed `to` list, or else to the paged person.
struct EmailComposition: Hashable, Sendable {
    var message: MailMessage
    /// The envelope's recipients, the same as the `To` header.
    var recipients: [MailAddress]

    /// Why a notification cannot become an e-mail; a retry would meet the same problem.
    struct Refusal: Error, Hashable, Sendable {
        var detail: String
        var cause: DeliveryOutcome.Cause
    }

    init(
        _ notification: OutgoingNotification,
        settings: NotificationChannel.Email,
        date: Date
    ) throws(Refusal) {
        if !settings.to.isEmpty {
            recipients = settings.to
        } else if let person = notification.recipient {
            guard let email = person.email, !email.isEmpty else {
                throw Refusal(detail: "no e-mail address for \(person.name)", cause: .noAddress)
            }
            guard
                let address = MailAddress(address: email, displayName: person.name)
                    ?? MailAddress(address: email, displayName: nil)
            else {
                throw Refusal(
                    detail: "the e-mail address \"\(email)\" of \(person.name) is not valid",
                    cause: .noAddress
                )
            }
            recipients = [address]
        } else {
            throw Refusal(
                detail: "no e-mail address: the channel has no to list and nobody is paged",
                cause: .noAddress
            )
        }
        var body = notification.text
        if !notification.links.isEmpty {
            body += "\n\n" + notification.links.map { "\($0.label): \($0.url)" }.joined(separator: "\n")
        }
        message = MailMessage(
            from: settings.from,
            to: recipients,
            subject: Self.oneLine(notification.subject ?? notification.defaultSubject),
            text: body,
            date: date,
            messageID: Self.messageID(for: notification.deliveryID, domain: settings.from.domain),
            extraHeaders: [
                "X-Vigil-Incident": notification.incidentID.description,
                "X-Vigil-Event": notification.event.rawValue,
                "X-Vigil-Severity": notification.severity.description,
            ]
        )
    }

    /// `<delivery id>@<sender's domain>`, the delivery id kept readable: letters, digits, `-` and `_` as they
    /// are, every other byte as `=XX`, so that two delivery ids never share a Message-ID.
    static func messageID(for delivery: DeliveryID, domain: String) -> String {
        var left = ""
        for byte in delivery.rawValue.utf8 {
            let scalar = Unicode.Scalar(byte)
            if scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || byte == 0x2D || byte == 0x5F)
            {
                left.unicodeScalars.append(scalar)
            } else {
                left += "=" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return "\(left.isEmpty ? "vigil" : left)@\(domain)"
    }

    /// A subject is one header line: titles carry labels agents sent, so any control character becomes a space
    /// rather than costing the page.
    static func oneLine(_ text: String) -> String {
        let scalars = text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }
        return String(String.UnicodeScalarView(scalars))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
