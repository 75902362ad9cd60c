import Foundation
import Hummingbird
import NIOCore
import Shared

/// `/api/v1/commands…`: operators issue commands to agents and read what became of them.
struct CommandRoutes {
    static let maximumBodyBytes = 64 * 1_024

    let operations: any CommandOperations

    func register(on router: Router<APIRequestContext>) {
        router.post("/api/v1/commands") { request, _ -> Response in
            let body = try await Self.decode(IssueBody.self, from: request)
            let command = try await operations.issue(try body.draft())
            var response = try APIJSON.response(command)
            response.status = .created
            return response
        }
        router.get("/api/v1/commands") { request, _ -> CommandList in
            let parameters = try CommandListParameters(
                incident: Self.query(request, "incident"),
                node: Self.query(request, "node"),
                state: Self.query(request, "state"),
                limit: Self.query(request, "limit")
            )
            return CommandList(commands: try await operations.commands(matching: parameters.query))
        }
        router.get("/api/v1/commands/:id") { _, context -> CommandDetail in
            let raw = try context.parameters.require("id")
            let id = CommandID(raw.removingPercentEncoding ?? raw)
            guard let detail = try await operations.detail(of: id) else {
                throw HTTPError(.notFound, message: "no command \(APIInputError.quoted(id.rawValue))")
            }
            return detail
        }
    }

    private static func query(_ request: Request, _ name: Substring) -> String? {
        let values = request.uri.queryParameters[values: name]
        return values.isEmpty ? nil : values.joined(separator: ",")
    }

    private static func decode<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBodyBytes)
        } catch is NIOTooManyBytesError {
            throw APIInputError.bodyTooLarge(limit: maximumBodyBytes)
        }
        do {
            return try APIJSON.makeDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIInputError.body(error)
        }
    }
}

extension CommandRoutes.CommandList: ResponseEncodable {}
extension CommandDetail: ResponseEncodable {}

extension APIJSON {
    /// A JSON response with the API's encoder, for routes that answer with a status other than 200.
    static func response(_ value: some Encodable) throws -> Response {
        let data = try makeEncoder().encode(value)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
