import Foundation
import NIOCore
import Shared
import SwiftProtobuf
import Testing

@Suite struct WireMessageRoundTripTests {
    @Test(arguments: WireFixtures.allMessages)
    func everyMessageSurvivesEncodeFrameDecode(_ message: WireMessage) throws {
        var frame = try FrameEncoder().encode(message)
        let header = frame.readInteger(endianness: .big, as: UInt32.self)
        let length = try #require(header)
        #expect(Int(length) == frame.readableBytes)
        let decoded = try WireMessage(serializedBytes: frame.readableBytesView)
        #expect(decoded == message)
    }

    @Test func encoderRefusesAFrameTheReceiverWouldRefuse() throws {
        let encoder = FrameEncoder(maximumFrameBytes: 64)
        var buffer = ByteBuffer()
        let big = WireMessage.reject(Reject(reason: .unspecified, detail: String(repeating: "x", count: 100)))
        let error = #expect(throws: WireError.self) { try encoder.encode(big, into: &buffer) }
        #expect(error?.kind == .frameTooLarge)
        #expect(buffer.readableBytes == 0, "nothing may be written for a refused frame")
    }

    @Test func unknownMessageKindDecodesAsUnknownWithItsFieldNumber() throws {
        // Field 99 of the envelope, length-delimited, holding two bytes: a message from a newer minor version.
        let payload: [UInt8] = [0x9A, 0x06, 0x02, 0x08, 0x01]
        let decoded = try WireMessage(serializedBytes: payload)
        #expect(decoded == .unknown(fieldNumbers: [99]))
    }

    @Test func unknownFieldsInsideAKnownMessageAreSkipped() throws {
        // Envelope field 5 (report_ack), 5 bytes: seq = 9, then field 50 (varint 1) that this build does not know.
        let bytes: [UInt8] = [0x2A, 0x05, 0x08, 0x09, 0x90, 0x03, 0x01]
        #expect(try WireMessage(serializedBytes: bytes) == .reportAck(ReportAck(seq: 9)))
    }

    @Test(arguments: [
        ([UInt8](), "envelope holds no message"),
        ([0xFF, 0xFF, 0xFF], "payload is not a Vigil envelope"),
    ])
    func malformedPayloadsAreNamed(_ payload: [UInt8], _ expected: String) {
        let error = #expect(throws: WireError.self) { try WireMessage(serializedBytes: payload) }
        #expect(error?.kind == .malformedMessage)
        #expect(error?.detail.contains(expected) == true)
    }

    @Test func helloWithAnInvalidNodeIDIsRefusedWithTheReason() throws {
        // envelope.hello { node_id: "bad id!" }
        let nodeID = Array("bad id!".utf8)
        let hello: [UInt8] = [0x12, UInt8(nodeID.count)] + nodeID
        let envelope: [UInt8] = [0x0A, UInt8(hello.count)] + hello
        let error = #expect(throws: WireError.self) { try WireMessage(serializedBytes: envelope) }
        #expect(error?.kind == .invalidHello)
        #expect(error?.detail.contains("node id") == true)
        #expect(error?.rejectReason == .invalidHello)
    }

    @Test func histogramSeriesWithoutAscendingBoundsIsRefused() throws {
        var report = WireFixtures.report(samples: 1, declared: true)
        report.declarations[1].series.bucketUpperBounds = [1, 0.5]
        let bytes = try WireMessage.report(report).serializedBytes()
        let error = #expect(throws: WireError.self) { try WireMessage(serializedBytes: bytes) }
        #expect(error?.detail.contains("ascending") == true)
    }

    @Test func histogramSampleWithDecreasingCountsIsRefused() throws {
        var report = WireFixtures.report(samples: 1, declared: true)
        report.samples[1].value = .histogram(HistogramValue(cumulativeCounts: [5, 3, 10, 11], sum: 1))
        let bytes = try WireMessage.report(report).serializedBytes()
        let error = #expect(throws: WireError.self) { try WireMessage(serializedBytes: bytes) }
        #expect(error?.detail.contains("decreasing") == true)
    }

    @Test func reportSeqZeroIsRefused() throws {
        let bytes = try WireMessage.report(WireFixtures.report(seq: 0, samples: 1, declared: false)).serializedBytes()
        let error = #expect(throws: WireError.self) { try WireMessage(serializedBytes: bytes) }
        #expect(error?.detail.contains("seq") == true)
    }

    @Test func reportRefusalWithSeqZeroIsRefused() {
        // envelope.report_refusal { seq: 0, reason: UNKNOWN_SERIES }
        let error = #expect(throws: WireError.self) { try WireMessage(serializedBytes: [0x32, 0x02, 0x10, 0x01]) }
        #expect(error?.kind == .invalidField)
    }

    @Test func eventsOfAKindThisBuildDoesNotKnowAreSkipped() throws {
        // envelope.report { seq: 1, events: [{ kind: 99, subject: "x" }, { kind: PROCESS_RESTARTED }] }
        let unknownEvent: [UInt8] = [0x08, 0x63, 0x12, 0x01, 0x78]
        let knownEvent: [UInt8] = [0x08, 0x01]
        let report: [UInt8] = [0x08, 0x01] + [0x32, UInt8(unknownEvent.count)] + unknownEvent
            + [0x32, UInt8(knownEvent.count)] + knownEvent
        let decoded = try WireMessage(serializedBytes: [0x22, UInt8(report.count)] + report)
        guard case .report(let decodedReport) = decoded else {
            Issue.record("expected a report")
            return
        }
        #expect(decodedReport.events.map(\.kind) == [.processRestarted])
    }
}
