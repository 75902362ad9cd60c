import Shared
import Testing

@Suite struct ModelParsingTests {
    @Test(arguments: [
        ("127.0.0.1:7400", "127.0.0.1", 7400),
        ("[::1]:7401", "::1", 7401),
        ("vigil.internal:0", "vigil.internal", 0),
        (" localhost:65535 ", "localhost", 65_535),
    ])
    func hostPortParses(_ text: String, _ host: String, _ port: Int) {
        #expect(HostPort(text) == HostPort(host: host, port: port))
    }

    @Test(arguments: ["7400", "host:", ":7400", "host:65536", "host:-1", "::1:7400", "[::1]7400", "host:port"])
    func hostPortRejects(_ text: String) {
        #expect(HostPort(text) == nil)
    }

    @Test(arguments: ["web-1", "web_1.eu-west-1", "a", "node:42", String(repeating: "n", count: 128)])
    func nodeIDAccepts(_ text: String) {
        #expect(NodeID(text)?.rawValue == text)
    }

    @Test(arguments: ["", "web 1", "web/1", "wéb", String(repeating: "n", count: 129), "a\nb"])
    func nodeIDRejects(_ text: String) {
        #expect(NodeID(text) == nil)
    }

    @Test func seriesDisplayNameSortsLabels() {
        let series = SeriesDescriptor(name: "up", labels: ["b": "2", "a": "1"], kind: .gauge)
        #expect(series.displayName == #"up{a="1",b="2"}"#)
    }
}
