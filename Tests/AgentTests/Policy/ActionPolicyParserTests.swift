import Shared
import Testing

@testable import Agent

/// The `actions:` section of the agent's YAML.
struct ActionPolicyParserTests {
    static let example = """
        node_id: web-1
        state_dir: /tmp/vigil-agent-state
        actions:
          restart_service:
            timeout_seconds: 120
            max_runs_per_hour: 3
            services:
              review-engine: [/usr/bin/systemctl, restart, review-engine]
          signal_process:
            processes:
              review-engine: {pid_file: /run/review-engine.pid}
            signals: [USR2, SIGHUP]
          redis_delete_keys:
            instances:
              cache: {address: "127.0.0.1:6379", password: secret}
            patterns: ["tts:*"]
            max_keys: 5000
            batch_size: 200
          redis_flush_db:
            instances:
              cache: {address: "127.0.0.1:6379", database: 2}
          redis_set_maxmemory:
            instances:
              cache: {address: "127.0.0.1:6379"}
            min_bytes: 1048576
            max_bytes: 1073741824
          postgres_terminate_idle:
            instances:
              main: {host: 127.0.0.1, port: 5432, user: postgres, password: pw}
            min_idle_minutes: 5
          http_call:
            endpoints:
              drain: {method: POST, url: "http://127.0.0.1:8080/admin/drain", expected_statuses: [200, 204]}
          run_script:
            scripts:
              rotate: {path: /usr/local/bin/rotate-logs, argv: [--quiet], arg_patterns: ["[a-z-]+"], max_args: 2}
        """

    @Test func readsEveryActionAndItsBounds() throws {
        let configuration = try AgentConfiguration.parse(yaml: Self.example, source: "agent.yaml", hostname: "h")
        let policy = configuration.actionPolicy
        #expect(configuration.stateDirectory == "/tmp/vigil-agent-state")
        #expect(policy.enabledActions == ActionName.allCases)
        #expect(policy.restartService?.services["review-engine"] == ["/usr/bin/systemctl", "restart", "review-engine"])
        #expect(policy.limits(for: .restartService) == .init(timeout: .seconds(120), runsPerHour: 3))
        #expect(policy.limits(for: .httpCall) == .init(timeout: .seconds(60), runsPerHour: 6))
        #expect(policy.signalProcess?.signals == ["USR2", "HUP"])
        #expect(policy.redisDeleteKeys?.maximumKeys == 5000)
        #expect(policy.redisFlushDatabase?.instances["cache"]?.options.database == 2)
        #expect(policy.postgresTerminateIdle?.minimumIdleMinutes == 5)
        #expect(policy.httpCall?.endpoints["drain"]?.expectedStatuses == [200, 204])
        #expect(policy.runScript?.scripts["rotate"]?.maximumArguments == 2)
    }

    @Test func noSectionEnablesNothing() throws {
        let configuration = try AgentConfiguration.parse(yaml: "node_id: web-1\n", source: "agent.yaml", hostname: "h")
        #expect(configuration.actionPolicy.enabledActions.isEmpty)
        #expect(configuration.stateDirectory == "/var/lib/vigil-agent")
    }

    @Test(arguments: [
        (
            "actions:\n  reboot: {}\n",
            "agent.yaml: line 2: unknown key \"actions.reboot\" (actions are restart_service, signal_process, redis_delete_keys, redis_flush_db, redis_set_maxmemory, postgres_terminate_idle, http_call, run_script)"
        ),
        (
            "actions:\n  restart_service:\n    services: {a: [/bin/true]}\n    sevrices: {}\n",
            "agent.yaml: line 4: unknown key \"actions.restart_service.sevrices\""
        ),
        (
            "actions:\n  restart_service:\n    services:\n      a: [systemctl, restart, a]\n",
            "agent.yaml: line 4: actions.restart_service.services.a must start with an absolute program path, such as /usr/bin/systemctl"
        ),
        (
            "actions:\n  redis_delete_keys:\n    instances: {c: {address: \"127.0.0.1:6379\"}}\n    patterns: [\"*\"]\n",
            "agent.yaml: line 4: actions.redis_delete_keys.patterns may not hold \"*\": it matches every key (use redis_flush_db)"
        ),
        (
            "actions:\n  redis_flush_db:\n    instances:\n      c: {address: \"127.0.0.1:6379\"}\n",
            "agent.yaml: line 4: actions.redis_flush_db.instances.c.database is required: the database FLUSHDB empties"
        ),
        (
            "actions:\n  http_call:\n    endpoints:\n      x: {url: \"http://example.com/\"}\n",
            "agent.yaml: line 4: actions.http_call.endpoints.x.url must be http(s) on this host (localhost, 127.0.0.1 or [::1]), found \"http://example.com/\""
        ),
        (
            "actions:\n  restart_service:\n    timeout_seconds: 7200\n    services: {a: [/bin/true]}\n",
            "agent.yaml: line 3: actions.restart_service.timeout_seconds must be a number of seconds above 0 and at most 3600"
        ),
        (
            "actions:\n  run_script:\n    scripts:\n      x: {path: /opt/../bin/sh}\n",
            "agent.yaml: line 4: actions.run_script.scripts.x holds \"/opt/../bin/sh\": \"..\" is not allowed in a path"
        ),
        (
            "actions:\n  signal_process:\n    processes: {w: {process_name: w}}\n    signals: [SEGV]\n",
            "agent.yaml: line 4: actions.signal_process.signals names \"SEGV\", which is not one of ALRM, CONT, HUP, INT, KILL, QUIT, STOP, TERM, USR1, USR2, WINCH"
        ),
    ])
    func refusesBadSettingsWithTheirLine(yaml: String, message: String) {
        do {
            _ = try AgentConfiguration.parse(yaml: yaml, source: "agent.yaml", hostname: "h")
            Issue.record("parsed: \(yaml)")
        } catch {
            #expect(error.description == message)
        }
    }
}
