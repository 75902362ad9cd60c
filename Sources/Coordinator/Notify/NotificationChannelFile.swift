import Foundation

/// The `channels:` and `notify:` sections of the coordinator's configuration.
///
/// `channels:` is a list of channels, each with a unique `name`, a `kind` and that kind's keys; `notify:` maps
/// `sev1` … `sev4` to channel names. Every problem is one line with its line number; a secret named by
/// `password_env` must be in the environment when the file is read, so a missing one stops the start.
enum NotificationChannelFile {
    static let commonKeys = ["name", "kind", "timeout_seconds"]
    static let kindKeys: [NotificationChannel.Kind: [String]] = [
        .webhook: ["url", "headers"],
        .slack: ["url"],
        .pagerduty: ["url", "routing_key"],
        .email: ["smtp_url", "from", "to", "username", "password_env", "starttls", "ca_file"],
    ]
    static let severityKeys = ["sev1", "sev2", "sev3", "sev4"]
    /// A delivery attempt longer than this holds a retry loop for nothing: the receiver is down.
    static let maximumTimeout: Duration = .seconds(300)

    /// The channels in the order they are listed; none when the section is absent.
    static func channels(
        _ field: ConfigurationField?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(CoordinatorConfigurationError) -> [NotificationChannel] {
        guard let field, !field.isNull else { return [] }
        guard field.isList else { throw field.error("channels must be a list of channels") }
        var channels: [NotificationChannel] = []
        var firstLines: [ChannelName: Int] = [:]
        for entry in field.items() {
            guard entry.isMapping else { throw entry.error("a channel must be a mapping with a name and a kind") }
            guard let nameField = entry.value(of: "name"), !nameField.isNull else {
                throw entry.error("a channel needs a name")
            }
            let text = try nameField.text()
            guard ChannelName.isValid(text) else {
                throw nameField.error("channel name \(quoted(text)) must be 1 to 64 letters, digits, '-', '_' or '.'")
            }
            let name = ChannelName(text)
            if let firstLine = firstLines[name] {
                throw nameField.error("channel \"\(name)\" is defined twice (first on line \(firstLine))")
            }
            firstLines[name] = nameField.line ?? 0
            channels.append(try channel(named: name, entry.within("channel \(name): "), environment: environment))
        }
        return channels
    }

    private static func channel(
        named name: ChannelName,
        _ field: ConfigurationField,
        environment: [String: String]
    ) throws(CoordinatorConfigurationError) -> NotificationChannel {
        guard let kindField = field.value(of: "kind"), !kindField.isNull else {
            let known = NotificationChannel.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw field.error("a channel needs a kind (\(known))")
        }
        let kindText = try kindField.text()
        guard let kind = NotificationChannel.Kind(rawValue: kindText) else {
            let known = NotificationChannel.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw kindField.error("unknown kind \(quoted(kindText)) (known: \(known))")
        }
        let fields = try field.entries(allowed: commonKeys + (kindKeys[kind] ?? []))
        var timeout = NotificationChannel.defaultTimeout
        if let value = fields["timeout_seconds"] {
            timeout = try value.seconds(allowingZero: false)
            guard timeout <= maximumTimeout else { throw value.error("timeout_seconds must be at most 300") }
        }
        let settings: NotificationChannel.Settings
        switch kind {
        case .webhook:
            let url = try httpURL(fields["url"], label: "webhook", in: field)
            let headers = try fields["headers"].map { value throws(CoordinatorConfigurationError) in
                try extraHeaders(value)
            }
            settings = .webhook(NotificationChannel.Webhook(url: url, headers: headers ?? [:]))
        case .slack:
            settings = .slack(NotificationChannel.Slack(url: try httpURL(fields["url"], label: "slack", in: field)))
        case .pagerduty:
            var pagerDuty = NotificationChannel.PagerDuty(routingKey: SecretText(""))
            if let url = fields["url"] { pagerDuty.url = try httpURL(url, label: "pagerduty", in: field) }
            guard let keyField = fields["routing_key"] else {
                throw field.error("a pagerduty channel needs routing_key")
            }
            let key = try keyField.text()
            guard !key.isEmpty else { throw keyField.error("routing_key must not be empty") }
            pagerDuty.routingKey = SecretText(key)
            settings = .pagerDuty(pagerDuty)
        case .email:
            settings = .email(try email(fields, in: field, environment: environment))
        }
        return NotificationChannel(name: name, settings: settings, timeout: timeout)
    }

    // MARK: - Values

    /// An absolute http or https URL with a host.
    static func httpURL(
        _ value: ConfigurationField?,
        label: String,
        in channel: ConfigurationField
    ) throws(CoordinatorConfigurationError) -> String {
        guard let value else { throw channel.error("a \(label) channel needs url") }
        let text = try value.text()
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw value.error("\(label) url \(quoted(text)) is not an http or https URL")
        }
        return text
    }

    /// Header names the sender sets itself; a configured header may not replace them.
    static let reservedHeaders: Set<String> = [
        "content-type", "content-length", "host", "idempotency-key", "transfer-encoding", "user-agent",
    ]

    private static func extraHeaders(
        _ field: ConfigurationField
    ) throws(CoordinatorConfigurationError) -> [String: String] {
        var headers: [String: String] = [:]
        for pair in try field.pairs() where !pair.value.isNull {
            let isToken = pair.name.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-")
            }
            guard !pair.name.isEmpty, isToken else {
                throw pair.key.error("header name \(quoted(pair.name)) may hold only letters, digits and '-'")
            }
            guard !reservedHeaders.contains(pair.name.lowercased()) else {
                throw pair.key.error("header \(pair.name) is set by the sender and cannot be configured")
            }
            let value = try pair.value.text()
            guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw pair.value.error("header \(pair.name) must be one line without control characters")
            }
            headers[pair.name] = value
        }
        return headers
    }
}

extension NotificationChannelFile {
    /// `text` in double quotes with control characters written as escapes, so a message that repeats a value
    /// stays one line whatever the value holds.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\r": result += "\\r"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\"": result += "\\\""
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
