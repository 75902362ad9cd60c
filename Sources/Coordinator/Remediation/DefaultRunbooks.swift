import Foundation
import Shared

/// The playbook's resolutions for node-level incidents, as runbooks. Each only does something where the
/// agent's own policy enables the action with these parameters; anywhere else the agent refuses, the step
/// fails and the next one (or people) take over.
enum DefaultRunbooks {
    static let all: [Runbook] = [
        Runbook(
            kind: IncidentKind("memory_leak"),
            steps: [step(.restartService, [ActionParameter.service: "{{process}}"], verify: 300)],
            source: "Memory Leaks, resolution: restart the leaking service, one node at a time"
        ),
        Runbook(
            kind: IncidentKind("cache_failure"),
            steps: [
                step(.restartService, [ActionParameter.service: "redis"], verify: 120),
                step(.redisFlushDatabase, [ActionParameter.instance: "{{instance}}"], verify: 120, approval: true),
            ],
            source: "Redis/Cache Failures, resolution: restart Redis, flush the cache if corrupted"
        ),
        Runbook(
            kind: IncidentKind("connection_pool_exhaustion"),
            steps: [
                step(
                    .postgresTerminateIdle,
                    [ActionParameter.instance: "{{instance}}", ActionParameter.idleMinutes: "10"],
                    verify: 120
                )
            ],
            source: "Database Connection Failures, resolution: kill idle connections older than 10 minutes"
        ),
        Runbook(
            kind: IncidentKind("dependency_failure"),
            steps: [
                step(
                    .redisDeleteKeys,
                    [ActionParameter.instance: "cache", ActionParameter.pattern: "tts:*"],
                    verify: 120
                ),
                step(.httpCall, [ActionParameter.endpoint: "tts_switch_provider"], verify: 120),
            ],
            source: "TTS Service Failures, resolution: clear the TTS cache, then switch to the backup provider"
        ),
        Runbook(
            kind: IncidentKind("sync_failure"),
            steps: [step(.httpCall, [ActionParameter.endpoint: "sync_queue_reset"], verify: 300)],
            source: "Sync System Failures, resolution: reset the sync queue"
        ),
        Runbook(
            kind: IncidentKind("high_error_rate"),
            steps: [step(.runScript, [ActionParameter.script: "rollback"], verify: 300, approval: true)],
            source: "High Error Rate, resolution: roll back the deployment (if the rollback script is configured)"
        ),
    ]

    private static func step(
        _ action: ActionName,
        _ parameters: [String: String],
        verify seconds: Int,
        approval: Bool = false
    ) -> Runbook.Step {
        Runbook.Step(action: action, parameters: parameters, verifyWindow: .seconds(seconds), needsApproval: approval)
    }
}
