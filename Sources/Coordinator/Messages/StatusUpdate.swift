import Foundation

/// One status update posted to the war room during an incident, as the playbook's "Status Update Template" has it.
struct StatusUpdate: Hashable, Sendable, Codable {
    var time: Date
    var status: IncidentStatus
    /// The current impact, or whatever the author has to say.
    var message: String
    var actionsTaken: [String]
    var nextSteps: [String]
    /// When the author expects it fixed, as they wrote it; nil for unknown.
    var eta: String?
    var author: String
}
