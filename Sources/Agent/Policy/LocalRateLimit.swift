import Foundation
import Shared

/// How many times each action ran in the last hour, so a coordinator stuck in a loop cannot restart a
/// service every minute: past the policy's `max_runs_per_hour` a command is refused.
///
/// A value type that takes `now`; the executor keeps it. Runs are counted from when they start, and only
/// real runs count — refusals and dry runs do not.
struct LocalRateLimit: Sendable {
    static let window: TimeInterval = 3_600
    private var runs: [ActionName: [Date]] = [:]

    /// The refusal when `action` already ran `limit` times in the hour before `now`.
    func check(_ action: ActionName, limit: Int, now: Date) -> ActionRefusal? {
        let recent = runs[action, default: []].filter { now.timeIntervalSince($0) < Self.window }
        guard recent.count >= limit else { return nil }
        return ActionRefusal(
            "rate limit: \(action.rawValue) ran \(recent.count) times in the last hour (max_runs_per_hour \(limit))"
        )
    }

    mutating func record(_ action: ActionName, at now: Date) {
        var recent = runs[action, default: []].filter { now.timeIntervalSince($0) < Self.window }
        recent.append(now)
        runs[action] = recent
    }
}
