import Testing

@testable import Agent

@Suite struct RESPParserTests {
    private static let replies: [(String, RESPValue)] = [
        ("+OK\r\n", .simpleString("OK")),
        ("+\r\n", .simpleString("")),
        ("-ERR unknown command 'FOO'\r\n", .error("ERR unknown command 'FOO'")),
        (":0\r\n", .integer(0)),
        (":-42\r\n", .integer(-42)),
        (":9223372036854775807\r\n", .integer(.max)),
        (":-9223372036854775808\r\n", .integer(.min)),
        ("$5\r\nhello\r\n", .bulkString(Array("hello".utf8))),
        ("$0\r\n\r\n", .bulkString([])),
        ("$4\r\na\r\nb\r\n", .bulkString(Array("a\r\nb".utf8))),
        ("$-1\r\n", .bulkString(nil)),
        ("*0\r\n", .array([])),
        ("*-1\r\n", .array(nil)),
        ("*2\r\n$3\r\nfoo\r\n:7\r\n", .array([.bulkString(Array("foo".utf8)), .integer(7)])),
        (
            "*3\r\n*2\r\n+a\r\n*0\r\n$-1\r\n*1\r\n*1\r\n-ERR x\r\n",
            .array([.array([.simpleString("a"), .array([])]), .bulkString(nil), .array([.array([.error("ERR x")])])])
        ),
        (
            "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n",
            .array([.bulkString([0x30]), .array([.bulkString([0x61]), .bulkString([0x62])])])
        ),
    ]

    @Test(arguments: replies)
    func parsesAReplyFedWhole(_ wire: String, _ expected: RESPValue) throws {
        var parser = RESPParser()
        parser.append(Array(wire.utf8))
        #expect(try parser.next() == expected)
        #expect(try parser.next() == nil)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test(arguments: replies)
    func parsesAReplyFedByteByByte(_ wire: String, _ expected: RESPValue) throws {
        var parser = RESPParser()
        let bytes = Array(wire.utf8)
        var parsed: [RESPValue] = []
        for (index, byte) in bytes.enumerated() {
            parser.append([byte])
            if let value = try parser.next() {
                parsed.append(value)
                #expect(index == bytes.count - 1, "a reply must not complete before its last byte")
            }
        }
        #expect(parsed == [expected])
    }

    @Test(arguments: replies)
    func encodingAndParsingRoundTrip(_ wire: String, _ expected: RESPValue) throws {
        #expect(expected.encoded == Array(wire.utf8))
    }

    @Test func parsesSeveralRepliesFromOneChunkInOrder() throws {
        var parser = RESPParser()
        parser.append(Array("+PONG\r\n:1\r\n$3\r\nabc\r\n+OK".utf8))
        #expect(try parser.next() == .simpleString("PONG"))
        #expect(try parser.next() == .integer(1))
        #expect(try parser.next() == .bulkString(Array("abc".utf8)))
        #expect(try parser.next() == nil, "the last reply is not complete yet")
        parser.append(Array("\r\n".utf8))
        #expect(try parser.next() == .simpleString("OK"))
    }

    @Test func commandsAreArraysOfBulkStrings() {
        let wire = String(decoding: RESPValue.command(["SET", "key with space", "välue"]).encoded, as: UTF8.self)
        #expect(wire == "*3\r\n$3\r\nSET\r\n$14\r\nkey with space\r\n$6\r\nvälue\r\n")
    }

    @Test(arguments: [
        ("?junk\r\n", "unexpected reply type byte '?' (0x3F)"),
        ("HTTP/1.1 400 Bad Request\r\n", "unexpected reply type byte 'H' (0x48)"),
        ("\0", "unexpected reply type byte (0x0)"),
        ("%1\r\n", "unexpected reply type byte '%' (0x25)"),
        (":12a\r\n", "invalid integer \"12a\""),
        (":\r\n", "invalid integer \"\""),
        (":+5\r\n", "invalid integer \"+5\""),
        (":99999999999999999999\r\n", "invalid integer \"99999999999999999999\""),
        ("$-2\r\n", "invalid bulk string length \"-2\""),
        ("$abc\r\n", "invalid bulk string length \"abc\""),
        ("$3\r\nabcde\r\n", "bulk string of 3 bytes is not followed by CRLF"),
        ("*-5\r\n", "invalid array length \"-5\""),
        ("*1\r\n?", "unexpected reply type byte '?' (0x3F)"),
        ("+OK\n", "line feed without carriage return"),
        ("+OK\rX", "carriage return not followed by line feed"),
        ("$67108865\r\n", "reply too large: bulk string of 67108865 bytes exceeds the limit of 67108864"),
        ("*1048577\r\n", "reply too large: array of 1048577 elements exceeds the limit of 1048576"),
        (
            "$9223372036854775807\r\n",
            "reply too large: bulk string of 9223372036854775807 bytes exceeds the limit of 67108864"
        ),
    ])
    func refusesMalformedAndOversizeReplies(_ wire: String, _ message: String) {
        for feed in [[Array(wire.utf8)], wire.utf8.map { [$0] }] {
            var parser = RESPParser()
            let error = #expect(throws: RESPParser.ParseError.self) {
                for chunk in feed {
                    parser.append(chunk)
                    _ = try parser.next()
                }
            }
            #expect(error?.description == message)
        }
    }

    @Test func refusesALineLongerThanTheLimitBeforeItEnds() {
        var parser = RESPParser(limits: .init(maximumLineLength: 8))
        parser.append(Array("+12345678".utf8))
        #expect(throws: Never.self) { try parser.next() }
        parser.append(Array("9".utf8))
        let error = #expect(throws: RESPParser.ParseError.self) { try parser.next() }
        #expect(error == .tooLarge("line longer than 8 bytes"))
    }

    @Test func refusesArraysNestedTooDeep() throws {
        var parser = RESPParser(limits: .init(maximumNestingDepth: 3))
        parser.append(Array("*1\r\n*1\r\n*1\r\n:1\r\n".utf8))
        #expect(try parser.next() == .array([.array([.array([.integer(1)])])]))
        parser.append(Array("*1\r\n*1\r\n*1\r\n*1\r\n".utf8))
        let error = #expect(throws: RESPParser.ParseError.self) { try parser.next() }
        #expect(error == .tooLarge("arrays nested more than 3 deep"))
    }

    @Test func refusesAReplyLargerThanTheLimitInTotal() {
        var parser = RESPParser(limits: .init(maximumReplyBytes: 20))
        parser.append(Array("*3\r\n$4\r\nabcd\r\n$4\r\nefgh\r\n$4\r\nijkl\r\n".utf8))
        let error = #expect(throws: RESPParser.ParseError.self) { try parser.next() }
        #expect(error == .tooLarge("more than 20 bytes in one reply"))
    }

    @Test func aLargeReplyArrivingInPiecesIsParsedOnce() throws {
        let elements = (0..<10_000).map { RESPValue.bulkString(Array("key:\($0)".utf8)) }
        let wire = RESPValue.array(elements).encoded
        var parser = RESPParser()
        var result: RESPValue?
        for start in stride(from: 0, to: wire.count, by: 1_000) {
            parser.append(wire[start..<min(start + 1_000, wire.count)])
            if let value = try parser.next() { result = value }
        }
        #expect(result == .array(elements))
    }
}
