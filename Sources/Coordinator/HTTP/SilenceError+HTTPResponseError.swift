import Hummingbird

/// Silence errors reach the operator as a status a script can branch on and the error's own one-line message.
extension SilenceError: HTTPResponseError {
    var status: HTTPResponse.Status {
        switch self {
        case .unknownSilence: .notFound
        case .invalid: .badRequest
        case .unavailable: .serviceUnavailable
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try HTTPError(status, message: description).response(from: request, context: context)
    }
}
