import Foundation
import Shared
import Testing

@testable import Coordinator

/// The playbook's messages for one scripted incident, compared with golden files, and the messages that must not
/// be sent.
@Suite struct MessageRendererTests {
    let renderer: MessageRenderer
    let openDetail = MessageFixtures.detail(of: MessageFixtures.openIncident)
    let resolvedDetail = MessageFixtures.detail(of: MessageFixtures.resolvedIncident)
    /// While it is open, only the first status update has been posted.
    let openUpdates = MessageFixtures.updates.filter { $0.status == .identified }
    let openNow = MessageFixtures.date("2025-01-31T23:56:30Z")
    let resolvedNow = MessageFixtures.date("2025-02-01T00:45:00Z")

    init() throws {
        renderer = try MessageRenderer(settings: MessageSettings())
    }

    // MARK: - Refusals

    @Test(arguments: [Severity.sev3, .sev4])
    func customerInitialIsRefusedBelowSEV2(severity: Severity) throws {
        var detail = openDetail
        detail.incident.severity = severity
        detail.incident.peakSeverity = severity
        #expect(throws: MessageError.customerNoticeNeedsHighSeverity(MessageFixtures.id, severity)) {
            try renderer.render(.customerInitial, for: detail, now: openNow)
        }
        let error = MessageError.customerNoticeNeedsHighSeverity(MessageFixtures.id, severity)
        #expect(
            error.description
                == "incident 42 is \(severity) at worst: customer-initial is sent for SEV-1 and SEV-2 incidents only"
        )
    }

    @Test func anIncidentThatWasSEV1ButIsNowSEV3StillWarrantsACustomerNotice() throws {
        var detail = openDetail
        detail.incident.severity = .sev3
        let message = try renderer.render(.customerInitial, for: detail, now: openNow)
        #expect(message.subject == "Service Disruption Notification")
    }

    @Test(arguments: [MessageKind.resolution, .customerResolution])
    func resolutionMessagesNeedAResolvedIncident(kind: MessageKind) {
        #expect(throws: MessageError.incidentNotResolved(MessageFixtures.id, kind)) {
            try renderer.render(kind, for: openDetail, now: openNow)
        }
    }

    @Test func aPageNeedsThePersonPaged() {
        #expect(throws: MessageError.pageNeedsRecipient(MessageFixtures.id)) {
            try renderer.render(.page, for: openDetail, now: openNow)
        }
    }

    @Test func settingsBuiltInCodeWithABadTemplateAreRefusedByTheRenderer() {
        var settings = MessageSettings()
        settings.templateOverrides[.message(.page)] = TemplateSource(
            path: "page.mustache",
            text: "a\n{{pagd_person}}\n"
        )
        let problem = TemplateProblem(
            line: 2,
            reason: "unknown variable \"pagd_person\" (did you mean \"paged_person\"?)"
        )
        #expect(throws: MessageError.unusableTemplate(.message(.page), path: "page.mustache", problem)) {
            try MessageRenderer(settings: settings)
        }
    }

    @Test func valuesAreNeverHTMLEscaped() throws {
        let directory = try TemporaryDirectory()
        let yaml = try MessageSettingsTests.override(
            "initial",
            with: "{{title}} | {{{title}}} | {{&title}}\n",
            named: "initial.mustache",
            in: directory.path
        )
        let settings = try MessageSettingsTests.parse(yaml, source: directory.path + "/vigil.yaml")
        var detail = openDetail
        detail.incident.title = "5xx <&> \"quoted\" 'single'"
        let message = try MessageRenderer(settings: settings).render(.initial, for: detail, now: openNow)
        let title = "5xx <&> \"quoted\" 'single'"
        #expect(message.text == "\(title) | \(title) | \(title)\n")
        let builtIn = try renderer.render(.initial, for: detail, now: openNow)
        #expect(builtIn.text.contains("Impact: \(title) on web-1, web-2\n"))
        #expect(builtIn.subject == "[SEV-1] INCIDENT DETECTED: \(title)")
    }

    @Test func aSubjectLineInAnOverrideBecomesTheSubject() throws {
        let directory = try TemporaryDirectory()
        let yaml = try MessageSettingsTests.override(
            "status-update",
            with: "Subject: [{{severity}}] {{title}}\n\n\n{{update_status}} since {{update_time}}\n",
            named: "update.mustache",
            in: directory.path
        )
        let settings = try MessageSettingsTests.parse(yaml, source: directory.path + "/vigil.yaml")
        let message = try MessageRenderer(settings: settings)
            .render(.statusUpdate, for: openDetail, updates: openUpdates, now: openNow)
        #expect(message.subject == "[SEV-1] Error ratio 12% in checkout (over 5%)")
        #expect(message.text == "IDENTIFIED since 2025-01-31 23:55 UTC\n")
    }

    @Test func overridesMayUseSwiftMustachesTransforms() throws {
        let directory = try TemporaryDirectory()
        let yaml = try MessageSettingsTests.override(
            "status-update",
            with: "{{uppercased(service)}}: {{#actions_taken}}{{^first()}}; {{/first()}}{{.}}{{/actions_taken}}"
                + " ({{count(next_steps)}} next)\n",
            named: "update.mustache",
            in: directory.path
        )
        let settings = try MessageSettingsTests.parse(yaml, source: directory.path + "/vigil.yaml")
        let message = try MessageRenderer(settings: settings)
            .render(.statusUpdate, for: resolvedDetail, updates: MessageFixtures.updates, now: resolvedNow)
        #expect(
            message.text
                == "CHECKOUT: Restarted checkout on web-1 (failed); Rolled back release 2025.01.31-3 on web-2 (2 next)\n"
        )
    }

    @Test func theFactsOfEveryKindAreTheNamesItsTemplatesMayUse() throws {
        let recipient = PageRecipient(person: "bob", target: .secondary)
        for kind in MessageKind.allCases {
            let vocabulary = Set(TemplateVocabulary.message(kind).entries.keys)
            var named: Set<String> = []
            for (detail, updates, now) in [
                (openDetail, openUpdates, openNow), (resolvedDetail, MessageFixtures.updates, resolvedNow),
            ] {
                let facts = MessageFacts(
                    detail: detail,
                    updates: updates,
                    recipient: recipient,
                    settings: MessageSettings(),
                    readings: ReadingText(rules: DefaultRules.all),
                    now: now
                )
                let keys = Set(facts.values(for: kind).keys)
                #expect(keys.isSubset(of: vocabulary), "\(kind): \(keys.subtracting(vocabulary))")
                named.formUnion(keys)
            }
            #expect(named == vocabulary, "\(kind) never provides \(vocabulary.subtracting(named))")
        }
    }

    // MARK: - Golden files

    @Test func initial() throws {
        let message = try renderer.render(.initial, for: openDetail, updates: openUpdates, now: openNow)
        #expect(message.subject == "[SEV-1] INCIDENT DETECTED: Error ratio 12% in checkout (over 5%)")
        GoldenFile.expect(message.text, matches: "initial.txt")
    }

    @Test func statusUpdate() throws {
        let message = try renderer.render(.statusUpdate, for: openDetail, updates: openUpdates, now: openNow)
        #expect(message.subject == "[SEV-1] INCIDENT UPDATE (IDENTIFIED): Error ratio 12% in checkout (over 5%)")
        GoldenFile.expect(message.text, matches: "status-update.txt")
    }

    @Test func statusUpdateBeforeAnyUpdateWasPosted() throws {
        let message = try renderer.render(.statusUpdate, for: openDetail, now: openNow)
        GoldenFile.expect(message.text, matches: "status-update-empty.txt")
    }

    @Test func resolution() throws {
        let message = try renderer.render(
            .resolution,
            for: resolvedDetail,
            updates: MessageFixtures.updates,
            now: resolvedNow
        )
        #expect(message.subject == "[SEV-1] INCIDENT RESOLVED: Error ratio 12% in checkout (over 5%)")
        GoldenFile.expect(message.text, matches: "resolution.txt")
    }

    @Test func customerInitial() throws {
        let message = try renderer.render(.customerInitial, for: openDetail, updates: openUpdates, now: openNow)
        #expect(message.subject == "Service Disruption Notification")
        GoldenFile.expect(message.text, matches: "customer-initial.txt")
    }

    @Test func customerResolution() throws {
        let message = try renderer.render(
            .customerResolution,
            for: resolvedDetail,
            updates: MessageFixtures.updates,
            now: resolvedNow
        )
        #expect(message.subject == "Service Restored")
        GoldenFile.expect(message.text, matches: "customer-resolution.txt")
    }

    @Test func page() throws {
        var detail = openDetail
        detail.incident.acknowledgedAt = nil
        detail.incident.acknowledgedBy = nil
        let message = try renderer.render(
            .page,
            for: detail,
            recipient: PageRecipient(person: "bob", target: .secondary),
            now: MessageFixtures.date("2025-01-31T23:46:00Z")
        )
        #expect(message.subject == "[SEV-1] PAGE: incident 42, Error ratio 12% in checkout (over 5%)")
        GoldenFile.expect(message.text, matches: "page.txt")
    }

    @Test func timesFollowTheConfiguredZone() throws {
        var settings = MessageSettings()
        settings.timeZone = try #require(TimeZone(identifier: "Europe/Berlin"))
        settings.warRoomPrefix = "#inc-"
        let message = try MessageRenderer(settings: settings)
            .render(.initial, for: openDetail, updates: openUpdates, now: openNow)
        #expect(message.text.contains("Next Update: 2025-02-01 01:25 Europe/Berlin\n"), "\(message.text)")
        #expect(message.text.contains("War Room: #inc-20250131-2341-42\n"), "the war room's name stays in UTC")
    }
}
