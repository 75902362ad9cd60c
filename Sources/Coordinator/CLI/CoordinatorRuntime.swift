import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Shared
import UnixSignals

/// The coordinator's parts and services, built in dependency order: storage, then what feeds it, HTTP last.
struct CoordinatorRuntime {
    let configuration: CoordinatorConfiguration
    let database: CoordinatorDatabase
    let fleet: FleetState
    let registry: AgentRegistry
    let journal: IncidentJournal
    let detection: DetectionEngine
    let commands: CommandDispatcher
    let remediation: RemediationEngine
    let silences: SilenceBook
    let escalator: Escalator
    let outbox: NotificationOutbox
    let people: PeopleDesk
    let logger: Logger

    /// Opens and migrates the database, then restores the nodes, open incidents and alerts it holds.
    static func make(
        configuration: CoordinatorConfiguration,
        logger: Logger,
        commandObserver: (any CommandResultObserver)? = nil,
        now: Date = Date()
    ) async throws -> CoordinatorRuntime {
        let database = try CoordinatorDatabase.open(directory: configuration.dataDirectory)
        let fleet = FleetState(restoring: try await database.loadNodes())
        let reopenCutoff = now.addingTimeInterval(-configuration.detection.reopenWindow.timeInterval)
        let recovery = try await database.loadRecovery(resolvedSince: reopenCutoff)
        let journal = IncidentJournal()
        let detection = DetectionEngine(
            rules: configuration.rules,
            settings: configuration.detection,
            fleet: fleet,
            journal: journal,
            store: database,
            recovery: recovery,
            startedAt: now,
            logger: logger
        )
        if !recovery.openIncidents.isEmpty || !recovery.alerts.isEmpty {
            logger.info(
                "incidents restored",
                metadata: [
                    "incidents.open": "\(recovery.openIncidents.count)", "alerts": "\(recovery.alerts.count)",
                ]
            )
        }
        let silences = SilenceBook(
            store: database,
            silences: try await database.currentSilences(at: now),
            logger: logger
        )
        let registry = AgentRegistry()
        let relay = CommandResultRelay()
        let commands = CommandDispatcher(
            fleet: fleet,
            delivery: registry,
            store: database,
            timeline: detection,
            observer: relay,
            logger: logger
        )
        let remediation = RemediationEngine(
            runbooks: configuration.runbooks,
            settings: configuration.remediation,
            context: detection,
            sender: commands,
            silences: silences,
            logger: logger
        )
        relay.add(remediation)
        if let commandObserver { relay.add(commandObserver) }
        let resumed = try await commands.restore()
        if resumed > 0 {
            logger.info("commands restored", metadata: [MetadataKeys.count: "\(resumed)"])
        }
        let renderer = try MessageRenderer(settings: configuration.messages, rules: configuration.rules)
        let outbox = NotificationOutbox(
            channels: configuration.notifications.channels,
            store: database,
            logger: logger
        )
        let composer = NotificationComposer(
            renderer: renderer,
            incidents: detection,
            store: database,
            channels: configuration.notifications.channels
        )
        let paging = configuration.paging
        let escalator = Escalator(
            settings: configuration.onCall,
            paging: paging,
            store: database,
            context: detection,
            silences: silences,
            composer: composer,
            notificationsQueued: { outbox.notificationsQueued() },
            logger: logger
        )
        let people = PeopleDesk(
            incidents: detection,
            store: database,
            commands: database,
            silences: silences,
            renderer: renderer,
            composer: composer,
            paging: paging,
            settings: configuration.onCall,
            notificationsQueued: { outbox.notificationsQueued() }
        )
        return CoordinatorRuntime(
            configuration: configuration,
            database: database,
            fleet: fleet,
            registry: registry,
            journal: journal,
            detection: detection,
            commands: commands,
            remediation: remediation,
            silences: silences,
            escalator: escalator,
            outbox: outbox,
            people: people,
            logger: logger
        )
    }

    /// The services in start order; they stop in reverse, so the last incident changes (commands' timeline lines
    /// among them) are written after detection and the dispatcher stopped, and node rows last of all.
    func services(
        onAgentsBound: @escaping @Sendable (SocketAddress) async -> Void,
        onHTTPBound: @escaping @Sendable (SocketAddress) async -> Void,
        runsEscalation: Bool = true
    ) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let nodePersistence = NodePersistence(
            fleet: fleet,
            store: database,
            interval: configuration.persistInterval,
            logger: logger
        )
        // Waking an escalator that does not run (tests that tick it themselves) only leaves one pass pending.
        let escalator = self.escalator
        let incidentPersistence = IncidentPersistence(journal: journal, store: database, logger: logger) {
            escalator.incidentsChanged()
        }
        let listener = AgentListener(
            address: configuration.agentListen,
            sessionSettings: AgentSession.Settings(
                reportInterval: configuration.reportInterval,
                limits: configuration.limits
            ),
            fleet: fleet,
            registry: registry,
            observer: detection,
            commands: commands,
            logger: logger,
            onBound: onAgentsBound
        )
        let api = APIServer(
            address: configuration.httpListen,
            fleet: fleet,
            registry: registry,
            store: database,
            incidents: detection,
            detection: detection,
            commands: commands,
            remediation: remediation,
            silences: silences,
            onCall: OnCallRoster(settings: configuration.onCall, paging: configuration.paging),
            people: people,
            notifications: outbox,
            logger: logger,
            onBound: onHTTPBound
        )
        let people: [ServiceGroupConfiguration.ServiceConfiguration] =
            runsEscalation ? [.init(service: outbox), .init(service: escalator)] : []
        return [
            .init(service: nodePersistence), .init(service: incidentPersistence), .init(service: detection),
            .init(service: commands), .init(service: remediation),
        ] + people + [.init(service: listener), .init(service: api)]
    }

    func run(announcing readiness: ReadinessLine) async throws {
        await readiness.setDataDirectory(configuration.dataDirectory)
        var groupConfiguration = ServiceGroupConfiguration(
            services: services(
                onAgentsBound: { await readiness.agentsBound($0) },
                onHTTPBound: { await readiness.httpBound($0) }
            ),
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger
        )
        // Past this, a stuck service is cancelled rather than holding up a restart.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(10)
        let group = ServiceGroup(configuration: groupConfiguration)
        logger.info(
            "coordinator starting",
            metadata: [MetadataKeys.path: "\(configuration.dataDirectory)", "rules": "\(configuration.rules.count)"]
        )
        try await group.run()
        logger.info("coordinator stopped")
    }
}
