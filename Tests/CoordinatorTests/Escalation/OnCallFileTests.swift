import Foundation
import Shared
import Testing

@testable import Coordinator

/// The `oncall:` section: what a team writes, what it means at a given time, and every mistake refused at start
/// with its line.
@Suite struct OnCallFileTests {
    private static func settings(_ yaml: String) throws -> OnCallSettings {
        try CoordinatorConfiguration.parse(yaml: yaml, source: "c.yaml").onCall
    }

    private static func refusal(_ yaml: String) -> String {
        do {
            _ = try settings(yaml)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    private static func time(_ text: String) -> Date { ISO8601DateFormatter().date(from: text) ?? .distantPast }

    static let berlinTeam = """
        oncall:
          time_zone: Europe/Berlin
          business_hours: {days: [mon, tue, wed, thu, fri], start_hour: 8, end_hour: 18}
          people:
            ana: {email: ana@example.com, chat: "@ana"}
            bo: {email: bo@example.com}
            cy: {chat: U024BE7LH}
            max: {email: max@example.com, phone: "+49 30 1234"}
          roles:
            sre:
              primary: {members: [ana, bo, cy], shift_days: 7, hand_off: "2024-10-21T09:00"}
              manager: max
            database:
              primary: {members: [dee], shift_days: 1, hand_off: "2024-10-21T09:00"}
              secondary: {members: [eli, fay], shift_days: 1, hand_off: "2024-10-21T09:00"}
              manager: max
          vp: vic
          overrides:
            - {role: sre, position: primary, person: bo, from: "2024-10-29T18:00", until: "2024-10-30T09:00"}
          routing:
            default: sre
            kinds: {replication_lag: database}
            services: {ledger: database}
        """

    @Test func aTeamsRotationsOverridesAndRoutingMeanWhatTheySay() throws {
        let settings = try Self.settings(Self.berlinTeam)
        let sre = try #require(settings.role(named: "sre"))
        // Monday 21 October 2024 09:00 CEST is 07:00 UTC.
        #expect(sre.holder(of: .primary, at: Self.time("2024-10-21T06:59:00Z")) == nil)
        #expect(sre.holder(of: .primary, at: Self.time("2024-10-21T07:00:00Z")) == "ana")
        #expect(sre.holder(of: .secondary, at: Self.time("2024-10-21T07:00:00Z")) == "bo", "one place along")
        #expect(sre.holder(of: .primary, at: Self.time("2024-10-28T08:30:00Z")) == "bo", "second week")
        // Summer time ended on 27 October: the hand-off on the 28th at 09:00 CET is 08:00 UTC.
        #expect(sre.holder(of: .primary, at: Self.time("2024-10-28T07:30:00Z")) == "ana", "08:30 CET, still ana")
        #expect(sre.holder(of: .primary, at: Self.time("2024-10-29T17:30:00Z")) == "bo", "override 18:00 CET on")
        #expect(sre.holder(of: .secondary, at: Self.time("2024-10-29T17:30:00Z")) == "cy", "the override is primary's")
        #expect(sre.holder(of: .manager, at: Self.time("2030-01-01T00:00:00Z")) == "max")
        #expect(settings.routing.role(forKind: IncidentKind("replication_lag"), service: "api") == "database")
        #expect(settings.routing.role(forKind: IncidentKind("high_latency"), service: "ledger") == "database")
        #expect(settings.routing.role(forKind: IncidentKind("high_latency"), service: "api") == "sre")
        #expect(settings.person("cy").chat == "U024BE7LH")
        #expect(settings.person("dee") == OnCallPerson(name: "dee"), "named in a rotation only")
        #expect(settings.vp == "vic")
        #expect(settings.businessHours.startHour == 8 && settings.businessHours.endHour == 18)
    }

    @Test func withoutTheSectionThePlaybooksTableIsOnCall() throws {
        let settings = try Self.settings("data_dir: ./x\n")
        let roster = OnCallRoster(settings: settings, paging: [:])
        let now = Self.time("2026-11-29T03:00:00Z")
        let lines = try roster.assignments(at: now, role: nil).map { "\($0.role) \($0.position) \($0.person ?? "-")" }
        #expect(
            lines == [
                "sre primary alice", "sre secondary bob", "sre manager carol",
                "backend primary david", "backend secondary eve", "backend manager frank",
                "database primary grace", "database secondary henry", "database manager ivan",
                "security primary jack", "security secondary kate", "security manager liam",
                "vp vp john",
            ]
        )
        #expect(settings.routing.role(forKind: IncidentKind("connection_pool_exhaustion"), service: "x") == "database")
    }

    @Test func theRosterSaysWhenEachHolderHandsOver() throws {
        let roster = OnCallRoster(settings: try Self.settings(Self.berlinTeam), paging: [:])
        let assignments = try roster.assignments(at: Self.time("2024-10-22T12:00:00Z"), role: "sre")
        #expect(assignments.first?.person == "ana")
        #expect(assignments.first?.until == Self.time("2024-10-28T08:00:00Z"), "next Monday 09:00 CET")
        #expect(assignments.last?.until == nil, "the manager is fixed")
        #expect(throws: OnCallRosterError.unknownRole("web", known: ["sre", "database"])) {
            try roster.assignments(at: Date(), role: "web")
        }
    }

