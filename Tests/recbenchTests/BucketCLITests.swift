import Foundation
import Testing

@Suite("recbench evaluate: activity buckets")
struct BucketCLITests {
    @Test func evaluatePrintsBucketsInTextAndJSONAndRefusesBadEdges() throws {
        let common = ["evaluate", "lastfm-2k", "--algorithm", "popularity", "--metrics", "NDCG@10", "--bootstrap", "0"]
        let text = try CLI.run(common + ["--user-buckets", "10,30", "--item-buckets", "0,50"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("by user activity") && text.stdout.contains("≤10") && text.stdout.contains("11–30")
                && text.stdout.contains(">30") && text.stdout.contains("1–50"))
        let json = try CLI.run(common + ["--item-buckets", "none", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let buckets = try #require(object["buckets"] as? [String: Any])
        let users = try #require(buckets["users"] as? [[String: Any]])
        #expect(users.map { $0["label"] as! String } == ["≤5", "6–20", "21–100", ">100"])
        #expect(users.map { $0["users"] as! Int }.reduce(0, +) == object["evaluatedUsers"] as! Int)
        #expect((buckets["items"] as? [Any])?.isEmpty == true)
        let bad = try CLI.run(common + ["--user-buckets", "20,5"])
        #expect(bad.status == 64 && bad.stderr.contains("user bucket edges must increase: 5 follows 20"))
    }
}
