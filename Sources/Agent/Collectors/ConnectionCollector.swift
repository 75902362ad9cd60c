import Shared

/// TCP sockets by state, in total and for chosen ports, from `/proc/net/tcp` and `/proc/net/tcp6`.
///
/// For a port P, `direction="local"` counts sockets whose local port is P (our listener and the connections
/// it accepted) and `direction="remote"` those whose remote port is P (our outgoing connections to a P
/// service, e.g. the connection pool to PostgreSQL on 5432). Every state is sent, zeros included, so a
/// series does not vanish when its count drops to nothing.
struct ConnectionCollector: Collector {
    let name = "connections"
    let interval: Duration
    let timeout: Duration
    let ports: [UInt16]
    let procRoot: String

    init(ports: [UInt16], timing: CollectorTiming = ConnectionCollectorKind.defaultTiming, procRoot: String = "/proc") {
        self.ports = ports
        self.interval = timing.interval
        self.timeout = timing.timeout
        self.procRoot = procRoot
    }

    func collect() async throws -> CollectorOutput {
        var sockets: [TCPSocket] = []
        for file in ["tcp", "tcp6"] {
            let path = "\(procRoot)/net/\(file)"
            let text: String
            do { text = try ProcFile.read(path) } catch {
                // A kernel without IPv6 has no tcp6; without tcp there is nothing to report.
                if file == "tcp6" { continue }
                throw error
            }
            let table = TCPSocketTable.parse(text)
            if table.sockets.isEmpty && table.malformedLines > 0 {
                throw CollectorError.malformed(path: path, detail: "no line is a TCP socket")
            }
            sockets += table.sockets
        }
        return CollectorOutput(measurements: Self.measurements(of: sockets, ports: ports))
    }

    static func measurements(of sockets: [TCPSocket], ports: [UInt16]) -> [MetricSample] {
        var totals: [TCPState: Int] = [:]
        for socket in sockets { totals[socket.state, default: 0] += 1 }
        var samples = TCPState.allCases.map {
            MetricSample.gauge("tcp_connections", Double(totals[$0] ?? 0), labels: ["state": $0.label])
        }
        for port in ports {
            var local: [TCPState: Int] = [:]
            var remote: [TCPState: Int] = [:]
            for socket in sockets {
                if socket.localPort == port { local[socket.state, default: 0] += 1 }
                if socket.remotePort == port { remote[socket.state, default: 0] += 1 }
            }
            for (direction, counts) in [("local", local), ("remote", remote)] {
                for state in TCPState.allCases {
                    let labels = ["port": String(port), "direction": direction, "state": state.label]
                    samples.append(.gauge("tcp_connections_by_port", Double(counts[state] ?? 0), labels: labels))
                }
            }
        }
        return samples
    }
}
