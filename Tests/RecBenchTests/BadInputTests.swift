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
