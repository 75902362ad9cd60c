import Shared
import Testing

@testable import Agent

@Suite struct CollectorKindsConfigurationTests {
    private func collectors(_ yaml: String) throws -> [any Collector] {
        try AgentConfiguration.parse(yaml: yaml, source: "agent.yaml", hostname: "h").collectors
    }

    @Test func everyNewSectionIsReadIntoItsCollectors() throws {
        let yaml = """
            collectors:
              system: {mounts: [/, /var/lib/postgresql]}
              agent: {interval_seconds: 2}
              processes:
                - name: review-engine
                  match: {pid_file: /run/review-engine.pid}
                  rss_trend_window_seconds: 300
                - name: redis
                  match: {process_name: redis-server}
                  interval_seconds: 1
              connections: {ports: [5432, 6379], interval_seconds: 5}
              http_probes:
                - name: api-health
                  url: http://127.0.0.1:8080/api/health
                  expected_status: [200, 204]
                  body_match: ok
                  timeout_seconds: 2
                  labels: {critical: "true", feature: payments}
                  headers: {X-Probe: vigil}
                - name: api-database
                  url: https://db.internal/api/health/database
                  method: HEAD
            """
        let built = try collectors(yaml)
        #expect(built.map(\.name) == [
            "system", "agent", "process:review-engine", "process:redis", "connections", "http_probe:api-health", "http_probe:api-database",
        ])
        let engine = try #require(built[2] as? ProcessCollector)
        #expect(engine.matcher == .pidFile("/run/review-engine.pid"))
        #expect(engine.interval == .seconds(5) && engine.timeout == .seconds(2))
        #expect((built[3] as? ProcessCollector)?.matcher == .processName("redis-server"))
        #expect(built[3].timeout == .seconds(1), "a timeout never exceeds the interval")
        #expect((built[4] as? ConnectionCollector)?.ports == [5432, 6379])
        let health = try #require(built[5] as? HTTPProbeCollector)
        #expect(health.settings == .init(
            name: "api-health", url: "http://127.0.0.1:8080/api/health", method: "GET", expectedStatuses: [200, 204],
            bodyMatch: "ok", headers: ["X-Probe": "vigil"], labels: ["critical": "true", "feature": "payments"]
        ))
        #expect(health.probeTimeout == .seconds(2) && health.interval == .seconds(10))
        let database = try #require(built[6] as? HTTPProbeCollector)
        #expect(database.settings.method == "HEAD" && database.settings.expectedStatuses == [200])
        #expect(database.probeTimeout == .seconds(5), "the default probe timeout")
    }

    @Test func withoutTheirSectionsOnlySystemAndAgentRun() throws {
        #expect(try collectors("collectors: {}\n").map(\.name) == ["system", "agent"])
    }

    @Test(arguments: [
        ("collectors:\n  system: {mounts: [var]}\n", "agent.yaml: collectors.system.mounts[0] \"var\" must be an absolute path"),
        ("collectors:\n  processes: {name: x}\n", "agent.yaml: line 2: collectors.processes must be a list"),
        ("collectors:\n  processes:\n    - name: x\n      match: {process_name: a, pid_file: /b}\n",
         "agent.yaml: line 3: collectors.processes[0].match needs exactly one of process_name, pid_file, command_line"),
        ("collectors:\n  processes:\n    - name: x\n      match: {}\n", "agent.yaml: line 3: collectors.processes[0].match needs exactly one"),
        ("collectors:\n  processes:\n    - name: x\n      match: {command_line: \"(\"}\n",
         "agent.yaml: line 3: collectors.processes[0].match.command_line \"(\" is not a valid regular expression"),
        ("collectors:\n  processes:\n    - name: x\n      match: {pid_file: run/x.pid}\n",
         "agent.yaml: line 3: collectors.processes[0].match.pid_file \"run/x.pid\" must be an absolute path"),
        ("collectors:\n  processes:\n    - name: x\n      match: {process_nam: a}\n", "agent.yaml: line 4: unknown key \"collectors.processes[0].match.process_nam\""),
        ("collectors:\n  processes:\n    - {name: x, match: {process_name: a}}\n    - {name: x, match: {process_name: b}}\n",
         "agent.yaml: line 4: collectors.processes[1].name \"x\" is used twice"),
        ("collectors:\n  processes:\n    - {match: {process_name: a}}\n", "agent.yaml: line 3: collectors.processes[0]: missing key \"name\""),
        ("collectors:\n  processes:\n    - {name: x, match: {process_name: a}, rss_trend_window_seconds: 0}\n",
         "agent.yaml: line 3: collectors.processes[0].rss_trend_window_seconds must be above 0"),
        ("collectors:\n  connections: {ports: [5432, 70000]}\n", "agent.yaml: collectors.connections.ports[1] 70000 must be a port from 1 to 65535"),
        ("collectors:\n  connections: [{ports: [1]}]\n", "agent.yaml: line 2: collectors.connections must be a mapping"),
        ("collectors:\n  connections: {port: [1]}\n", "agent.yaml: line 2: unknown key \"collectors.connections.port\""),
        ("collectors:\n  http_probes:\n    - name: api\n      url: ftp://host/x\n",
         "agent.yaml: line 4: collectors.http_probes[0].url \"ftp://host/x\" must be an http:// or https:// URL with a host"),
        ("collectors:\n  http_probes:\n    - name: api\n      url: \"http:///nohost\"\n",
         "agent.yaml: line 4: collectors.http_probes[0].url \"http:///nohost\" must be an http:// or https:// URL with a host"),
        ("collectors:\n  http_probes:\n    - name: api\n      url: http://h/\n      expected_status: 700\n",
         "agent.yaml: line 5: collectors.http_probes[0].expected_status 700 is not an HTTP status (100 to 599)"),
        ("collectors:\n  http_probes:\n    - name: api\n      url: http://h/\n      expected_status: [200, 99]\n",
         "agent.yaml: line 5: collectors.http_probes[0].expected_status 99 is not an HTTP status (100 to 599)"),
        ("collectors:\n  http_probes:\n    - name: api\n      url: http://h/\n      method: get\n",
         "agent.yaml: line 5: collectors.http_probes[0].method \"get\" must be an HTTP method in capitals"),
        ("collectors:\n  http_probes:\n    - name: api\n      url: http://h/\n      timeout: 5\n", "agent.yaml: line 5: unknown key \"collectors.http_probes[0].timeout\""),
        ("collectors:\n  http_probes:\n    - name: api\n      url: http://h/\n      timeout_seconds: fast\n",
         "agent.yaml: line 5: collectors.http_probes[0].timeout_seconds: expected a number"),
        ("collectors:\n  http_probes:\n    - name: \"\"\n      url: http://h/\n", "agent.yaml: line 3: collectors.http_probes[0].name must not be empty"),
        ("collectors:\n  agent: {every: 1}\n", "agent.yaml: line 2: unknown key \"collectors.agent.every\""),
    ])
    func badSectionsAreRefusedWithTheLineAndTheReason(_ yaml: String, _ expected: String) {
        let error = #expect(throws: ConfigurationError.self) { try collectors(yaml) }
        let description = error?.description ?? ""
        #expect(description.hasPrefix(expected), "got: \(description)")
        #expect(!description.contains("\n"))
    }

    @Test func theAgentReportsItsOwnMemoryAndCPU() async throws {
        let samples = try await AgentSelfCollector().collect().measurements
        #expect(samples.map(\.series.name) == ["vigil_agent_resident_memory_bytes", "vigil_agent_cpu_seconds_total"])
        #expect(samples.map(\.series.kind) == [.gauge, .counter])
        guard case .number(let resident)? = samples.first?.value else {
            Issue.record("no resident memory")
            return
        }
        #expect(resident > 1_000_000, "a Swift process holds more than a megabyte")
    }
}
