import Foundation
import Yams

/// The channels and the severity routing, read together because `notify:` refers to the channels by name.
struct NotificationSettings: Hashable, Sendable {
    var channels: [NotificationChannel]
    var routing: NotificationRouting

    init(channels: [NotificationChannel] = [], routing: NotificationRouting? = nil) {
        self.channels = channels
        self.routing = routing ?? NotificationRouting.byKind(channels)
    }

    /// Reads the `channels:` and `notify:` sections; either may be absent.
    init(
        channels channelsField: ConfigurationField?,
        notify notifyField: ConfigurationField?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(CoordinatorConfigurationError) {
        channels = try NotificationChannelFile.channels(channelsField, environment: environment)
        routing = try NotificationChannelFile.routing(notifyField, channels: channels)
    }

    /// Reads the `channels:` and `notify:` keys of a whole YAML document and ignores any other key, so it reads
    /// the coordinator's file as well as a file of its own.
    static func parse(
        yaml: String,
        source: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(CoordinatorConfigurationError) -> NotificationSettings {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw .invalid(source: source, detail: "\(error)".split(separator: "\n").joined(separator: " "))
        }
        guard let root else { return NotificationSettings() }
        guard case .mapping(let mapping) = root else {
            throw .invalid(source: source, detail: "the file must be a mapping of keys to values")
        }
        func section(_ key: String) -> ConfigurationField? {
            mapping.first { $0.key.string == key }.map {
                ConfigurationField(node: $0.value, path: key, context: "", source: source)
            }
        }
        return try NotificationSettings(
            channels: section("channels"),
            notify: section("notify"),
            environment: environment
        )
    }

    func channel(named name: ChannelName) -> NotificationChannel? {
        channels.first { $0.name == name }
    }
}
