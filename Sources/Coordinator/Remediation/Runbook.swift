import Foundation
import Shared

/// What to do about an incident kind: ordered steps, each an agent action and how long to wait before judging
/// whether it helped.
struct Runbook: Hashable, Sendable {
    struct Step: Hashable, Sendable {
        var action: ActionName
        /// Parameter values; `{{name}}` is filled from the alert's group labels, `node` and `service`.
        var parameters: [String: String]
        /// How long after a node's command succeeded its signal must be clear for the fix to count.
        var verifyWindow: Duration
        /// Whether an operator must `vigil approve` each command of this step before it is sent.
        var needsApproval: Bool
    }

    var kind: IncidentKind
    var steps: [Step]
    /// Where in the playbook the runbook comes from; empty for a deployment's own.
    var source: String = ""
}
