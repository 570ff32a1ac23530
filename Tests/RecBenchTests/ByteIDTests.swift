import Foundation
import Testing
@testable import RecBench

/// Ids are their bytes: two ids are one id only when their bytes are equal, in every loader.
@Suite("Ids are bytes")
struct ByteIDTests {
    let folder = TemporaryFolder()

    /// "café" in NFC (é = C3 A9) and in NFD (e + combining acute, 65 CC 81).
    static let nfc: [UInt8] = Array("caf".utf8) + [0xC3, 0xA9]
    static let nfd: [UInt8] = Array("cafe".utf8) + [0xCC, 0x81]

    func delimited(_ rows: [[UInt8]], encoding: TextEncoding = .utf8) throws -> Dataset {
        var bytes: [UInt8] = []
        for row in rows { bytes += row + [0x0A] }
        let file = folder.write("data.tsv", bytes: bytes)
        return try DatasetLoader.parse(.delimited(DelimitedOptions(path: file, encoding: encoding)))
    }

    func row(_ user: String, _ item: [UInt8], _ value: String = "1") -> [UInt8] {
        Array(user.utf8) + [0x09] + item + [0x09] + Array(value.utf8)
    }

    @Test func nfcAndNfdSpellingsAreTwoItems() throws {
        let dataset = try delimited([row("u", Self.nfc), row("u", Self.nfd), row("v", Self.nfc)])
        #expect(dataset.itemCount == 2)
        #expect(dataset.items.rawIDBytes(at: 0) == Self.nfc)
        #expect(dataset.items.rawIDBytes(at: 1) == Self.nfd)
        #expect(dataset.items.position(ofBytes: Self.nfd) == 1)
        #expect(dataset.items.position(of: "caf\u{E9}") == 0)
        #expect(dataset.items.position(of: "cafe\u{301}") == 1)
    }

    @Test func invalidUTF8BytesStayDistinct() throws {
        let a: [UInt8] = [0x78, 0xFF], b: [UInt8] = [0x78, 0xFE]
        let dataset = try delimited([row("u", a), row("u", b), row("u", Array("x\u{FFFD}".utf8))])
        #expect(dataset.itemCount == 3)
        #expect(dataset.items.rawIDBytes(at: 0) == a)
        #expect(dataset.items.rawIDBytes(at: 1) == b)
        #expect(dataset.items.position(ofBytes: b) == 1)
        #expect(dataset.items.rawID(at: 0) == "x\u{FFFD}")         // display may be lossy
        #expect(dataset.items.position(of: "x\u{FFFD}") == 2)      // identity is not
    }

    @Test func numberingIsByFirstAppearance() throws {
        let dataset = try delimited([row("b", Array("z".utf8)), row("a", Array("y".utf8)), row("b", Array("y".utf8)), row("c", Array("x".utf8))])
        #expect((0..<dataset.userCount).map { dataset.users.rawID(at: $0) } == ["b", "a", "c"])
        #expect((0..<dataset.itemCount).map { dataset.items.rawID(at: $0) } == ["z", "y", "x"])
    }

    @Test func latin1IdentityIsTheRawBytes() throws {
        let latin1: [UInt8] = Array("caf".utf8) + [0xE9]           // é in ISO-8859-1
        let dataset = try delimited([row("u", latin1), row("u", Self.nfc)], encoding: .latin1)
        #expect(dataset.itemCount == 2)
        #expect(dataset.items.rawIDBytes(at: 0) == latin1)
        #expect(dataset.items.rawIDBytes(at: 1) == Self.nfc)
        #expect(dataset.items.rawID(at: 0) == "caf\u{E9}")
        #expect(dataset.items.position(of: dataset.items.rawID(at: 0)) == 0)
        #expect(dataset.items.position(ofBytes: Self.nfc) == 1)
    }

    @Test func integerIdsAreTheirDecimalBytes() throws {
        let file = folder.write("user_artist_data.txt", "1 89 5\n2 1000 3\n")
        let dataset = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(userArtistData: file)))
        #expect(dataset.items.rawIDBytes(at: 0) == Array("89".utf8))
        #expect(dataset.items.position(ofBytes: Array("1000".utf8)) == 1)
        #expect(dataset.items.position(ofBytes: "1000".utf8) == 1)
        #expect(dataset.items.position(ofBytes: Array("01000".utf8)[1...]) == 1)
        #expect(dataset.items.position(ofBytes: Array("089".utf8)) == nil)
        #expect(dataset.items.position(ofBytes: Array("+89".utf8)) == nil)
        #expect(dataset.items.position(of: "89") == 0)
    }

    @Test func integerLoadersRefuseIdsWithALeadingZeroOrSign() throws {
        let scrobbles = folder.write("user_artist_data.txt", "1 7 5\n1 07 3\n")
        let error = datasetError { _ = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(userArtistData: scrobbles))) }
        #expect(error == .malformedLine(file: scrobbles, line: 2, reason: "the artist id '07' is not a plain decimal integer (a leading zero or sign); ids are compared as bytes"))
        let ratings = folder.write("u.data", "1\t7\t5\t0\n+1\t8\t5\t0\n")
        let movieLens = datasetError { _ = try DatasetLoader.parse(.movieLens(MovieLensOptions(ratings: ratings, feedback: .weights))) }
        #expect(movieLens?.description.contains(":2: the user id '+1' is not a plain decimal integer") == true)
        // Zero itself is plain.
        let zero = folder.write("zero.txt", "0 0 1\n")
        #expect(try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(userArtistData: zero))).items.rawIDBytes(at: 0) == [0x30])
    }

    @Test func aDoubledQuoteInsideAQuotedIdIsOneQuote() throws {
        let file = folder.write("d.csv", "\"a\"\"b\",x,1\n\"a\"\"b\",y,1\nc,\"x\",1\n")
        let dataset = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file, delimiter: ",", quotes: true)))
        #expect(dataset.userCount == 2)
        #expect(dataset.users.rawIDBytes(at: 0) == Array("a\"b".utf8))
        #expect(dataset.itemCount == 2)
    }

    @Test func vocabularyEqualityAndSubsetsKeepBytes() {
        let vocabulary = Vocabulary(strings: ["caf\u{E9}", "cafe\u{301}", "x"])
        #expect(vocabulary.count == 3)
        #expect(vocabulary != Vocabulary(strings: ["cafe\u{301}", "caf\u{E9}", "x"]))
        let subset = vocabulary.subset([1, 2])
        #expect(subset.rawIDBytes(at: 0) == Self.nfd)
        #expect(subset.position(ofBytes: Self.nfc) == nil)
        #expect(subset.position(of: "x") == 1)
    }

    @Test func lookupsScaleToManyIds() {
        var bytes = RawIDBytes()
        for n in 0..<50_000 { bytes.append("id-\(n)".utf8) }
        let vocabulary = Vocabulary(bytes: bytes)
        #expect(vocabulary.position(of: "id-0") == 0)
        #expect(vocabulary.position(of: "id-49999") == 49_999)
        #expect(vocabulary.position(of: "id-50000") == nil)
        #expect((0..<50_000).allSatisfy { vocabulary.position(ofBytes: vocabulary.rawIDBytes(at: $0)) == $0 })
    }
}
