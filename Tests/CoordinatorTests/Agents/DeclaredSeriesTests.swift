import Shared
import Testing

@testable import Coordinator

@Suite struct DeclaredSeriesTests {
    private let histogram = SeriesDescriptor(name: "latency", kind: .histogram, bucketUpperBounds: [0.1, 1])

    @Test func samplesResolveToTheirDeclaredSeries() throws {
        var series = DeclaredSeries()
        try series.learn([SeriesDeclaration(id: SeriesID(1), series: histogram)])
        let sample = Sample(seriesID: SeriesID(1), value: .histogram(HistogramValue(cumulativeCounts: [1, 2, 3], sum: 1)))
        guard case .resolved(let resolved) = series.resolve([sample]) else {
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
    func samplesThatDoNotFitTheirSeriesAreInvalid(_ value: SampleValue, _ expected: String) throws {
        var series = DeclaredSeries()
        try series.learn([SeriesDeclaration(id: SeriesID(1), series: histogram)])
        guard case .invalid(let detail) = series.resolve([Sample(seriesID: SeriesID(1), value: value)]) else {
            Issue.record("expected invalid")
            return
        }
        #expect(detail.contains(expected), "got: \(detail)")
    }
}