    @Test func aSimulationFlagsStepsWithNobodyOnShiftOrNoWayToReachThem() throws {
        var settings = try Self.settings(Self.berlinTeam)
        settings.vp = nil
        let mail = PagingChannel(name: "mail", reach: .personalAddress)
        let roster = OnCallRoster(settings: settings, paging: [.sev1: [mail]])
        let at = Self.time("2024-10-22T12:00:00Z")
        let (role, steps) = try roster.simulate(severity: .sev1, at: at, role: nil, kind: nil, service: nil)
        #expect(role == "sre")
        #expect(steps.map(\.person) == ["ana", "bo", "max", nil])
        #expect(steps.map(\.afterMinutes) == [0, 5, 10, 20])
        #expect(steps.map(\.problems.isEmpty) == [true, true, true, false])
        #expect(steps[3].problems == ["nobody on shift as vp"])
        let database = try roster.simulate(severity: .sev1, at: at, role: "database", kind: nil, service: nil).steps
        #expect(database[0].problems == ["no way to reach dee: the SEV-1 channels need an e-mail address they lack"])
        let none = try roster.simulate(severity: .sev2, at: at, role: "sre", kind: nil, service: nil).steps
        #expect(none[0].problems == ["no channel pages SEV-2: define one under channels, and route it under notify"])
    }

    @Test func aSev4SimulationWaitsForBusinessHours() throws {
        let roster = OnCallRoster(
            settings: try Self.settings(Self.berlinTeam),
            paging: [.sev4: [PagingChannel(name: "mail", reach: .personalAddress)]]
        )
        // Saturday 26 October 2024, 23:00 UTC: the next opening is Monday 28th at 08:00 CET (07:00 UTC).
        let steps = try roster.simulate(
            severity: .sev4,
            at: Self.time("2024-10-26T23:00:00Z"),
            role: nil,
            kind: nil,
            service: nil
        ).steps
        #expect(steps.map(\.dueAt) == [Self.time("2024-10-28T07:00:00Z")])
    }

    @Test(arguments: [
        ("oncall:\n  roles:\n    sre:\n      primary: {members: [], hand_off: \"2024-10-21T09:00\"}\n      manager: max\n",
         "c.yaml: line 4: rotation sre.primary has no members"),
        ("oncall:\n  time_zone: Mars/Olympus\n",
         "c.yaml: line 2: oncall.time_zone \"Mars/Olympus\" is not a time zone name such as Europe/Berlin or UTC"),
        ("oncall:\n  roles:\n    sre:\n      primary: {members: [a, b], hand_off: tomorrow}\n      manager: m\n",
         "c.yaml: line 4: oncall.roles.sre.primary.hand_off \"tomorrow\" is not a time such as 2026-11-02T09:00 (local) or 2026-11-02T09:00:00Z"),
        ("oncall:\n  roles:\n    sre:\n      primary: {members: [a], hand_off: \"2024-10-21\"}\n      manager: m\n",
         "c.yaml: line 4: role sre has no secondary: give it a secondary rotation, or two or more primary members"),
        ("oncall:\n  roles:\n    sre:\n      primary: {members: [a, b], hand_off: \"2024-10-21\"}\n",
         "c.yaml: line 3: role sre needs a manager"),
        ("oncall:\n  routing:\n    default: web\n",
         "c.yaml: line 3: oncall.routing.default names role \"web\", which is not defined under roles"),
        ("oncall:\n  people:\n    ana: {email: ana-at-example}\n",
         "c.yaml: line 3: oncall.people.ana.email \"ana-at-example\" is not an e-mail address"),
        // What the e-mail channel could not send to is refused at start, not at the first page.
        ("oncall:\n  people:\n    ana: {email: \"ana@exämple.com\"}\n",
         "c.yaml: line 3: oncall.people.ana.email \"ana@exämple.com\" is not an e-mail address"),
        ("oncall:\n  people:\n    ana: {email: \"ana..b@example.com\"}\n",
         "c.yaml: line 3: oncall.people.ana.email \"ana..b@example.com\" is not an e-mail address"),
        ("oncall:\n  overrides:\n    - {role: sre, position: boss, person: x, from: \"2024-01-01\", until: \"2024-01-02\"}\n",
         "c.yaml: line 3: position \"boss\" must be primary, secondary or manager"),
        ("oncall:\n  overrides:\n    - {role: sre, position: primary, person: x, from: \"2024-01-02\", until: \"2024-01-01\"}\n",
         "c.yaml: line 3: an override must end after it starts"),
        ("oncall:\n  business_hours: {start_hour: 18, end_hour: 9}\n",
         "c.yaml: line 2: oncall.business_hours: start_hour must be before end_hour"),
        ("oncall:\n  pager: yes\n",
         "c.yaml: line 2: unknown key \"oncall.pager\" (known: time_zone, business_hours, people, roles, vp, overrides, routing)"),
    ])
    func mistakesAreRefusedWithTheirLine(_ yaml: String, _ expected: String) {
        #expect(Self.refusal(yaml) == expected)
    }
}
