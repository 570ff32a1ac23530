import Foundation
import Testing
@testable import RecBench

/// `recbench evaluate` and `recbench split` under the cold-start protocols, end to end on the
/// embedded Last.fm 2K.
@Suite("recbench cold-start protocols", .serialized)
struct ColdStartCLITests {
    static let small = ["--param", "factors=8", "--param", "iterations=2"]

    func means(_ text: String) throws -> [String: Double] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let summaries = object["summaries"] as! [[String: Any]]
        return Dictionary(uniqueKeysWithValues: summaries.map { ($0["metric"] as! String, $0["mean"] as! Double) })
    }

    @Test func newUsersEvaluatesAFoldInAlgorithm() throws {
        let output = try CLI.run(["evaluate", "lastfm-2k", "--split", "new-users", "--algorithm", "als"] + Self.small
                                 + ["--metrics", "NDCG@10", "R@20", "--bootstrap", "0"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("new users: 0.2 of the users"))
        #expect(output.stdout.contains("candidates: all items except the user's fold-in items (new-user protocol)"))
        #expect(output.stdout.contains("NDCG@10"))
        #expect(!output.stdout.contains("fallback"))
    }

    @Test func newUsersRefusesANonFoldInAlgorithmWithExitTwo() throws {
        let output = try CLI.run(["evaluate", "lastfm-2k", "--split", "new-users", "--algorithm", "bpr", "--metrics", "NDCG@10"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("not applicable: BPR"))
        #expect(output.stderr.contains("cannot fold in a new user"))
        #expect(output.stdout.isEmpty)
    }

    @Test func newItemsWithAnInlineFractionShowsTheFallbackInTextAndJSON() throws {
        let arguments = ["evaluate", "lastfm-2k", "--split", "new-items:fraction=0.2", "--algorithm", "als"] + Self.small
            + ["--metrics", "NDCG@10", "R@20", "--bootstrap", "0"]
        let text = try CLI.run(arguments)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("new items: 0.2 of the items held out entirely"))
        #expect(text.stdout.contains("has no information on items without training interactions: ranked by random order"))
        let json = try CLI.run(arguments + ["--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let fallback = try #require(object["fallback"] as? [String: Any])
        #expect(fallback["users"] as? Int == object["evaluatedUsers"] as? Int)
        #expect((fallback["fallback"] as? String)?.hasPrefix("random order") == true)
        // The inline fraction is the option's: the same split.
        let option = try CLI.run(["evaluate", "lastfm-2k", "--split", "new-items", "--fraction", "0.2", "--algorithm", "als"] + Self.small
                                 + ["--metrics", "NDCG@10", "R@20", "--bootstrap", "0", "--json"])
        #expect(try means(option.stdout) == means(json.stdout))
    }

    @Test func aParameterGivenTwiceIsRefused() throws {
        let output = try CLI.run(["evaluate", "lastfm-2k", "--split", "new-items:fraction=0.2", "--fraction", "0.3", "--metrics", "NDCG@10"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("'fraction' is given both in --split and as --fraction"))
    }

    @Test(arguments: ["new-users", "new-items:fraction=0.2"])
    func coldStartSplitFilesEvaluateIdentically(split: String) throws {
        let scratch = Scratch()
        let written = try CLI.run(["split", "lastfm-2k", "--split", split, "--out", scratch.path + "/s"])
        #expect(written.status == 0, "\(written.stderr)")
        let extra = split == "new-users" ? "foldin.tsv" : "candidates.tsv"
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/s/" + extra))
        #expect(written.stdout.contains(extra))
        let metrics = ["--metrics", "NDCG@10", "R@20", "--bootstrap", "0", "--json"]
        let direct = try CLI.run(["evaluate", "lastfm-2k", "--split", split, "--algorithm", "als"] + Self.small + metrics)
        let fromFiles = try CLI.run(["evaluate", "--split-dir", scratch.path + "/s", "--algorithm", "als"] + Self.small + metrics)
        #expect(direct.status == 0 && fromFiles.status == 0, "\(direct.stderr) \(fromFiles.stderr)")
        #expect(try means(direct.stdout) == means(fromFiles.stdout))
    }

    @Test func aContentModelOnNewItemsFromSplitFilesTakesItsFeaturesFromTheOption() throws {
        let scratch = Scratch()
        let written = try CLI.run(["split", "lastfm-2k", "--split", "new-items", "--out", scratch.path + "/s"])
        #expect(written.status == 0, "\(written.stderr)")
        let metrics = ["--metrics", "NDCG@10", "R@20", "--bootstrap", "0", "--json"]
        let direct = try CLI.run(["evaluate", "lastfm-2k", "--split", "new-items", "--algorithm", "content-knn"] + metrics)
        let tags = "lastfm-tags:" + DatasetCatalog.repositoryRoot + "/datasets/lastfm-2k"
        let fromFiles = try CLI.run(["evaluate", "--split-dir", scratch.path + "/s", "--item-features", tags, "--algorithm", "content-knn"] + metrics)
        #expect(direct.status == 0 && fromFiles.status == 0, "\(direct.stderr) \(fromFiles.stderr)")
        #expect(try means(direct.stdout) == means(fromFiles.stdout))
        // Without a source, split files have no features: the content model says how to load them.
        let none = try CLI.run(["evaluate", "--split-dir", scratch.path + "/s", "--algorithm", "content-knn"] + metrics)
        #expect(none.status == 2 && none.stderr.contains("no item features"))
    }
}
