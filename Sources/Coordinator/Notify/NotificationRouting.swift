import Shared

/// Which channels hear about an incident of each severity: the `notify:` section, or the playbook's default by
/// channel kind for any severity it does not list.
///
/// The default: SEV-1 and SEV-2 page and tell chat (every `pagerduty`, `slack` and `webhook` channel); SEV-3
/// tells chat (`slack` and `webhook`); SEV-4 sends e-mail (`email` channels).
struct NotificationRouting: Hashable, Sendable {
    /// In the order the configuration lists them (channel order for the default).
    let channelsBySeverity: [Severity: [ChannelName]]

    /// The channels for `severity`; none when it routes nowhere.
    func channels(for severity: Severity) -> [ChannelName] {
        channelsBySeverity[severity] ?? []
    }

    /// The channel kinds each severity reaches when `notify:` does not name its channels.
    static func defaultKinds(for severity: Severity) -> Set<NotificationChannel.Kind> {
        switch severity {
        case .sev1, .sev2: [.pagerduty, .slack, .webhook]
        case .sev3: [.slack, .webhook]
        case .sev4: [.email]
        }
    }

    /// The default routing over `channels`, in their order.
    static func byKind(_ channels: [NotificationChannel]) -> NotificationRouting {
        var routes: [Severity: [ChannelName]] = [:]
        for severity in Severity.allCases {
            let kinds = defaultKinds(for: severity)
            routes[severity] = channels.filter { kinds.contains($0.kind) }.map(\.name)
        }
        return NotificationRouting(channelsBySeverity: routes)
    }
}
