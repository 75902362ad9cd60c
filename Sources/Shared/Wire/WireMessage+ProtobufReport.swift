import Foundation
import SwiftProtobuf

// Conversions for reports and their parts; see WireMessage+Protobuf.swift.

extension Report {
    init(_ proto: Vigil_Wire_V1_Report) throws(WireError) {
        guard proto.seq > 0 else {
            throw WireError(.invalidField, "report: seq must start at 1")
        }
        var declarations: [SeriesDeclaration] = []
        declarations.reserveCapacity(proto.declarations.count)
        for declaration in proto.declarations {
            declarations.append(try SeriesDeclaration(declaration, reportSeq: proto.seq))
        }
        var samples: [Sample] = []
        samples.reserveCapacity(proto.samples.count)
        for sample in proto.samples {
            samples.append(try Sample(sample, reportSeq: proto.seq))
        }
        self.init(
            seq: proto.seq,
            collectedAt: Date(unixMilliseconds: proto.collectedAtUnixMs),
            declarations: declarations,
            samples: samples,
            probes: proto.probes.map(ProbeResult.init),
            // An event kind from a newer agent is skipped, never misread as one this build knows.
            events: proto.events.compactMap(AgentEvent.init),
            selfStats: AgentSelfStats(proto.selfStats)
        )
    }

    var proto: Vigil_Wire_V1_Report {
        .with {
            $0.seq = seq
            $0.collectedAtUnixMs = collectedAt.unixMilliseconds
            $0.declarations = declarations.map(\.proto)
            $0.samples = samples.map(\.proto)
            $0.probes = probes.map(\.proto)
            $0.events = events.map(\.proto)
            $0.selfStats = selfStats.proto
        }
    }
}

extension SeriesDeclaration {
    init(_ proto: Vigil_Wire_V1_SeriesDeclaration, reportSeq: UInt64) throws(WireError) {
        guard !proto.name.isEmpty else {
            throw WireError(.invalidField, "report \(reportSeq): series \(proto.id) is declared without a name")
        }
        let kind: SeriesKind
        switch proto.kind {
        case .gauge: kind = .gauge
        case .counter: kind = .counter
        case .histogram: kind = .histogram
        case .UNRECOGNIZED(let value):
            throw WireError(.invalidField, "report \(reportSeq): series \(proto.name) has unknown kind \(value)")
        }
        let bounds = proto.bucketUpperBounds
        if kind == .histogram {
            let ascending = zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }
            guard !bounds.isEmpty, ascending, bounds.allSatisfy(\.isFinite) else {
                throw WireError(
                    .invalidField,
                    "report \(reportSeq): histogram \(proto.name) needs finite, strictly ascending bucket bounds"
                )
            }
        } else if !bounds.isEmpty {
            throw WireError(.invalidField, "report \(reportSeq): \(proto.name) is not a histogram but has buckets")
        }
        self.init(
            id: SeriesID(proto.id),
            series: SeriesDescriptor(name: proto.name, labels: proto.labels, kind: kind, bucketUpperBounds: bounds)
        )
    }

    var proto: Vigil_Wire_V1_SeriesDeclaration {
        .with {
            $0.id = id.rawValue
            $0.name = series.name
            $0.labels = series.labels
            $0.kind =
                switch series.kind {
                case .gauge: .gauge
                case .counter: .counter
                case .histogram: .histogram
                }
            $0.bucketUpperBounds = series.bucketUpperBounds
        }
    }
}

extension Sample {
    init(_ proto: Vigil_Wire_V1_Sample, reportSeq: UInt64) throws(WireError) {
        switch proto.value {
        case .number(let number):
            self.init(seriesID: SeriesID(proto.seriesID), value: .number(number))
        case .histogram(let histogram):
            let counts = histogram.cumulativeCounts
            guard !counts.isEmpty, zip(counts, counts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw WireError(
                    .invalidField,
                    "report \(reportSeq): histogram sample of series \(proto.seriesID) has decreasing bucket counts"
                )
            }
            self.init(
                seriesID: SeriesID(proto.seriesID),
                value: .histogram(HistogramValue(cumulativeCounts: counts, sum: histogram.sum))
            )
        case nil:
            throw WireError(.invalidField, "report \(reportSeq): sample of series \(proto.seriesID) has no value")
        }
    }

