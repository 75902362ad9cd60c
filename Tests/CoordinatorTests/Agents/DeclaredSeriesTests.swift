import Shared
import Testing

@testable import Coordinator

@Suite struct DeclaredSeriesTests {
    private let histogram = SeriesDescriptor(name: "latency", kind: .histogram, bucketUpperBounds: [0.1, 1])

    @Test func samplesResolveToTheirDeclaredSeries() throws {
        var series = DeclaredSeries()
        try series.learn([SeriesDeclaration(id: SeriesID(1), series: histogram)])
        let sample = Sample(seriesID: SeriesID(1), value: .histogram(HistogramValue(cumulativeCounts: [1, 2, 3], sum: 1)))
        guard case .resolved(let resolved, let skipped) = series.resolve([sample]), skipped.isEmpty else {
            Issue.record("expected resolution")
            return
        }
        #expect(resolved.first?.0 == histogram)
    }

    @Test func anUndeclaredIDIsReportedSoTheAgentCanDeclareAgain() {
        let series = DeclaredSeries()
        guard case .unknownSeries(let id) = series.resolve([Sample(seriesID: SeriesID(7), value: .number(1))]) else {
            Issue.record("expected unknown series")
            return
        }
        #expect(id == SeriesID(7))
    }

    @Test(arguments: [
        (SampleValue.histogram(HistogramValue(cumulativeCounts: [1, 2], sum: 1)), "has 2 counts for 2 bounds"),
        (SampleValue.number(3), "is a histogram but the sample is a number"),
    ])
    func samplesThatDoNotFitTheirSeriesAreSkippedAndTheRestKept(_ value: SampleValue, _ expected: String) throws {
        var series = DeclaredSeries()
        let gauge = SeriesDescriptor(name: "load", kind: .gauge)
        try series.learn([SeriesDeclaration(id: SeriesID(1), series: histogram), SeriesDeclaration(id: SeriesID(2), series: gauge)])
        let samples = [Sample(seriesID: SeriesID(1), value: value), Sample(seriesID: SeriesID(2), value: .number(1))]
        guard case .resolved(let resolved, let skipped) = series.resolve(samples) else {
            Issue.record("expected a resolution")
            return
        }
        #expect(resolved.map(\.0) == [gauge])
        #expect(skipped.count == 1)
        #expect(skipped.first?.contains(expected) == true, "got: \(skipped)")
    }
}
