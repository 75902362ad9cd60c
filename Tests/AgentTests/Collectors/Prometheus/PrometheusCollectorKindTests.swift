import Testing

@testable import Agent

/// The `collectors.prometheus` section: every key read, defaults, and mistakes refused with their line.
@Suite struct PrometheusCollectorKindTests {
    private static func scrapes(_ yaml: String) throws -> [PrometheusScrapeCollector] {
        try AgentConfiguration.parse(yaml: yaml, source: "agent.yaml", hostname: "h").collectors
            .compactMap { $0 as? PrometheusScrapeCollector }
    }

    @Test func everyKeyIsRead() throws {
        let yaml = """
            collectors:
              prometheus:
                - name: review-engine
                  url: http://127.0.0.1:8080/metrics
                  interval_seconds: 15
                  timeout_seconds: 3
                  labels: {service: review-engine}
                  requests: {metric: http_requests_total}
                  errors: {metric: http_requests_total, match: {code: "5.."}}
                  latency: {metric: http_request_duration_seconds}
                  sync_attempts: {metric: sync_attempts_total}
                  sync_failures: {metric: sync_failures_total, match: {queue: reviews}}
                  gauges:
                    - {metric: db_pool_connections_in_use, as: db_pool_in_use}
                    - {metric: queue_depth, match: {queue: "a|b"}, as: queue_depth}
                - name: worker
                  url: https://worker.internal:9100/metrics
            """
        let scrapes = try Self.scrapes(yaml)
        #expect(scrapes.map(\.name) == ["prometheus:review-engine", "prometheus:worker"])
        let engine = try #require(scrapes.first)
        #expect(engine.url == "http://127.0.0.1:8080/metrics")
        #expect(engine.interval == .seconds(15))
        #expect(engine.timeout == .seconds(3))
        #expect(engine.labels == ["service": "review-engine", "scrape": "review-engine"])
        #expect(engine.mapping.requests?.metric == "http_requests_total")
        #expect(engine.mapping.errors?.matches(["code": "503"]) == true)
        #expect(engine.mapping.errors?.matches(["code": "200"]) == false)
        #expect(engine.mapping.latency?.metric == "http_request_duration_seconds")
        #expect(engine.mapping.syncAttempts?.metric == "sync_attempts_total")
        #expect(engine.mapping.syncFailures?.matches(["queue": "reviews"]) == true)
        #expect(engine.mapping.gauges.map(\.outputName) == ["db_pool_in_use", "queue_depth"])
        #expect(engine.mapping.gauges.last?.selector.matches(["queue": "b"]) == true)
        let worker = try #require(scrapes.last)
        #expect(worker.interval == .seconds(10), "default interval")
        #expect(worker.timeout == .seconds(5), "default timeout")
        #expect(worker.labels == ["scrape": "worker"])
        #expect(worker.mapping.requests == nil)
    }

    @Test(arguments: [
        (
            "collectors:\n  prometheus: {name: a}\n",
            "agent.yaml: line 2: collectors.prometheus must be a list of scrapes"
        ),
        (
            "collectors:\n  prometheus:\n    - url: http://h/metrics\n",
            #"agent.yaml: line 3: collectors.prometheus[0]: missing key "name""#
        ),
        (
            "collectors:\n  prometheus:\n    - name: a\n      url: http://h/metrics\n      scrape_every: 5\n",
            #"agent.yaml: line 5: unknown key "collectors.prometheus[0].scrape_every""#
        ),
        (
            "collectors:\n  prometheus:\n    - name: a\n      url: http://h/metrics\n      requests: {metric: m, mach: {}}\n",
            #"agent.yaml: line 5: unknown key "collectors.prometheus[0].requests.mach""#
        ),
        (
            "collectors:\n  prometheus:\n    - name: a\n      url: http://h/metrics\n      gauges:\n        - {metric: m, name: x}\n",
            #"agent.yaml: line 6: unknown key "collectors.prometheus[0].gauges[0].name""#
        ),
        (
            "collectors:\n  prometheus:\n    - name: a\n      url: ftp://h/metrics\n",
            #"agent.yaml: line 4: collectors.prometheus[0].url "ftp://h/metrics" must be an http or https URL"#
        ),
        (
            "collectors:\n  prometheus:\n    - name: a\n      url: http://h:70000/metrics\n",
            #"agent.yaml: line 4: collectors.prometheus[0].url "http://h:70000/metrics" must be"#
        ),
        (
            "collectors:\n  prometheus:\n    - name: a\n      url: /metrics\n",
            #"agent.yaml: line 4: collectors.prometheus[0].url "/metrics" must be"#
        ),
        (
            "collectors:\n  prometheus:\n    - name: \"\"\n      url: http://h/\n",
            #"agent.yaml: line 3: collectors.prometheus[0].name "" is invalid"#
        ),
        (
            "collectors:\n  prometheus:\n    - {name: a, url: \"http://h/\"}\n    - {name: a, url: \"http://g/\"}\n",
            #"agent.yaml: line 4: collectors.prometheus[1].name "a" is used twice"#
        ),
        (
            "collectors:\n  prometheus:\n    - name: a\n      url: http://h/\n      errors: {metric: \"http-requests\"}\n",
            #"agent.yaml: line 5: collectors.prometheus[0].errors.metric "http-requests" is not a metric name"#
        ),
        (
            "collectors:\n  prometheus:\n    - name: a\n      url: http://h/\n      errors:\n        metric: m\n        match: {code: \"5((\"}\n",
            #"agent.yaml: line 7: collectors.prometheus[0].errors.match.code "5((" is not a regular expression"#
        ),
        (
            "collectors:\n  prometheus:\n    - name: a\n      url: http://h/\n      labels: {scrape: x}\n",
            "agent.yaml: line 5: collectors.prometheus[0].labels.scrape is set by the collector itself"
        ),
        (
            "collectors:\n  prometheus:\n    - name: a\n      url: http://h/\n      gauges:\n        - {metric: m, as: requests_total}\n",
            #"agent.yaml: line 6: collectors.prometheus[0].gauges[0].as "requests_total" must be a new snake_case name"#
        ),
        (
            "collectors:\n  prometheus:\n    - name: a\n      url: http://h/\n      timeout_seconds: 0\n",
            "agent.yaml: collectors.prometheus[0].timeout_seconds must be above 0"
        ),
        (
            "collectors:\n  prometheus:\n    - name: a\n      url: http://h/\n      gauges: {metric: m}\n",
            // The shared decoder words this type mismatch itself; the line and key path are what matter here.
            "agent.yaml: line 5: collectors.prometheus[0].gauges: expected "
        ),
    ])
    func mistakesAreRefusedWithTheirLine(_ yaml: String, _ expected: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try AgentConfiguration.parse(yaml: yaml, source: "agent.yaml", hostname: "h")
        }
        let description = error?.description ?? ""
        #expect(description.hasPrefix(expected), "got: \(description)")
        #expect(!description.contains("\n"))
    }
}
