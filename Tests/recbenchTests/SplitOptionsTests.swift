import Foundation
import Testing
import RecBench
@testable import recbench

/// The command line decodes splits and formats through the library: unknown names and bad
/// values are usage errors (exit status 2) whose messages come from the library's typed errors.
@Suite("Split and format options", .serialized)
struct SplitOptionsTests {
    @Test func theSplitOptionsDecodeThroughTheLibrary() throws {
        let options = try SplitOptions.parse(["--split", "temporal-user", "--fraction", "0.3", "--minimum", "4"])
        #expect(try options.method == SplitMethod(parsing: "temporal-user:fraction=0.3,minimum=4"))
        #expect(options.applicable == [.fraction, .minimum])
        #expect(try SplitOptions.parse(["--split", "holdout"]).applicable == [.fraction, .minimum, .seed])
        #expect(try SplitOptions.parse(["--selection", "latest"]).applicable == [.selection, .minimum])
    }

    @Test func anUnknownSplitOrABadValueExitsWithTwoNamingThePart() throws {
        let scratch = Scratch()
        let unknown = try CLI.run(["split", "lastfm-2k", "--split", "bootstrap", "--out", scratch.path + "/s"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "error: unknown split 'bootstrap'; use one of \(SplitMethod.names.joined(separator: ", "))\n")
        let bad = try CLI.run(["split", "lastfm-2k", "--split", "holdout", "--fraction", "1.5", "--out", scratch.path + "/s"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "error: the split holdout: fraction = '1.5' is invalid: it must be in (0, 1)\n")
    }

    @Test func anUnknownFormatExitsWithTwoListingTheLibrarysFormats() throws {
        let output = try CLI.run(["stats", "lastfm-2k", "--format", "parquet"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("--format parquet: there is no such format; use one of auto, audioscrobbler, lastfm, movielens, yahoo-r1, yahoo-r3, delimited, events"))
    }
}
