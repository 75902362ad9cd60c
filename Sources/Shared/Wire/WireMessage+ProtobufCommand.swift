import Foundation
import SwiftProtobuf

// Conversions for commands and their results; see WireMessage+Protobuf.swift.

extension CommandRequest {
    init(_ proto: Vigil_Wire_V1_Command) throws(WireError) {
        guard !proto.id.isEmpty, !proto.action.isEmpty else {
            throw WireError(.invalidField, "command: id and action are required")
        }
        guard let target = NodeID(proto.targetNodeID) else {
            throw WireError(.invalidField, "command \(proto.id): target node id is invalid")
        }
        self.init(
            id: proto.id,
            incidentID: proto.incidentID,
            targetNodeID: target,
            action: proto.action,
            parameters: proto.params,
            issuedAt: Date(unixMilliseconds: proto.issuedAtUnixMs),
            expiresAt: Date(unixMilliseconds: proto.expiresAtUnixMs),
            isDryRun: proto.dryRun,
            issuer: proto.issuer,
            nodeSequence: proto.nodeSequence,
            keyID: proto.keyID,
            signature: Array(proto.signature)
        )
    }

    var proto: Vigil_Wire_V1_Command {
        .with {
            $0.id = id
            $0.incidentID = incidentID
            $0.targetNodeID = targetNodeID.rawValue
            $0.action = action
            $0.params = parameters
            $0.issuedAtUnixMs = issuedAt.unixMilliseconds
            $0.expiresAtUnixMs = expiresAt.unixMilliseconds
            $0.dryRun = isDryRun
            $0.issuer = issuer
            $0.nodeSequence = nodeSequence
            $0.keyID = keyID
            $0.signature = Data(signature)
        }
    }
}

extension CommandResult {
    init(_ proto: Vigil_Wire_V1_CommandResult) {
        let outcome: Outcome =
            switch proto.outcome {
            case .succeeded: .succeeded
            case .failed: .failed
            case .refused: .refused
            case .expired: .expired
            case .duplicate: .duplicate
            case .unknown, .unspecified, .UNRECOGNIZED: .unknown
            }
        self.init(
            commandID: proto.commandID,
            outcome: outcome,
            exitCode: proto.exitCode,
            outputTail: proto.outputTail,
            startedAt: Date(unixMilliseconds: proto.startedAtUnixMs),
            finishedAt: Date(unixMilliseconds: proto.finishedAtUnixMs),
            detail: proto.detail
        )
    }

    var proto: Vigil_Wire_V1_CommandResult {
        .with {
            $0.commandID = commandID
            $0.outcome =
                switch outcome {
                case .succeeded: .succeeded
                case .failed: .failed
                case .refused: .refused
                case .expired: .expired
                case .duplicate: .duplicate
                case .unknown: .unknown
                }
            $0.exitCode = exitCode
            $0.outputTail = outputTail
            $0.startedAtUnixMs = startedAt.unixMilliseconds
            $0.finishedAtUnixMs = finishedAt.unixMilliseconds
            $0.detail = detail
        }
    }
}
