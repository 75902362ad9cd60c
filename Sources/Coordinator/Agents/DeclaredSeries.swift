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
        /// The samples that fit their series, and why each one that did not was skipped.
        case resolved([(SeriesDescriptor, SampleValue)], skipped: [String])
        case unknownSeries(SeriesID)
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
    ///
    /// A sample that does not fit is skipped, not the report: one bad series from one collector must not cut
    /// the node off, and re-sending the same report could never make it fit.
    func resolve(_ samples: [Sample]) -> Resolution {
        var resolved: [(SeriesDescriptor, SampleValue)] = []
        var skipped: [String] = []
        resolved.reserveCapacity(samples.count)
        for sample in samples {
            guard let series = byID[sample.seriesID] else { return .unknownSeries(sample.seriesID) }
            switch (series.kind, sample.value) {
            case (.histogram, .histogram(let histogram)):
                guard histogram.cumulativeCounts.count == series.bucketUpperBounds.count + 1 else {
                    skipped.append(
                        "histogram \(series.displayName) has \(histogram.cumulativeCounts.count) counts for "
                            + "\(series.bucketUpperBounds.count) bounds plus +Inf"
                    )
                    continue
                }
            case (.histogram, .number):
                skipped.append("series \(series.displayName) is a histogram but the sample is a number")
                continue
            case (_, .histogram):
                skipped.append("series \(series.displayName) is a \(series.kind.rawValue) but the sample is a histogram")
                continue
            case (_, .number):
                break
            }
            resolved.append((series, sample.value))
        }
        return .resolved(resolved, skipped: skipped)
    }
}
