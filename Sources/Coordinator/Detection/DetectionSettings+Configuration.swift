import Foundation

/// The `detection` section of the coordinator's configuration.
extension DetectionSettings {
    static let configurationKeys = [
        "evaluation_interval_seconds", "heartbeat_allowance_seconds", "quiet_window_seconds", "reopen_window_seconds",
    ]

    /// The defaults with the keys given replacing them; an absent or empty section means the defaults.
    init(configuration field: ConfigurationField?) throws(CoordinatorConfigurationError) {
        self.init()
        guard let field, !field.isNull else { return }
        let fields = try field.entries(allowed: Self.configurationKeys)
        // Evaluating never, or declaring a node silent at once, cannot be meant; a zero window can.
        if let value = fields["evaluation_interval_seconds"] {
            evaluationInterval = try value.seconds(allowingZero: false)
        }
        if let value = fields["heartbeat_allowance_seconds"] {
            heartbeatAllowance = try value.seconds(allowingZero: false)
        }
        if let value = fields["quiet_window_seconds"] { quietWindow = try value.seconds(allowingZero: true) }
        if let value = fields["reopen_window_seconds"] { reopenWindow = try value.seconds(allowingZero: true) }
    }
}
