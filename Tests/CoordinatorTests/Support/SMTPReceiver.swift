import Foundation

/// `smtp_receiver.py`: a real SMTP server (aiosmtpd) on a loopback port between 20000 and 32767 that records
/// every message it accepts, optionally with AUTH, STARTTLS and a recipient it refuses.
final class SMTPReceiver: Sendable {
    /// One message as the receiver accepted it.
    struct Message: Decodable, Sendable {
        var mailFrom: String
        var rcptTos: [String]
        /// The message as it came after DATA, CRLF line endings and all.
        var data: String
        /// Decoded, as a mail reader shows it.
        var subject: String
        var from: String
        var to: String
        var messageId: String
        /// Names in lower case, values decoded.
        var headers: [String: String]
        /// Decoded from its transfer encoding, LF line endings.
        var body: String
        var authenticated: Bool
        var tls: Bool
        var receivedAt: Double
    }

    /// A certificate for 127.0.0.1 and its key, the certificate also being the CA a client trusts.
    struct Certificate: Sendable {
        var certificatePath: String
        var keyPath: String

        /// Makes a self-signed certificate for `127.0.0.1` and `localhost` with `openssl req -x509` in `directory`.
        static func make(in directory: String) throws -> Certificate {
            let certificate = Certificate(
                certificatePath: directory + "/smtp-cert.pem",
                keyPath: directory + "/smtp-key.pem"
            )
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", certificate.keyPath, "-out", certificate.certificatePath, "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw ReceiverError.didNotStart("openssl req exited with \(process.terminationStatus)")
            }
            return certificate
        }
    }

    private let process: ReceiverProcess

    var port: Int { process.port }

    /// `smtp://127.0.0.1:PORT`.
    var url: String { "smtp://127.0.0.1:\(port)" }

    private init(process: ReceiverProcess) {
        self.process = process
    }

    /// - Parameters:
    ///   - login: When set, AUTH PLAIN and LOGIN are offered (without TLS) and mail needs a login first.
    ///   - certificate: When set, STARTTLS is offered with it.
    ///   - refusing: Recipients answered 550.
    static func start(
        login: (username: String, password: String)? = nil,
        certificate: Certificate? = nil,
        refusing: [String] = []
    ) async throws -> SMTPReceiver {
        let process = try await ReceiverProcess.start(script: "smtp_receiver.py") { directory in
            var arguments = [directory + "/messages.jsonl"]
            if let login { arguments += ["--auth", "\(login.username):\(login.password)"] }
            if let certificate { arguments += ["--tls", certificate.certificatePath, certificate.keyPath] }
            for address in refusing { arguments += ["--refuse", address] }
            return arguments
        }
        return SMTPReceiver(process: process)
    }

    /// Every message accepted so far; one is recorded before the server says 250, so a delivery that returned
    /// is here.
    func messages() throws -> [Message] {
        try process.records(in: "messages.jsonl", as: Message.self)
    }

    /// Waits until at least `count` messages have arrived (for deliveries made by something else).
    func waitForMessages(count: Int, within limit: Duration = .seconds(20)) async throws -> [Message] {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let messages = try messages()
            if messages.count >= count { return messages }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ReceiverError.timedOut("\(count) messages did not arrive")
    }

    func stop() {
        process.stop()
    }
}
