import HTTPTransfer

extension NotificationSender {
    /// Composes and sends the e-mail and sorts the answer: a server that is down, slow, refuses the login or the
    /// sender, or answers 4xx is retried; a recipient or message refused with 5xx, or nobody to send to, is not.
    func sendMail(
        _ notification: OutgoingNotification,
        settings: NotificationChannel.Email,
        timeout: Duration
    ) async -> DeliveryOutcome {
        let composition: EmailComposition
        let bytes: [UInt8]
        do {
            composition = try EmailComposition(notification, settings: settings, date: now())
            bytes = try composition.message.rendered()
        } catch let refusal as EmailComposition.Refusal {
            return .failed(refusal.cause, retryable: false, refusal.detail)
        } catch let error as MailTransferError {
            return .failed(.invalidNotification, retryable: false, "cannot build the e-mail: \(error.reason)")
        } catch {
            return .failed(.invalidNotification, retryable: false, "cannot build the e-mail: \(error)")
        }
        let request = MailRequest(
            url: settings.smtpURL,
            sender: settings.from,
            recipients: composition.recipients,
            message: bytes,
            username: settings.username,
            password: settings.password?.revealed,
            tls: Self.tlsPolicy(settings.startTLS),
            caFile: settings.caFile,
            timeout: timeout,
            connectTimeout: Self.connectTimeout(within: timeout)
        )
        do {
            let receipt = try await MailTransfer.send(request)
            return .delivered("SMTP \(receipt.responseCode)", responseCode: receipt.responseCode)
        } catch {
            return Self.outcome(of: error)
        }
    }

    static func tlsPolicy(_ startTLS: NotificationChannel.Email.StartTLS) -> MailRequest.TLSPolicy {
        switch startTLS {
        case .required: .required
        case .optional: .whenOffered
        case .off: .never
        }
    }

    static func outcome(of error: MailTransferError) -> DeliveryOutcome {
        let code = error.responseCode
        let isTemporaryReply = code.map { (400..<500).contains($0) } ?? true
        switch error.kind {
        case .couldNotConnect: return .failed(.connection, retryable: true, error.reason, responseCode: code)
        case .timeout: return .failed(.timeout, retryable: true, error.reason, responseCode: code)
        case .tls: return .failed(.tls, retryable: true, error.reason, responseCode: code)
        case .loginRefused: return .failed(.loginRefused, retryable: true, error.reason, responseCode: code)
        case .senderRefused: return .failed(.senderRefused, retryable: true, error.reason, responseCode: code)
        case .recipientRefused:
            return .failed(.recipientRefused, retryable: isTemporaryReply, error.reason, responseCode: code)
        case .messageRefused:
            return .failed(.messageRefused, retryable: isTemporaryReply, error.reason, responseCode: code)
        case .invalidMessage, .badURL:
            return .failed(.invalidNotification, retryable: false, error.reason, responseCode: code)
        case .other: return .failed(.other, retryable: true, error.reason, responseCode: code)
        }
    }
}