    var proto: Vigil_Wire_V1_Sample {
        .with {
            $0.seriesID = seriesID.rawValue
            switch value {
            case .number(let number):
                $0.number = number
            case .histogram(let histogram):
                $0.histogram = .with {
                    $0.cumulativeCounts = histogram.cumulativeCounts
                    $0.sum = histogram.sum
                }
            }
        }
    }
}

extension ProbeResult {
    init(_ proto: Vigil_Wire_V1_ProbeResult) {
        self.init(
            name: proto.name,
            isUp: proto.up,
            statusCode: proto.statusCode,
            durationSeconds: proto.durationSeconds,
            error: proto.error,
            labels: proto.labels
        )
    }

    var proto: Vigil_Wire_V1_ProbeResult {
        .with {
            $0.name = name
            $0.up = isUp
            $0.statusCode = statusCode
            $0.durationSeconds = durationSeconds
            $0.error = error
            $0.labels = labels
        }
    }
}

extension AgentEvent {
    init?(_ proto: Vigil_Wire_V1_Event) {
        let kind: Kind? =
            switch proto.kind {
            case .processRestarted: .processRestarted
            case .oomKill: .oomKill
            case .collectorDown: .collectorDown
            case .collectorUp: .collectorUp
            case .probeDown: .probeDown
            case .probeUp: .probeUp
            case .unspecified, .UNRECOGNIZED: nil
            }
        guard let kind else { return nil }
        self.init(kind: kind, subject: proto.subject, detail: proto.detail, time: Date(unixMilliseconds: proto.timeUnixMs))
    }

    var proto: Vigil_Wire_V1_Event {
        .with {
            $0.kind =
                switch kind {
                case .processRestarted: .processRestarted
                case .oomKill: .oomKill
                case .collectorDown: .collectorDown
                case .collectorUp: .collectorUp
                case .probeDown: .probeDown
                case .probeUp: .probeUp
                }
            $0.subject = subject
            $0.detail = detail
            $0.timeUnixMs = time.unixMilliseconds
        }
    }
}

extension AgentSelfStats {
    init(_ proto: Vigil_Wire_V1_AgentSelfStats) {
        self.init(
            residentMemoryBytes: proto.residentMemoryBytes,
            cpuSeconds: proto.cpuSeconds,
            bufferedReports: proto.bufferedReports,
            bufferedBytes: proto.bufferedBytes,
            droppedReports: proto.droppedReports,
            reconnects: proto.reconnects,
            droppedSamples: proto.droppedSamples
        )
    }

    var proto: Vigil_Wire_V1_AgentSelfStats {
        .with {
            $0.residentMemoryBytes = residentMemoryBytes
            $0.cpuSeconds = cpuSeconds
            $0.bufferedReports = bufferedReports
            $0.bufferedBytes = bufferedBytes
            $0.droppedReports = droppedReports
            $0.reconnects = reconnects
            $0.droppedSamples = droppedSamples
        }
    }
}

extension ReportRefusal {
    init(_ proto: Vigil_Wire_V1_ReportRefusal) {
        let reason: Reason =
            switch proto.reason {
            case .unknownSeries: .unknownSeries
            case .unspecified, .UNRECOGNIZED: .unspecified
            }
        self.init(seq: proto.seq, reason: reason, detail: proto.detail)
    }

    var proto: Vigil_Wire_V1_ReportRefusal {
        .with {
            $0.seq = seq
            $0.reason =
                switch reason {
                case .unspecified: .unspecified
                case .unknownSeries: .unknownSeries
                }
            $0.detail = detail
        }
    }
}
