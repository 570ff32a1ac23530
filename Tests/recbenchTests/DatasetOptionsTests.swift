import Foundation
import Testing
import RecBench
@testable import recbench

/// Dataset options apply to the format that is read, or are an error: never ignored.
@Suite("Dataset options", .serialized)
struct DatasetOptionsTests {
    /// A MovieLens 100K-format folder: 6 ratings, 2 of them >= 4.
    func movieLens(_ scratch: Scratch) -> String {
        let folder = scratch.path + "/ml"
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: folder + "/u.data", contents: Data("1\t10\t5\t100\n1\t20\t3\t101\n2\t10\t4\t102\n2\t30\t1\t103\n3\t20\t2\t104\n3\t30\t3\t105\n".utf8))
        return folder
    }

    func interactions(_ output: CLI.Output) throws -> Int? {
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        return object?["interactions"] as? Int
    }

    @Test func ratingOptionsApplyToMovieLensFoundByItsFileNames() throws {
        let scratch = Scratch()
        let folder = movieLens(scratch)
        let weights = try CLI.run(["stats", folder, "--rating-weights", "--json"])
        #expect(weights.status == 0, "\(weights.stderr)")
        #expect(try interactions(weights) == 6)
        let threshold = try CLI.run(["stats", folder, "--rating-threshold", "3", "--json"])
        #expect(try interactions(threshold) == 4)
        let byDefault = try CLI.run(["stats", folder, "--json"])
        #expect(try interactions(byDefault) == 2)
        let forced = try CLI.run(["stats", folder, "--format", "movielens", "--rating-weights", "--json"])
        #expect(try interactions(forced) == 6)
    }

    @Test func delimitedOptionsOnAnotherFormatAreUsageErrors() throws {
        let scratch = Scratch()
        let folder = movieLens(scratch)
        let onMovieLens = try CLI.run(["stats", folder, "--user-column", "1"])
        #expect(onMovieLens.status == 2)
        #expect(onMovieLens.stderr == "error: --user-column does nothing here: \(folder) is recognised as MovieLens; --user-column applies only to a delimited file (--format delimited or events)\n")
        let onLastFM = try CLI.run(["stats", "lastfm-2k", "--header", "--delimiter", "comma"])
        #expect(onLastFM.status == 2)
        #expect(onLastFM.stderr.contains("--delimiter, --header do nothing here: lastfm-2k is recognised as Last.fm (HetRec)"))
        let forced = try CLI.run(["stats", "audioscrobbler-sample", "--format", "audioscrobbler", "--value-column", "none"])
        #expect(forced.status == 2)
        #expect(forced.stderr.contains("is read as Audioscrobbler (--format audioscrobbler)"))
        let ratingOnDelimited = try CLI.run(["stats", scratch.write("plays.tsv", "u\ti\t1\n"), "--rating-weights"])
        #expect(ratingOnDelimited.status == 2)
        #expect(ratingOnDelimited.stderr.contains("--rating-weights applies to MovieLens ratings only"))
        let both = try CLI.run(["stats", folder, "--rating-weights", "--rating-threshold", "3"])
        #expect(both.status == 2)
        let eventsValue = try CLI.run(["stats", scratch.write("e.tsv", "u\ti\n"), "--format", "events", "--value-column", "2"])
        #expect(eventsValue.status == 2)
    }

    @Test func delimitedOptionsApplyToAFileRecognisedAsDelimited() throws {
        let scratch = Scratch()
        let file = scratch.write("plays.csv", "who,what,n\nalice,song a,3\nbob,song a,2\n")
        let output = try CLI.run(["stats", file, "--delimiter", "comma", "--header", "--user-column", "who",
                                  "--item-column", "what", "--value-column", "n", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try interactions(output) == 2)
    }

    @Test func hugeColumnIndexExitsWithTwo() throws {
        let scratch = Scratch()
        let file = scratch.write("d.tsv", "u\ti\t1\n")
        let output = try CLI.run(["stats", file, "--format", "delimited", "--user-column", "9223372036854775807"])
        #expect(output.status == 2)
        #expect(output.stderr == "error: \(file): the user column index 9223372036854775807 is out of range: a column index is 0 to 65535\n")
    }

    @Test func floatOverflowIsAnErrorNamingTheLineNotAnEncodingFailure() throws {
        let scratch = Scratch()
        let file = scratch.write("d.tsv", "u\ti\t3e38\nu\ti\t3e38\n")
        let output = try CLI.run(["stats", file, "--format", "delimited", "--json"])
        #expect(output.status == 2)
        #expect(output.stderr.hasPrefix("error: \(file):2: the values of user 'u' and item 'i' add up beyond the 32-bit float range"))
    }

    @Test func statsJSONNeverFailsOnEncoding() throws {
        let matrix = InteractionMatrix(rowCount: 1, columnCount: 2, rowOffsets: [0, 2], columns: [0, 1], values: [.infinity, 1])
        let dataset = Dataset(name: "d", users: Vocabulary(strings: ["u"]), items: Vocabulary(strings: ["a", "b"]), interactions: matrix)
        let json = try Stats.json(DatasetStatistics(dataset))
        #expect(json.contains("\"max\" : \"inf\""))
    }
}
