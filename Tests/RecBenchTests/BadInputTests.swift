import Foundation
import Testing
@testable import RecBench

/// Every kind of bad input gives one error that names the file, the line and the reason.
@Suite("Bad input")
struct BadInputTests {
    let folder = TemporaryFolder()

    func audioscrobbler(_ text: String) -> (String, DatasetError?) {
        let file = folder.write("user_artist_data.txt", text)
        return (file, datasetError { _ = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(userArtistData: file))) })
    }

    @Test func missingFileIsNamed() {
        let path = folder.path + "/nope.txt"
        let error = datasetError { _ = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(userArtistData: path))) }
        #expect(error == .fileNotFound(path: path))
        #expect(error?.description == "\(path): no such file")
    }

    @Test func emptyFileIsRejected() {
        let (file, error) = audioscrobbler("")
        #expect(error == .emptyFile(path: file))
    }

    @Test func directoryWhereAFileIsExpected() {
        let error = datasetError { _ = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(userArtistData: folder.path))) }
        #expect(error == .notAFile(path: folder.path))
    }

    @Test func wrongColumnCountNamesTheLine() {
        let (file, error) = audioscrobbler("1 10 5\n1 20\n")
        #expect(error == .malformedLine(file: file, line: 2, reason: "expected 3 fields separated by single spaces (user artist playcount), found 2"))
    }

    @Test func tabsInsteadOfSpacesGetAHint() {
        let (_, error) = audioscrobbler("1\t10\t5\n")
        #expect(error?.description.contains("this format uses single spaces") == true)
    }

    @Test func nonNumericIdIsRejected() {
        let (file, error) = audioscrobbler("1 10 5\nabc 20 3\n")
        #expect(error == .malformedLine(file: file, line: 2, reason: "the user id 'abc' is not a non-negative integer"))
    }

    @Test func nonNumericCountIsRejected() {
        let (file, error) = audioscrobbler("1 10 5x\n")
        #expect(error == .malformedLine(file: file, line: 1, reason: "the play count '5x' is not a non-negative integer"))
    }

    @Test func negativeCountIsRejected() {
        let (file, error) = audioscrobbler("1 10 5\n1 11 -3\n")
        #expect(error == .malformedLine(file: file, line: 2, reason: "the play count '-3' is negative"))
    }

    @Test func overflowingCountIsRejected() {
        let (file, error) = audioscrobbler("1 10 99999999999999999999999\n")
        #expect(error == .malformedLine(file: file, line: 1, reason: "the play count '99999999999999999999999' overflows a 64-bit integer"))
        let (_, tooBig) = audioscrobbler("1 10 4294967296\n")
        #expect(tooBig?.description.contains("overflows the largest supported count 2147483647") == true)
    }

    @Test func blankAndWhitespaceLinesAreRejected() {
        let (file, blank) = audioscrobbler("1 10 5\n\n1 11 2\n")
        #expect(blank == .malformedLine(file: file, line: 2, reason: "the line is blank"))
        let (_, spaces) = audioscrobbler("1 10 5\n1 11 2\n \t \n")
        #expect(spaces == .malformedLine(file: file, line: 3, reason: "the line is blank"))
    }

    @Test func aliasCycleIsReportedWithItsIds() {
        let data = folder.write("user_artist_data.txt", "1 10 5\n")
        let alias = folder.write("artist_alias.txt", "5\t6\n10\t20\n20\t30\n30\t10\n")
        let error = datasetError { _ = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(userArtistData: data, artistAlias: alias))) }
        #expect(error == .aliasCycle(file: alias, line: 2, ids: ["10", "20", "30"]))
        #expect(error?.description == "\(alias):2: artist aliases form a cycle: 10 -> 20 -> 30 -> 10")
    }

    @Test func malformedAliasLineIsRejected() {
        let data = folder.write("user_artist_data.txt", "1 10 5\n")
        let alias = folder.write("artist_alias.txt", "5\t6\n7\n")
        let error = datasetError { _ = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(userArtistData: data, artistAlias: alias))) }
        #expect(error == .malformedLine(file: alias, line: 2, reason: "expected 2 tab-separated fields (bad id, good id), found 1"))
    }

    @Test func unknownColumnNameListsTheHeader() {
        let file = folder.write("data.tsv", "user\titem\tcount\nu\ti\t1\n")
        let options = DelimitedOptions(path: file, header: true, user: .name("user"), item: .name("track"), value: .name("count"))
        let error = datasetError { _ = try DatasetLoader.parse(.delimited(options)) }
        #expect(error == .unknownColumn(file: file, line: 1, name: "track", available: ["user", "item", "count"]))
    }

    @Test func delimitedRowWithTheWrongFieldCount() {
        let file = folder.write("data.tsv", "u\ti\t1\nu\tj\t2\textra\n")
        let error = datasetError { _ = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file))) }
        #expect(error == .malformedLine(file: file, line: 2, reason: "expected 3 tab-separated fields like the first line, found 4"))
    }

    @Test func delimitedNonNumericValue() {
        let file = folder.write("data.tsv", "u\ti\tlots\n")
        let error = datasetError { _ = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file))) }
        #expect(error == .malformedLine(file: file, line: 1, reason: "the value 'lots' is not a finite number"))
    }

    @Test func delimitedBadTimestamp() {
        let file = folder.write("data.tsv", "u\ti\t1\tyesterday\n")
        let error = datasetError { _ = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file, timestamp: .index(3)))) }
        #expect(error?.description.hasSuffix(":1: the timestamp 'yesterday' is neither integer Unix seconds nor an ISO 8601 date-time") == true)
    }

    @Test func unterminatedQuoteIsRejected() {
        let file = folder.write("ratings.csv", "userId,movieId,rating,timestamp\n1,\"10,4,5\n")
        let error = datasetError { _ = try DatasetLoader.parse(.movieLens(MovieLensOptions(ratings: file))) }
        #expect(error == .malformedLine(file: file, line: 2, reason: "a quoted field is not closed"))
    }

    @Test func hetrecNegativeWeightIsRejected() {
        let file = folder.write("user_artists.dat", "userID\tartistID\tweight\n2\t51\t-4\n")
        let error = datasetError { _ = try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(userArtists: file))) }
        #expect(error == .malformedLine(file: file, line: 2, reason: "the count '-4' is negative"))
    }

    @Test func headerOnlyFileIsEmpty() {
        let file = folder.write("user_artists.dat", "userID\tartistID\tweight\n")
        let error = datasetError { _ = try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(userArtists: file))) }
        #expect(error == .emptyFile(path: file))
    }

    @Test func folderWithoutKnownFilesSaysWhatItExpected() {
        let error = datasetError { _ = try AudioscrobblerOptions(directory: folder.path) }
        #expect(error == .missingFiles(directory: folder.path, expected: ["user_artist_data.txt", "user_artist_data_small.txt"]))
    }

    // MARK: Traps and hangs found by the audit (issue 12)

    @Test func headerWithFewerFieldsThanTheColumnsIsAnError() {
        let file = folder.write("data.tsv", "user\titem\nu\ti\n")
        let error = datasetError { _ = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file, header: true))) }
        #expect(error == .malformedLine(file: file, line: 1, reason: "the header has 2 tab-separated field(s); the value column 2 is not among them"))
    }

    @Test func columnIndicesOutOfRangeAreErrors() {
        let file = folder.write("data.tsv", "u\ti\t1\n")
        for index in [Int.max, 65_536, -1, Int.min] {
            let error = datasetError { _ = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file, user: .index(index)))) }
            #expect(error == .invalidOption(file: file, reason: "the user column index \(index) is out of range: a column index is 0 to 65535"))
        }
        let wide = datasetError { _ = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file, timestamp: .index(65_535)))) }
        #expect(wide == .malformedLine(file: file, line: 1, reason: "expected at least 65536 tab-separated fields for the timestamp column 65535, found 3"))
    }

    @Test func movieLensDatLineWithASingleColonIsAnError() {
        let ratings = folder.write("ml-1m/ratings.dat", "1::10::5::978300760\n")
        let movies = folder.write("ml-1m/movies.dat", "10::Heat (1995)::Action\n20:Broken\n")
        let error = datasetError { _ = try DatasetLoader.parse(.movieLens(MovieLensOptions(ratings: ratings, items: movies))) }
        #expect(error == .malformedLine(file: movies, line: 2, reason: "expected id::title::genres, found '20:Broken'"))
        let badRatings = folder.write("ml-1m/ratings.dat", "1::10::5::978300760\n1:20::5::978300760\n")
        let single = datasetError { _ = try DatasetLoader.parse(.movieLens(MovieLensOptions(ratings: badRatings))) }
        #expect(single == .malformedLine(file: badRatings, line: 2, reason: "fields must be separated by exactly '::', found '1:20::5::978300760'"))
        let shifted = folder.write("ml-1m/ratings.dat", "1::10::5::978300760\n1::2:0::5::978300760\n")
        #expect(datasetError { _ = try DatasetLoader.parse(.movieLens(MovieLensOptions(ratings: shifted))) } != nil)
    }

    @Test func movieLensDatTitlesKeepTheirColons() throws {
        let ratings = folder.write("ml-1m/ratings.dat", "1::10::5::978300760\n1::20::4::978300761\n")
        let movies = folder.write("ml-1m/movies.dat", bytes: Array("10::Star Wars: Episode IV - A New Hope (1977)::Action|Sci-Fi\n20::Caf".utf8) + [0xE9] + Array(": Paris::Drama\n".utf8))
        let dataset = try DatasetLoader.parse(.movieLens(MovieLensOptions(ratings: ratings, items: movies, feedback: .weights)))
        #expect(dataset.items.displayName(at: try #require(dataset.items.position(of: "10"))) == "Star Wars: Episode IV - A New Hope (1977)")
        #expect(dataset.items.displayName(at: try #require(dataset.items.position(of: "20"))) == "Caf\u{E9}: Paris")
    }

    @Test(.timeLimit(.minutes(1)))
    func longAliasChainsResolveInLinearTime() throws {
        // 30,000 links: the cubic resolution took about 58 s for 8,000 and would take an hour here.
        let links = 30_000
        var text = ""
        for id in 1...links { text += "\(id)\t\(id + 1)\n" }
        let alias = folder.write("artist_alias.txt", text)
        let data = folder.write("user_artist_data.txt", "1 1 5\n1 15000 3\n2 \(links + 1) 1\n")
        let dataset = try DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(userArtistData: data, artistAlias: alias)))
        #expect(dataset.itemCount == 1)
        #expect(dataset.items.rawID(at: 0) == "\(links + 1)")
        #expect(dataset.value(user: "1", item: "\(links + 1)") == 8)
        #expect(dataset.report.aliasesApplied == 2)
        // A cycle as long is still found, with its first line and every id in order.
        let cycle = folder.write("cycle.txt", "40000\t40001\n" + text + "\(links + 1)\t1\n")
        let error = datasetError { _ = try ArtistAliases.read(cycle) }
        #expect(error == .aliasCycle(file: cycle, line: 2, ids: (1...(links + 1)).map(String.init)))
        #expect(error?.description == "\(cycle):2: artist aliases form a cycle: 1 -> 2 -> 3 -> 4 -> 5 -> 6 -> 7 -> 8 -> 9 -> 10 -> … (29981 more) -> "
                + "29992 -> 29993 -> 29994 -> 29995 -> 29996 -> 29997 -> 29998 -> 29999 -> 30000 -> 30001 -> 1")
    }

    @Test func aliasChainsThatMeetResolveToTheSameEnd() throws {
        let alias = folder.write("artist_alias.txt", "1\t2\n3\t2\n2\t4\n5\t3\n4\t9\n")
        let resolved = try ArtistAliases.read(alias)
        #expect([1, 2, 3, 4, 5].map { resolved.table.value(for: $0) } == [9, 9, 9, 9, 9])
        #expect(resolved.table.value(for: 9) == nil)
    }

    @Test func classicMacLineEndsAreLinesNotLostData() throws {
        let ratings = folder.write("u.data", "1\t10\t5\t100\r1\t20\t3\t200\r2\t10\t4\t300\r")
        let dataset = try DatasetLoader.parse(.movieLens(MovieLensOptions(ratings: ratings, feedback: .weights)))
        #expect(dataset.report.rowsRead == 3)
        #expect(dataset.interactionCount == 3)
        #expect(dataset.value(user: "1", item: "20") == 3)
        let threshold = try DatasetLoader.parse(.movieLens(MovieLensOptions(ratings: ratings)))
        #expect(threshold.interactionCount == 2)
        var lines: [String] = []
        let file = folder.write("cr.txt", "a\rb\r\rc")
        try LineReader(path: file).forEachLine { (line, _) throws(DatasetError) in lines.append(String(decoding: line, as: UTF8.self)) }
        #expect(lines == ["a", "b", "", "c"])
    }

    @Test func aThresholdThatDropsEveryRatingIsAnError() {
        let ratings = folder.write("u.data", "1\t10\t2\t100\n1\t20\t3\t200\n")
        let error = datasetError { _ = try DatasetLoader.parse(.movieLens(MovieLensOptions(ratings: ratings))) }
        #expect(error == .noInteractions(file: ratings, reason: "every one of the 2 rating(s) is below the threshold 4.0 (use --rating-threshold or --rating-weights)"))
    }

    @Test func aPreparationThatLeavesNothingIsAnError() throws {
        let file = folder.write("d.tsv", "a\tx\t1\nb\ty\t2\n")
        let dataset = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file)))
        let error = datasetError { _ = try Preparation([.dropNonPositive, .minimumInteractions(user: 2, item: 0)]).apply(to: dataset) }
        #expect(error?.description.hasPrefix("\(dataset.name): no interactions left: the preparation step minimumInteractions(user: 2, item: 0) removed every interaction (users 2, items 2, interactions 2 before it)") == true)
        let zeros = folder.write("z.tsv", "a\tx\t0\nb\ty\t-1\n")
        let allZero = datasetError { _ = try Preparation().apply(to: DatasetLoader.parse(.delimited(DelimitedOptions(path: zeros)))) }
        #expect(allZero?.description.contains("no interactions left: the preparation step dropNonPositive removed every interaction") == true)
    }

    @Test func aConfidenceThatIsNotFiniteIsAnError() throws {
        let file = folder.write("d.tsv", "a\tx\t1\nb\ty\t2\n")
        let dataset = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file)))
        let error = datasetError { _ = try Preparation([.confidence(.logarithmic(alpha: 1, epsilon: 0))]).apply(to: dataset) }
        #expect(error?.description.contains("is not a finite number") == true)
    }

    @Test func duplicateValuesSummingBeyondTheFloatRangeNameTheLine() {
        let file = folder.write("d.tsv", "u\ti\t3e38\nv\tj\t1\nu\tk\t1\nu\ti\t3e38\n")
        let error = datasetError { _ = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file))) }
        #expect(error == .malformedLine(file: file, line: 4, reason: "the values of user 'u' and item 'i' add up beyond the 32-bit float range: rows of one pair are summed, and this row's value '3e38' makes the sum inf"))
        let negative = folder.write("n.tsv", "v\tj\t1\nu\ti\t-3e38\nu\ti\t-3e38\n")
        let below = datasetError { _ = try DatasetLoader.parse(.delimited(DelimitedOptions(path: negative))) }
        #expect(below?.description.hasPrefix("\(negative):3: the values of user 'u' and item 'i' add up beyond") == true)
    }

    @Test func tagDatesWithAnImpossibleYearAreAnError() {
        let main = folder.write("user_artists.dat", "userID\tartistID\tweight\n2\t51\t13883\n")
        let tags = folder.write("user_taggedartists.dat", "userID\tartistID\ttagID\tday\tmonth\tyear\n2\t51\t13\t1\t4\t9223372036854775807\n")
        let error = datasetError { _ = try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(userArtists: main, taggedArtists: tags))) }
        #expect(error == .malformedLine(file: tags, line: 2, reason: "day 1 / month 4 / year 9223372036854775807 is not a date (years 1 to 9999)"))
    }

    // MARK: File content in messages

    @Test func fileContentInMessagesIsEscapedAndCut() {
        let file = folder.write("d.tsv", bytes: Array("u\ti\t\u{1B}[31m".utf8) + [UInt8](repeating: 0x41, count: 2_000_000) + [0x0A])
        let error = datasetError { _ = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file))) }
        let message = error?.description ?? ""
        #expect(message == "\(file):1: the value '\\u{1B}[31m\(String(repeating: "A", count: 75))…' is not a finite number")
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func aHugeHeaderIsCutInTheUnknownColumnMessage() {
        let names = (0..<50_000).map { "c\($0)\u{1B}" }
        let file = folder.write("d.tsv", names.joined(separator: "\t") + "\n" + names.map { _ in "1" }.joined(separator: "\t") + "\n")
        let error = datasetError { _ = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file, header: true, user: .name("nope")))) }
        let message = error?.description ?? ""
        #expect(message.utf8.count < 1_000)
        #expect(message.hasSuffix("'c19\\u{1B}' and 49980 more"))
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func quotationEscapesControlsAndInvalidBytesAndCutsAt80Characters() {
        func quote(_ bytes: [UInt8]) -> String { bytes.withUnsafeBufferPointer { FieldParsing.quote($0) } }
        #expect(quote(Array("abc".utf8)) == "'abc'")
        #expect(quote([0x61, 0x09, 0x0A, 0x0D, 0x1B, 0x7F, 0x27, 0x5C]) == "'a\\t\\n\\r\\u{1B}\\u{7F}\\'\\\\'")
        #expect(quote([0x78, 0xFF, 0xC3]) == "'x\\xFF\\xC3'")
        #expect(quote(Array("\u{202E}evil".utf8)) == "'\\u{202E}evil'")
        #expect(quote(Array(String(repeating: "é", count: 80).utf8)) == "'" + String(repeating: "é", count: 80) + "'")
        #expect(quote(Array(String(repeating: "é", count: 81).utf8)) == "'" + String(repeating: "é", count: 80) + "…'")
        #expect(FieldParsing.quote(String(repeating: "ab", count: 1_000)) == "'" + String(repeating: "ab", count: 40) + "…'")
        #expect(FieldParsing.quote("\u{1B}") == "'\\u{1B}'")
    }

    @Test func delimiterOptionsThatCannotWorkAreErrorsNamingTheFile() {
        let file = folder.write("d.tsv", "u\ti\t1\n")
        let long = datasetError { _ = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file, delimiter: "\u{1B}\u{1B}"))) }
        #expect(long == .invalidOption(file: file, reason: "the delimiter must be one character (or tab, space, comma), got '\\u{1B}\\u{1B}'"))
        let newline = datasetError { _ = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file, delimiter: "\n"))) }
        #expect(newline == .invalidOption(file: file, reason: "the delimiter cannot be a line end"))
        let named = datasetError { _ = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file, timestamp: .name("-1")))) }
        #expect(named?.description == "\(file):1: no column named '-1': the file is read without a header line (name columns with a header, or give 0-based indices)")
    }

    @Test func aControlByteDelimiterIsQuotedInMessages() {
        let file = folder.write("d.tsv", "u\u{1B}i\n")
        let error = datasetError { _ = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file, delimiter: "\u{1B}"))) }
        #expect(error?.description.contains("'\\u{1B}'-separated fields") == true)
    }

    @Test func aLineLongerThanTheLimitIsAnErrorNotUnboundedMemory() {
        let file = folder.write("data.tsv", "u\ti\t1\n" + String(repeating: "x", count: 5_000) + "\n")
        var reader = LineReader(path: file)
        reader.chunkSize = 1024
        reader.maximumLineLength = 4096
        let error = datasetError { try reader.forEachLine { (_, _) throws(DatasetError) in } }
        #expect(error == .malformedLine(file: file, line: 2, reason: "the line is longer than 4096 bytes (is this a text file with line ends?)"))
    }

    @Test func veryLongLinesAreStillParsed() throws {
        let long = String(repeating: "x", count: 100_000)
        let file = folder.write("data.tsv", "u\t\(long)\t1\nv\ty\t2\n")
        var reader = LineReader(path: file)
        reader.chunkSize = 1024
        var lengths: [Int] = []
        try reader.forEachLine { (line, _) throws(DatasetError) in lengths.append(line.count) }
        #expect(lengths == [100_000 + 4, 5])
    }
}
