import Foundation
import Hummingbird

/// `/api/v1/alerts`: what is firing and what is about to (pending, waiting out its rule's `for`).
struct AlertRoutes {
    let detection: any DetectionOverview

    struct AlertList: ResponseEncodable, Codable {
        var alerts: [Alert]
    }

    func register(on router: Router<APIRequestContext>) {
        router.get("/api/v1/alerts") { _, _ -> AlertList in
            AlertList(alerts: await detection.alerts())
        }
    }
}
