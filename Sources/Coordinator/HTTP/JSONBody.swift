import Foundation
import Hummingbird
import NIOCore

/// Request bodies of the JSON API: at most 64 KiB, decoded with the API's conventions; anything else is a 400
/// (or 413) with one line naming the problem.
enum JSONBody {
    static let maximumBytes = 64 * 1024

    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBytes)
        } catch is NIOTooManyBytesError {
            throw APIInputError.bodyTooLarge(limit: maximumBytes)
        }
        do {
            return try APIJSON.makeDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIInputError.body(error)
        }
    }
}
