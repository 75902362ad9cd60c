import Foundation
import Testing

@testable import Coordinator

/// Rotations hand over at the team's wall-clock hour, also across a daylight-saving change.
@Suite struct RotationTests {
    private static let newYork = TimeZone(identifier: "America/New_York") ?? .gmt

    private static func time(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text) ?? .distantPast
    }

    /// A weekly rotation handing over on Mondays at 09:00 New York time, starting Monday 28 October 2024.
    private static let weekly = Rotation(
        name: "sre",
        members: ["ana", "bo", "cy"],
        shiftDays: 7,
        start: time("2024-10-28T13:00:00Z"),  // 09:00 EDT (UTC-4)
        timeZone: newYork
    )

    @Test func theShiftChangesAtNineInTheMorningLocalTime() {
        #expect(Self.weekly.holder(at: Self.time("2024-10-28T12:59:59Z")) == nil, "before the first hand-off")
        #expect(Self.weekly.holder(at: Self.time("2024-10-28T13:00:00Z")) == "ana")
        #expect(Self.weekly.holder(at: Self.time("2024-10-28T13:00:00Z"), offset: 1) == "bo", "the secondary")
    }

    @Test func theHandOffStaysAtNineAcrossTheEndOfSummerTime() {
        // Summer time ends on Sunday 3 November 2024: Monday the 4th at 09:00 EST is 14:00 UTC, not 13:00.
        #expect(Self.weekly.holder(at: Self.time("2024-11-04T13:30:00Z")) == "ana", "still ana at 08:30 EST")
        #expect(Self.weekly.holder(at: Self.time("2024-11-04T14:00:00Z")) == "bo", "bo from 09:00 EST")
        #expect(Self.weekly.holder(at: Self.time("2024-11-11T14:00:00Z")) == "cy")
        #expect(Self.weekly.holder(at: Self.time("2024-11-18T14:00:00Z")) == "ana", "round again")
    }

    @Test func anOverrideStandsInForItsStretchOnly() {
        var rotation = Self.weekly
        rotation.overrides = [
            .init(person: "dee", from: Self.time("2024-10-29T00:00:00Z"), until: Self.time("2024-10-30T00:00:00Z"))
        ]
        #expect(rotation.holder(at: Self.time("2024-10-29T12:00:00Z")) == "dee")
        #expect(rotation.holder(at: Self.time("2024-10-30T12:00:00Z")) == "ana")
    }

    @Test func aRotationWithoutMembersIsRefused() {
        var rotation = Self.weekly
        rotation.members = []
        #expect(throws: Rotation.Problem.noMembers("sre")) { try rotation.validate() }
        #expect(rotation.holder(at: Self.time("2024-10-29T12:00:00Z")) == nil)
    }
}
