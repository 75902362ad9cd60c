import Foundation
import Testing

@testable import Agent

/// One sample line and what the parser must read from it.
struct ParsedSampleCase: Sendable, CustomTestStringConvertible {
    var summary: String
    var page: String
    var name: String
    var labels: [String: String] = [:]
    /// Compared by its text so that NaN can be expected.
    var value: String
    var timestamp: Int64? = nil

    var testDescription: String { summary }
}

/// A page the parser must refuse, and the one line it must say.
struct RefusedPageCase: Sendable, CustomTestStringConvertible {
    var summary: String
    var page: String
    var error: String

    var testDescription: String { summary }
}

/// The text exposition format 0.0.4: hand-written edge cases and pages captured from real exporters.
@Suite struct PrometheusTextParserTests {
    static let samples: [ParsedSampleCase] = [
        .init(summary: "plain", page: "up 1\n", name: "up", value: "1.0"),
        .init(
            summary: "escapes in label values",
            page: #"m{path="C:\\dir",quote="say \"hi\"",text="a\nb"} 1"# + "\n",
            name: "m",
            labels: ["path": #"C:\dir"#, "quote": #"say "hi""#, "text": "a\nb"],
            value: "1.0"
        ),
        .init(summary: "NaN", page: "m NaN\n", name: "m", value: "nan"),
        .init(summary: "+Inf", page: "m +Inf\n", name: "m", value: "inf"),
        .init(summary: "-Inf", page: "m -Inf\n", name: "m", value: "-inf"),
        .init(summary: "exponent", page: "m 1.5e-3\n", name: "m", value: "0.0015"),
        .init(summary: "negative", page: "m -2.5\n", name: "m", value: "-2.5"),
        .init(summary: "timestamp", page: "m 3 1700000000123\n", name: "m", value: "3.0", timestamp: 1_700_000_000_123),
        .init(summary: "negative timestamp", page: "m 3 -5\n", name: "m", value: "3.0", timestamp: -5),
        .init(summary: "trailing comma", page: "m{a=\"1\",} 2\n", name: "m", labels: ["a": "1"], value: "2.0"),
        .init(summary: "empty braces", page: "m{} 2\n", name: "m", value: "2.0"),
        .init(summary: "colon in name", page: "job:requests:rate5m 4\n", name: "job:requests:rate5m", value: "4.0"),
        .init(
            summary: "tabs and trailing blanks",
            page: "m{a=\"x y\"}\t5 \t\n",
            name: "m",
            labels: ["a": "x y"],
            value: "5.0"
        ),
        .init(summary: "CRLF endings", page: "# TYPE m gauge\r\nm 6\r\n", name: "m", value: "6.0"),
        .init(
            summary: "blank lines, indented and free comments",
            page: "\n# just a note\n  # TYPE m gauge\n\n   m 7\n#\n",
            name: "m",
            value: "7.0"
        ),
        .init(
            summary: "UTF-8 label value",
            page: "m{city=\"Zürich\"} 8\n",
            name: "m",
            labels: ["city": "Zürich"],
            value: "8.0"
        ),
    ]

    @Test(arguments: samples)
    func readsSampleLines(_ example: ParsedSampleCase) throws {
        let page = try PrometheusTextParser().parse(example.page)
        #expect(page.sampleCount == 1)
        let sample = try #require(page[example.name]?.samples.first)
        #expect(sample.name == example.name)
        #expect(sample.labels == example.labels)
        #expect("\(sample.value)" == example.value)
        #expect(sample.timestampMilliseconds == example.timestamp)
    }

    static let refused: [RefusedPageCase] = [
        .init(
            summary: "HTML",
            page: "<!DOCTYPE html>\n<html></html>\n",
            error: #"line 1: expected a metric name, found "<""#
        ),
        .init(
            summary: "garbage on line 3",
            page: "# HELP a x\na 1\n!!!\n",
            error: #"line 3: expected a metric name, found "!""#
        ),
        .init(summary: "no value", page: "m\n", error: "line 1: expected a blank and a value after m"),
        .init(
            summary: "value glued to labels",
            page: "m{a=\"1\"}1\n",
            error: "line 1: expected a blank and a value after m"
        ),
        .init(summary: "word as value", page: "m abc\n", error: "line 1: invalid value for m"),
        .init(summary: "hexadecimal value", page: "m 0x10\n", error: "line 1: invalid value for m"),
        .init(summary: "fractional timestamp", page: "m 1 1.5\n", error: "line 1: invalid timestamp for m"),
        .init(
            summary: "text after timestamp",
            page: "m 1 2 3\n",
            error: "line 1: unexpected text after the timestamp of m"
        ),
        .init(summary: "unclosed quote", page: "m{a=\"1} 1\n", error: "line 1: value of label a has no closing quote"),
        .init(
            summary: "unknown escape",
            page: "m{a=\"\\t\"} 1\n",
            error: "line 1: invalid escape in the value of label a"
        ),
        .init(
            summary: "unquoted label value",
            page: "m{a=1} 1\n",
            error: "line 1: expected a quoted value for label a"
        ),
        .init(summary: "label twice", page: "m{a=\"1\",a=\"2\"} 1\n", error: "line 1: label a appears twice"),
        .init(
            summary: "duplicate series",
            page: "m{a=\"1\"} 1\nm{a=\"1\"} 2\n",
            error: #"line 2: duplicate series m{a="1"}"#
        ),
        .init(
            summary: "histogram without +Inf",
            page: "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",
            error: #"line 2: histogram series h has no le="+Inf" bucket"#
        ),
        .init(
            summary: "bucket without le",
            page: "# TYPE h histogram\nh_bucket 1\n",
            error: "line 2: histogram bucket h_bucket needs a numeric le label"
        ),
        .init(
            summary: "bare histogram sample",
            page: "# TYPE h histogram\nh 1\n",
            error: "line 2: histogram sample h needs the suffix _bucket, _sum or _count"
        ),
        .init(
            summary: "summary without quantile",
            page: "# TYPE s summary\ns 1\n",
            error: "line 2: summary sample s needs a numeric quantile label"
        ),
        .init(
            summary: "unknown type",
            page: "# TYPE m countr\n",
            error: #"line 1: unknown metric type "countr" for m"#
        ),
        .init(
            summary: "second TYPE",
            page: "# TYPE m gauge\n# TYPE m counter\n",
            error: "line 2: second # TYPE line for m"
        ),
        .init(summary: "second HELP", page: "# HELP m a\n# HELP m b\n", error: "line 2: second # HELP line for m"),
        .init(
            summary: "TYPE after samples",
            page: "m 1\n# TYPE m gauge\n",
            error: "line 2: # TYPE line for m comes after its samples"
        ),
        .init(summary: "HELP without name", page: "# HELP\n", error: "line 1: expected a metric name after # HELP"),
        .init(
            summary: "truncated",
            page: "a 1\nb 2\nc",
            error: "line 3: the page ends in the middle of a line (truncated?)"
        ),
        .init(
            summary: "truncated mid-labels",
            page: "a 1\nb{x=\"",
            error: "line 2: the page ends in the middle of a line (truncated?)"
        ),
    ]

    @Test(arguments: refused)
    func refusesBrokenPagesNamingTheLine(_ example: RefusedPageCase) {
        let error = #expect(throws: PrometheusParseError.self) { try PrometheusTextParser().parse(example.page) }
        #expect(error?.description == example.error)
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n# HELP m no samples yet\n# TYPE m counter\n"])
    func emptyPagesHaveNoFamilies(_ text: String) throws {
        let page = try PrometheusTextParser().parse(text)
        #expect(page.families.isEmpty)
        #expect(page.sampleCount == 0)
    }

    @Test func histogramsAndSummariesGroupTheirSuffixedSamples() throws {
        let text = """
            # HELP h Latency.\\nIn seconds, with a \\\\ backslash.
            # TYPE h histogram
            h_bucket{le="0.5"} 1
            h_bucket{le="+Inf"} 3
            h_sum 2.25
            h_count 3
            # TYPE s summary
            s{quantile="0.99"} NaN
            s_sum 4
            s_count 2
            h_other 9

            """
        let page = try PrometheusTextParser().parse(text)
        #expect(page.families.map(\.name) == ["h", "s", "h_other"])
        let histogram = try #require(page["h"])
        #expect(histogram.type == .histogram)
        #expect(histogram.help == "Latency.\nIn seconds, with a \\ backslash.")
        #expect(histogram.samples.map(\.name) == ["h_bucket", "h_bucket", "h_sum", "h_count"])
        #expect(histogram.samples.map(\.value) == [1, 3, 2.25, 3])
        let summary = try #require(page["s"])
        #expect(summary.type == .summary)
        #expect(summary.samples.count == 3)
        #expect(summary.samples.first?.value.isNaN == true)
        #expect(page["h_other"]?.type == .untyped)
        #expect(page.sampleCount == 8)
    }

    @Test func refusesMoreSamplesThanTheLimit() {
        let parser = PrometheusTextParser(maximumSamples: 2)
        let error = #expect(throws: PrometheusParseError.self) { try parser.parse("a 1\nb 2\nc 3\n") }
        #expect(error?.description == "line 3: more than 2 samples")
    }

    @Test func refusesPagesOverTheByteLimit() {
        let parser = PrometheusTextParser(maximumBytes: 8)
        let error = #expect(throws: PrometheusParseError.self) { try parser.parse("a 1\nb 2\nc 3\n") }
        #expect(error?.description == "page of 12 bytes exceeds the limit of 8")
    }

    // MARK: - Real exporters

    private static func fixture(_ name: String) throws -> String {
        try String(contentsOfFile: TestHTTPServer.fixturesDirectory + "/" + name, encoding: .utf8)
    }

    /// Sample lines and `# TYPE` lines counted without the parser, to hold it to the whole page.
    private static func lineCounts(_ text: String) -> (samples: Int, types: Int) {
        let lines = text.split(separator: "\n")
        return (lines.filter { !$0.hasPrefix("#") }.count, lines.filter { $0.hasPrefix("# TYPE ") }.count)
    }

    @Test func readsAllOfNodeExporter() throws {
        let text = try Self.fixture("node_exporter.prom")
        let page = try PrometheusTextParser().parse(text)
        let counts = Self.lineCounts(text)
        #expect(page.sampleCount == counts.samples)
        #expect(page.families.count == counts.types)
        let gc = try #require(page["go_gc_duration_seconds"])
        #expect(gc.type == .summary)
        #expect(gc.samples.count == 7)
        #expect(gc.samples.filter { $0.labels["quantile"] != nil }.count == 5)
        let cpu = try #require(page["node_cpu_seconds_total"])
        #expect(cpu.type == .counter)
        #expect(cpu.samples.allSatisfy { $0.labels["cpu"] != nil && $0.labels["mode"] != nil && $0.value >= 0 })
        let memory = try #require(page["node_memory_MemTotal_bytes"])
        #expect(memory.type == .gauge)
        #expect(memory.samples.count == 1)
        #expect((memory.samples.first?.value ?? 0) > 0)
        #expect(page["node_netstat_Icmp6_InErrors"]?.type == .untyped)
        #expect(page["node_uname_info"]?.samples.first?.labels["sysname"] == "Linux")
    }

    @Test func readsAllOfPrometheus() throws {
        let text = try Self.fixture("prometheus.prom")
        let page = try PrometheusTextParser().parse(text)
        let counts = Self.lineCounts(text)
        #expect(page.sampleCount == counts.samples)
        #expect(page.families.count == counts.types)
        #expect(page.families.filter { $0.type == .histogram }.count == 7)
        let latency = try #require(page["prometheus_http_request_duration_seconds"])
        #expect(latency.type == .histogram)
        #expect(latency.samples.count == 12)
        let buckets = latency.samples.filter { $0.name == "prometheus_http_request_duration_seconds_bucket" }
        #expect(
            buckets.compactMap { $0.labels["le"] } == ["0.1", "0.2", "0.4", "1", "3", "8", "20", "60", "120", "+Inf"]
        )
        let query = try #require(page["prometheus_engine_query_duration_seconds"])
        #expect(query.type == .summary)
        #expect(query.samples.count == 20)
        #expect(query.samples.contains { $0.value.isNaN })
        #expect(page["prometheus_build_info"]?.samples.first?.labels["version"] == "2.42.0+ds")
    }
}
