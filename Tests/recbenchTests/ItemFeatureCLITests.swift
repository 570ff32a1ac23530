import Foundation
import Testing
import RecBench

/// `--item-features` on the command line: coverage in `stats`, and exit code 2 on bad input.
@Suite("Item features CLI", .serialized)
struct ItemFeatureCLITests {
    /// Plays of items a, b, c; features for a (2) and b (1), and one line for an unknown item.
    func files(_ scratch: Scratch) -> (data: String, features: String) {
        (scratch.write("plays.tsv", "u1\ta\t1\nu1\tb\t1\nu2\tc\t1\n"),
         scratch.write("features.tsv", "a\trock\na\ttempo=120\nb\tjazz\nz\tpop\n"))
    }

    @Test func statsReportsFeatureCoverageInTextAndJSON() throws {
        let scratch = Scratch()
        let (data, features) = files(scratch)
        let text = try CLI.run(["stats", data, "--item-features", "table:" + features])
        #expect(text.status == 0, "\(text.stderr)")
        // 2 of 3 items covered (66.7%); per covered item 2 and 1: mean 1.50, median 1.5, max 2; 3 features used.
        #expect(text.stdout.contains("item features      \(features): 3 features"))
        #expect(text.stdout.contains("items with feature 2 of 3 (66.7%)"))
        #expect(text.stdout.contains("features per item  mean 1.50  median 1.50  max 2"))
        #expect(text.stdout.contains("1 line(s) name an item that is not in the dataset"))
        let json = try CLI.run(["stats", data, "--item-features", features, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let coverage = try #require(object?["itemFeatures"] as? [String: Any])
        #expect(coverage["coveredItems"] as? Int == 2 && coverage["items"] as? Int == 3 && coverage["features"] as? Int == 3)
        #expect((coverage["featuresPerItem"] as? [String: Any])?["median"] as? Double == 1.5)
    }

    @Test func statsWithoutFeaturesHasNoCoverage() throws {
        let scratch = Scratch()
        let (data, _) = files(scratch)
        let json = try CLI.run(["stats", data, "--json"])      // auto: a delimited file has none
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["itemFeatures"] == nil)
        #expect(!json.stdout.contains("item features"))
    }

    @Test func aBadFeaturesFileExitsWithCode2NamingTheFileAndLine() throws {
        let scratch = Scratch()
        let (data, _) = files(scratch)
        let bad = scratch.write("bad.tsv", "a\trock\na\tjazz\tlots\n")
        let output = try CLI.run(["stats", data, "--item-features", "table:" + bad])
        #expect(output.status == 2)
        #expect(output.stderr.contains("\(bad):2: the weight 'lots' is not a number"))
        let missing = try CLI.run(["stats", data, "--item-features", "table:" + scratch.path + "/nope.tsv"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.tsv: no such file"))
    }

    @Test func theEmbeddedLastFM2KReportsItsTagCoverage() throws {
        let output = try CLI.run(["stats", "lastfm-2k", "--top", "0"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("item features      lastfm-tags: 9,718 features"))
        #expect(output.stdout.contains("items with feature 12,133 of 17,632 (68.8%)"))
        let none = try CLI.run(["stats", "lastfm-2k", "--top", "0", "--item-features", "none"])
        #expect(!none.stdout.contains("item features"))
    }
}
