import Foundation

/// The type a `# TYPE` line gives a metric family; families without one are `untyped`.
enum PrometheusMetricType: String, Sendable, Equatable, CaseIterable {
    case counter, gauge, histogram, summary, untyped
}

/// One sample line: its full name (`x_bucket` for a histogram bucket), labels, value and optional timestamp.
struct PrometheusSample: Sendable, Equatable {
    var name: String
    var labels: [String: String]
    var value: Double
    /// Milliseconds since the epoch, when the exporter wrote one.
    var timestampMilliseconds: Int64?
}

/// The samples of one metric, with what its `# HELP` and `# TYPE` lines said.
struct PrometheusFamily: Sendable, Equatable {
    var name: String
    var type: PrometheusMetricType
    var help: String?
    var samples: [PrometheusSample]
}

/// A parsed `/metrics` page: its families in the order they first appear.
struct PrometheusPage: Sendable {
    var families: [PrometheusFamily]
    var sampleCount: Int
    private var indexByName: [String: Int]

    init(families: [PrometheusFamily]) {
        self.families = families
        sampleCount = families.reduce(0) { $0 + $1.samples.count }
        indexByName = Dictionary(families.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    subscript(name: String) -> PrometheusFamily? { indexByName[name].map { families[$0] } }
}

/// Why a page is not usable Prometheus text: the line (counted from 1) when one is to blame, and the reason.
struct PrometheusParseError: Error, Sendable, Equatable, CustomStringConvertible {
    var line: Int?
    var reason: String

    var description: String { line.map { "line \($0): \(reason)" } ?? reason }
}

/// Parses the Prometheus text exposition format 0.0.4, strictly and within bounds.
///
/// Strict because a scrape feeds alerting: a page that is cut short, is not Prometheus text, repeats a
/// series or has a histogram without its `+Inf` bucket is refused with the line to blame rather than read
/// in part. Bounded because the page comes from another process: its size and sample count are capped.
struct PrometheusTextParser: Sendable {
    static let defaultMaximumBytes = 8 << 20
    static let defaultMaximumSamples = 100_000

    var maximumBytes = PrometheusTextParser.defaultMaximumBytes
    var maximumSamples = PrometheusTextParser.defaultMaximumSamples

    /// A sample value or bound as the format writes it (`1.5e-3`, `NaN`, `+Inf`); nil when it is not one.
    static func value(_ text: String) -> Double? { LineScanner.number(text) }

    func parse(_ text: String) throws(PrometheusParseError) -> PrometheusPage {
        try parse(Array(text.utf8))
    }

    func parse(_ bytes: [UInt8]) throws(PrometheusParseError) -> PrometheusPage {
        guard bytes.count <= maximumBytes else {
            throw PrometheusParseError(
                line: nil,
                reason: "page of \(bytes.count) bytes exceeds the limit of \(maximumBytes)"
            )
        }
        var builder = PageBuilder(maximumSamples: maximumSamples)
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            lineNumber += 1
            guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                // Every exporter ends its last line; a page without that ending was cut off in transit.
                throw PrometheusParseError(
                    line: lineNumber,
                    reason: "the page ends in the middle of a line (truncated?)"
                )
            }
            var end = newline
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            do {
                try builder.read(LineScanner(bytes: bytes, position: start, end: end), line: lineNumber)
            } catch {
                throw PrometheusParseError(line: lineNumber, reason: error.reason)
            }
            start = newline + 1
        }
        return PrometheusPage(families: try builder.finish())
    }
}

// MARK: - Lines

/// Why one line is wrong; the parser adds the line number.
private struct LineError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Collects families line by line and checks what spans lines: duplicate series, TYPE order, histogram buckets.
private struct PageBuilder {
    let maximumSamples: Int
    var families: [PrometheusFamily] = []
    var indexByName: [String: Int] = [:]
    var typed: Set<Int> = []
    var helped: Set<Int> = []
    var seenSeries: Set<String> = []
    var sampleCount = 0
    /// Per histogram series (family and labels without `le`): the line of its first bucket and whether `+Inf` came.
    var histogramSeries: [String: (line: Int, hasInfinity: Bool)] = [:]

    init(maximumSamples: Int) { self.maximumSamples = maximumSamples }

    mutating func read(_ line: LineScanner, line number: Int) throws(LineError) {
        var scanner = line
        scanner.skipBlanks()
        guard !scanner.isAtEnd else { return }
        if scanner.peek == UInt8(ascii: "#") {
            scanner.position += 1
            try readComment(&scanner)
        } else {
            try readSample(&scanner, line: number)
        }
    }

