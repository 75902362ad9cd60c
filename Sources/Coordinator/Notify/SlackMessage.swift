import Foundation

/// The body of a Slack-compatible incoming webhook: `{"text": …}`, the paged person mentioned first and each
/// link on a line of its own.
struct SlackMessage: Encodable, Hashable, Sendable {
    var text: String

    init(_ notification: OutgoingNotification) {
        var lines: [String] = []
        let mention = notification.recipient?.chatHandle.flatMap(Self.mention(for:))
        lines.append((mention.map { $0 + " " } ?? "") + Self.escaped(notification.text))
        for link in notification.links {
            lines.append("<\(Self.escaped(link.url))|\(Self.escaped(link.label))>")
        }
        text = lines.joined(separator: "\n")
    }

    /// `<@U024BE7LH>` for a Slack user id, which Slack turns into a real mention; `@alice` for any other handle,
    /// which reads right in Slack and in the chat servers that take Slack's format.
    static func mention(for handle: String) -> String? {
        let bare = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
        guard !bare.isEmpty else { return nil }
        return isSlackUserID(bare) ? "<@\(bare)>" : "@" + escaped(bare)
    }

    /// `U` or `W` then upper-case letters and digits, as Slack writes user ids.
    static func isSlackUserID(_ text: String) -> Bool {
        guard let first = text.first, first == "U" || first == "W", text.count >= 7 else { return false }
        return text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    /// Slack reads `&`, `<` and `>` as markup, so text that holds them must carry them as entities.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
