import Shared

extension Report {
    /// Whether every sample refers to a series declared in this very report.
    var declaresEverySeriesItUses: Bool {
        let declared = Set(declarations.map(\.id))
        return samples.allSatisfy { declared.contains($0.seriesID) }
    }
}

/// The series an agent declared on one connection, so its reports' ids can be read.
struct DeclaredSeries {
    /// More declarations than this on one connection is a runaway agent; the report is refused as a violation.
    static let limit = 100_000

    enum Resolution {
        case resolved([(SeriesDescriptor, SampleValue)])
        case unknownSeries(SeriesID)
        case invalid(String)
    }

    private var byID: [SeriesID: SeriesDescriptor] = [:]

    /// Learns a report's declarations; a re-declared id takes its new meaning.
    mutating func learn(_ declarations: [SeriesDeclaration]) throws(WireError) {
        for declaration in declarations {
            byID[declaration.id] = declaration.series
        }
        guard byID.count <= Self.limit else {
            throw WireError(.invalidField, "more than \(Self.limit) series declared on one connection")
        }
    }

    /// Pairs each sample with its series, checking that histogram samples fit their declared buckets.
    func resolve(_ samples: [Sample]) -> Resolution {
        var resolved: [(SeriesDescriptor, SampleValue)] = []
        resolved.reserveCapacity(samples.count)
        for sample in samples {
            guard let series = byID[sample.seriesID] else { return .unknownSeries(sample.seriesID) }
            switch (series.kind, sample.value) {
            case (.histogram, .histogram(let histogram)):
                guard histogram.cumulativeCounts.count == series.bucketUpperBounds.count + 1 else {
                    return .invalid(
                        "histogram \(series.name) has \(histogram.cumulativeCounts.count) counts for "
                            + "\(series.bucketUpperBounds.count) bounds plus +Inf"
                    )
                }
            case (.histogram, .number):
                return .invalid("series \(series.name) is a histogram but the sample is a number")
            case (_, .histogram):
                return .invalid("series \(series.name) is a \(series.kind.rawValue) but the sample is a histogram")
            case (_, .number):
                break
            }
            resolved.append((series, sample.value))
        }
        return .resolved(resolved)
    }
}