    private mutating func readComment(_ scanner: inout LineScanner) throws(LineError) {
        scanner.skipBlanks()
        let keyword = scanner.token()
        guard keyword == "HELP" || keyword == "TYPE" else { return }  // any other comment is free text
        scanner.skipBlanks()
        guard let name = scanner.metricName() else { throw LineError("expected a metric name after # \(keyword)") }
        guard scanner.isAtEnd || scanner.isBlank else { throw LineError("invalid metric name in # \(keyword)") }
        scanner.skipBlanks()
        let index = familyIndex(named: name)
        if keyword == "HELP" {
            guard helped.insert(index).inserted else { throw LineError("second # HELP line for \(name)") }
            families[index].help = try scanner.helpText()
            return
        }
        let word = scanner.token()
        scanner.skipBlanks()
        guard scanner.isAtEnd, let type = PrometheusMetricType(rawValue: word) else {
            throw LineError("unknown metric type \"\(word)\" for \(name)")
        }
        guard typed.insert(index).inserted else { throw LineError("second # TYPE line for \(name)") }
        guard families[index].samples.isEmpty else {
            throw LineError("# TYPE line for \(name) comes after its samples")
        }
        families[index].type = type
    }

    private mutating func readSample(_ scanner: inout LineScanner, line: Int) throws(LineError) {
        guard let name = scanner.metricName() else {
            let found = scanner.peek.map { "found \"\(Character(Unicode.Scalar($0)))\"" } ?? "found nothing"
            throw LineError("expected a metric name, \(found)")
        }
        var labels: [String: String] = [:]
        if scanner.peek == UInt8(ascii: "{") {
            scanner.position += 1
            labels = try scanner.labels()
        }
        guard scanner.isBlank else { throw LineError("expected a blank and a value after \(name)") }
        scanner.skipBlanks()
        guard let value = LineScanner.number(scanner.token()) else { throw LineError("invalid value for \(name)") }
        scanner.skipBlanks()
        var timestamp: Int64?
        if !scanner.isAtEnd {
            guard let milliseconds = Int64(scanner.token()) else { throw LineError("invalid timestamp for \(name)") }
            timestamp = milliseconds
            scanner.skipBlanks()
            guard scanner.isAtEnd else { throw LineError("unexpected text after the timestamp of \(name)") }
        }
        sampleCount += 1
        guard sampleCount <= maximumSamples else { throw LineError("more than \(maximumSamples) samples") }

        let index = familyIndex(forSample: name)
        let family = families[index]
        let key = LineScanner.seriesKey(name, labels)
        guard seenSeries.insert(key).inserted else { throw LineError("duplicate series \(key)") }
        switch family.type {
        case .histogram where name == family.name + "_bucket":
            guard let bound = labels["le"].flatMap(LineScanner.number) else {
                throw LineError("histogram bucket \(name) needs a numeric le label")
            }
            var series = labels
            series["le"] = nil
            let seriesKey = LineScanner.seriesKey(family.name, series)
            let seen = histogramSeries[seriesKey]
            histogramSeries[seriesKey] = (seen?.line ?? line, (seen?.hasInfinity ?? false) || bound == .infinity)
        case .histogram where name == family.name:
            throw LineError("histogram sample \(name) needs the suffix _bucket, _sum or _count")
        case .summary where name == family.name:
            guard labels["quantile"].flatMap(LineScanner.number) != nil else {
                throw LineError("summary sample \(name) needs a numeric quantile label")
            }
        default:
            break
        }
        families[index].samples.append(
            PrometheusSample(name: name, labels: labels, value: value, timestampMilliseconds: timestamp)
        )
    }

    /// The family a sample belongs to: a histogram or summary by its suffix, else the family of its own name.
    private mutating func familyIndex(forSample name: String) -> Int {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if let index = indexByName[base],
                families[index].type == .histogram || (families[index].type == .summary && suffix != "_bucket")
            {
                return index
            }
        }
        return familyIndex(named: name)
    }

    private mutating func familyIndex(named name: String) -> Int {
        if let index = indexByName[name] { return index }
        families.append(PrometheusFamily(name: name, type: .untyped, help: nil, samples: []))
        indexByName[name] = families.count - 1
        return families.count - 1
    }

    /// The families that have samples; checks that every histogram series has its `+Inf` bucket.
    func finish() throws(PrometheusParseError) -> [PrometheusFamily] {
        if let missing = histogramSeries.filter({ !$0.value.hasInfinity }).min(by: { $0.value.line < $1.value.line }) {
            throw PrometheusParseError(
                line: missing.value.line,
                reason: "histogram series \(missing.key) has no le=\"+Inf\" bucket"
            )
        }
        return families.filter { !$0.samples.isEmpty }
    }
}

