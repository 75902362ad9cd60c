import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Shared

/// The coordinator's HTTP side: health and the JSON API, as one Hummingbird application.
struct APIServer: Service {
    let application: Application<RouterResponder<APIRequestContext>>
    let address: HostPort

    init(
        address: HostPort,
        fleet: FleetState,
        registry: AgentRegistry,
        store: any NodeStore,
        incidents: any IncidentOperations,
        detection: (any DetectionOverview)? = nil,
        commands: (any CommandOperations)? = nil,
        remediation: (any RemediationOperations)? = nil,
        silences: (any SilenceOperations)? = nil,
        onCall: OnCallRoster? = nil,
        people: (any PeopleOperations)? = nil,
        notifications: (any NotificationOverview)? = nil,
        logger: Logger,
        onBound: @escaping @Sendable (SocketAddress) async -> Void = { _ in }
    ) {
        self.address = address
        let router = Router(context: APIRequestContext.self)
        HealthRoutes(
            fleet: fleet,
            registry: registry,
            store: store,
            detection: detection,
            notifications: notifications
        )
        .register(on: router)
        NodeRoutes(fleet: fleet).register(on: router)
        IncidentRoutes(operations: incidents).register(on: router)
        if let detection { AlertRoutes(detection: detection).register(on: router) }
        if let commands { CommandRoutes(operations: commands).register(on: router) }
        if let remediation { RemediationRoutes(operations: remediation).register(on: router) }
        if let silences { SilenceRoutes(operations: silences).register(on: router) }
        if let onCall { OnCallRoutes(roster: onCall).register(on: router) }
        if let people { PeopleRoutes(operations: people).register(on: router) }
        var logger = logger
        logger[metadataKey: MetadataKeys.component] = "http"
        application = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "vigil"),
            onServerRunning: { channel in
                if let bound = channel.localAddress { await onBound(bound) }
            },
            logger: logger
        )
    }

    func run() async throws {
        do {
            try await application.run()
        } catch let error as IOError {
            throw ListenerError.cannotBind(address: "\(address)", purpose: "HTTP", reason: "\(error)")
        }
    }
}
