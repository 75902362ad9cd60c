import Shared

extension NotificationChannelFile {
    /// The `notify:` section over `channels`: each severity it lists goes to exactly the channels named (an empty
    /// list sends nothing); a severity it does not list keeps the default by kind (`NotificationRouting`).
    static func routing(
        _ field: ConfigurationField?,
        channels: [NotificationChannel]
    ) throws(CoordinatorConfigurationError) -> NotificationRouting {
        var routes = NotificationRouting.byKind(channels).channelsBySeverity
        guard let field, !field.isNull else { return NotificationRouting(channelsBySeverity: routes) }
        _ = try field.entries(allowed: severityKeys)
        let known = channels.map(\.name)
        for pair in try field.pairs() where !pair.value.isNull {
            guard let severity = Severity(text: pair.name) else { continue }
            var names: [ChannelName] = []
            for item in pair.value.items() {
                let name = ChannelName(try item.text())
                guard known.contains(name) else {
                    let list =
                        known.isEmpty
                        ? "no channels are defined" : "known: " + known.map(\.rawValue).joined(separator: ", ")
                    throw item.error("unknown channel \(quoted(name.rawValue)) in notify.\(pair.name) (\(list))")
                }
                guard !names.contains(name) else {
                    throw item.error("channel \(quoted(name.rawValue)) is listed twice in notify.\(pair.name)")
                }
                names.append(name)
            }
            routes[severity] = names
        }
        return NotificationRouting(channelsBySeverity: routes)
    }
}
