import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback port between 20000 and 32767 that is bound but not listening, for as long as this value lives:
/// a connection to it is refused at once, and nothing else can take the port meanwhile.
final class RefusingPort: Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ReceiverError.didNotStart("socket failed") }
        for _ in 0..<200 {
            let port = Int.random(in: 20000...32767)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            if bound {
                self.port = port
                self.descriptor = descriptor
                return
            }
        }
        close(descriptor)
        throw ReceiverError.didNotStart("no free port between 20000 and 32767")
    }

    deinit {
        close(descriptor)
    }
}
