/// A message ready to send: its subject for e-mail, and its plain text.
struct RenderedMessage: Hashable, Sendable {
    var kind: MessageKind
    /// The template's `Subject:` line, or one derived from the kind: `[SEV-1] INCIDENT DETECTED: title`.
    var subject: String?
    var text: String
}
