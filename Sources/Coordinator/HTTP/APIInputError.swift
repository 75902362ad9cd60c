import Foundation
import Hummingbird

/// Why a request's query parameters or body were refused: one line naming the parameter or field and the value,
/// so the person or script that sent it can fix it without reading the server's log.
enum APIInputError: Error, Equatable, CustomStringConvertible {
    /// A query parameter (or its command-line twin) has a value that cannot be read; `expected` says what can.
    case invalidParameter(name: String, value: String, expected: String)
    /// A body field is present and well-typed but empty or too long.
    case invalidField(name: String, reason: String)
    /// The body is not the JSON object the route reads.
    case malformedBody(String)
    case bodyTooLarge(limit: Int)

    var description: String {
        switch self {
        case .invalidParameter(let name, let value, let expected):
            "invalid \(name) \(Self.quoted(value)): \(expected)"
        case .invalidField(let name, let reason): "\(name) \(reason)"
        case .malformedBody(let reason): "invalid request body: \(reason)"
        case .bodyTooLarge(let limit): "request body is larger than \(limit / 1024) KiB"
        }
    }

    /// The value in double quotes with newlines and quotes escaped, cut short, so the message stays one line.
    static func quoted(_ value: String) -> String {
        let shown = value.count > 80 ? String(value.prefix(80)) + "…" : value
        return shown.debugDescription
    }

    /// What is wrong with a body the JSON decoder refused, naming the field as the JSON spells it.
    static func body(_ error: DecodingError) -> APIInputError {
        switch error {
        case .keyNotFound(let key, let context):
            return .malformedBody("missing field \(fieldName(context.codingPath + [key]).debugDescription)")
        case .valueNotFound(_, let context):
            return .malformedBody("field \(fieldName(context.codingPath).debugDescription) must not be null")
        case .typeMismatch(let type, let context) where !context.codingPath.isEmpty:
            return .malformedBody("field \(fieldName(context.codingPath).debugDescription) must be \(kind(of: type))")
        case .typeMismatch:
            return .malformedBody("expected a JSON object")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            return .malformedBody("field \(fieldName(context.codingPath).debugDescription) is not valid")
        case .dataCorrupted:
            return .malformedBody("not valid JSON")
        @unknown default:
            return .malformedBody("not valid JSON")
        }
    }

    /// `rootCause` → `root_cause`, nested keys joined by dots, as the client wrote them.
    private static func fieldName(_ path: [any CodingKey]) -> String {
        path.map { key in
            if let index = key.intValue { return String(index) }
            var name = ""
            for character in key.stringValue {
                if character.isUppercase {
                    name += "_" + character.lowercased()
                } else {
                    name.append(character)
                }
            }
            return name
        }
        .joined(separator: ".")
    }

    private static func kind(of type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        default: "\(type)"
        }
    }
}

extension APIInputError: HTTPResponseError {
    var status: HTTPResponse.Status {
        switch self {
        case .bodyTooLarge: .contentTooLarge
        case .invalidParameter, .invalidField, .malformedBody: .badRequest
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try HTTPError(status, message: description).response(from: request, context: context)
    }
}
