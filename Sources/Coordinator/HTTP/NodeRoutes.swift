import Foundation
import Hummingbird
import Shared

/// `/api/v1/nodes` and `/api/v1/nodes/{id}`: the fleet as the coordinator sees it.
struct NodeRoutes {
    let fleet: FleetState

    struct NodeList: ResponseEncodable, Codable {
        var nodes: [NodeSummary]
    }

    func register(on router: Router<APIRequestContext>) {
        router.get("/api/v1/nodes") { _, _ -> NodeList in
            NodeList(nodes: await fleet.summaries())
        }
        router.get("/api/v1/nodes/:id") { _, context -> NodeSummary in
            let raw = try context.parameters.require("id")
            let text = raw.removingPercentEncoding ?? raw
            guard let id = NodeID(text) else {
                throw HTTPError(.badRequest, message: "invalid node id \"\(text)\"")
            }
            guard let summary = await fleet.summary(of: id) else {
                throw HTTPError(.notFound, message: "no node \(id)")
            }
            return summary
        }
    }
}

extension NodeSummary: ResponseEncodable {}