/// Reads the tokens of one line of a page.
private struct LineScanner {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    var isAtEnd: Bool { position >= end }
    var peek: UInt8? { isAtEnd ? nil : bytes[position] }
    var isBlank: Bool { peek == UInt8(ascii: " ") || peek == UInt8(ascii: "\t") }

    mutating func skipBlanks() {
        while isBlank { position += 1 }
    }

    /// Everything up to the next blank.
    mutating func token() -> String {
        let start = position
        while !isAtEnd, !isBlank { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    mutating func metricName() -> String? { name(allowingColon: true) }

    private mutating func name(allowingColon: Bool) -> String? {
        let start = position
        while let byte = peek, Self.isNameByte(byte, first: position == start, colon: allowingColon) { position += 1 }
        return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
    }

    /// `name="value",…}` after the opening brace; a trailing comma is allowed.
    mutating func labels() throws(LineError) -> [String: String] {
        var labels: [String: String] = [:]
        while true {
            skipBlanks()
            if peek == UInt8(ascii: "}") {
                position += 1
                return labels
            }
            guard let name = name(allowingColon: false) else { throw LineError("expected a label name or \"}\"") }
            skipBlanks()
            guard peek == UInt8(ascii: "=") else { throw LineError("expected \"=\" after label \(name)") }
            position += 1
            skipBlanks()
            guard peek == UInt8(ascii: "\"") else { throw LineError("expected a quoted value for label \(name)") }
            position += 1
            let value = try quoted(label: name)
            guard labels.updateValue(value, forKey: name) == nil else { throw LineError("label \(name) appears twice") }
            skipBlanks()
            if peek == UInt8(ascii: ",") {
                position += 1
            } else if peek != UInt8(ascii: "}") {
                throw LineError("expected \",\" or \"}\" after label \(name)")
            }
        }
    }

    /// A label value up to its closing quote, with `\\`, `\"` and `\n` unescaped.
    private mutating func quoted(label: String) throws(LineError) -> String {
        var value: [UInt8] = []
        while let byte = peek {
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: value, as: UTF8.self) else {
                    throw LineError("value of label \(label) is not UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                switch peek {
                case UInt8(ascii: "\\"): value.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\""): value.append(UInt8(ascii: "\""))
                case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
                default: throw LineError("invalid escape in the value of label \(label)")
                }
                position += 1
            default:
                value.append(byte)
            }
        }
        throw LineError("value of label \(label) has no closing quote")
    }

    /// The rest of a `# HELP` line, with `\\` and `\n` unescaped; other backslashes stay as written.
    mutating func helpText() throws(LineError) -> String {
        var text: [UInt8] = []
        while let byte = peek {
            position += 1
            if byte == UInt8(ascii: "\\"), let next = peek, next == UInt8(ascii: "\\") || next == UInt8(ascii: "n") {
                text.append(next == UInt8(ascii: "n") ? UInt8(ascii: "\n") : next)
                position += 1
            } else {
                text.append(byte)
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func isNameByte(_ byte: UInt8, first: Bool, colon: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): true
        case UInt8(ascii: "0")...UInt8(ascii: "9"): !first
        case UInt8(ascii: ":"): colon
        default: false
        }
    }

    /// A sample value as Go writes floats: decimal or exponent notation, `NaN`, `+Inf`, `-Inf` (any case).
    static func number(_ text: String) -> Double? {
        switch text.lowercased() {
        case "nan": return .nan
        case "+inf", "inf": return .infinity
        case "-inf": return -.infinity
        default:
            // Swift would also take hexadecimal and "infinity"; the format allows neither.
            guard !text.isEmpty, text.utf8.allSatisfy({ Self.isDecimalByte($0) }) else { return nil }
            return Double(text)
        }
    }

    private static func isDecimalByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
            UInt8(ascii: "+"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    /// `name{a="1",b="2"}` with labels sorted: one spelling per series.
    static func seriesKey(_ name: String, _ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return name }
        let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(escape($0.value))\"" }
        return "\(name){\(pairs.joined(separator: ","))}"
    }

    private static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
