import Logging

/// The metadata keys both programs log with, so that one query finds a node or a peer in every log.
public enum MetadataKeys {
    public static let nodeID = "node.id"
    public static let peerAddress = "peer.address"
    public static let error = "error"
    public static let reportSeq = "report.seq"
    public static let component = "component"
    public static let address = "address"
    public static let reason = "reason"
    public static let path = "path"
    public static let delay = "delay"
    public static let count = "count"
    public static let incidentID = "incident.id"
    public static let ruleName = "rule.name"
    public static let alertKey = "alert.key"
    public static let severity = "severity"
    public static let commandID = "command.id"
    public static let action = "action"
    public static let outcome = "outcome"
}
