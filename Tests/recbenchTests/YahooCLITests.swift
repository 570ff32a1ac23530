import Foundation
import Testing

/// `recbench generate` and `stats` on the Yahoo! Music R1 and R3 layouts.
@Suite("recbench CLI: Yahoo! Music", .serialized)
struct YahooCLITests {
    @Test func generatedR1FileIsRecognisedByStatsWithNeverPlayAgainDropped() throws {
        let scratch = Scratch()
        let file = scratch.path + "/ydata-ymusic-user-artist-ratings-v1_0.txt"
        let generated = try CLI.run(["generate", "--format", "yahoo-r1", "--users", "200", "--items", "1000", "--interactions", "4000",
                                     "--seed", "3", "--out", file])
        #expect(generated.status == 0, "\(generated.stderr)")
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        let never = lines.filter { $0.hasSuffix("\t255") }.count
        let zero = lines.filter { $0.hasSuffix("\t0") }.count
        let output = try CLI.run(["stats", file, "--json", "--cache", "never"])
        #expect(output.status == 0, "\(output.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as! [String: Any]
        // Stats drops zero ratings like any non-positive value, after the loader dropped 255.
        #expect(object["interactions"] as? Int == lines.count - never - zero)
        let values = try #require(object["values"] as? [String: Any])
        #expect(values["max"] as? Double == 100)
        let table = try CLI.run(["stats", file, "--cache", "never"])
        #expect(table.stdout.contains("dropped \(never) rating(s) of 255 (never play again)"))
    }

    @Test func generatedR3FolderIsRecognisedByStats() throws {
        let scratch = Scratch()
        let train = scratch.path + "/ydata-ymusic-rating-study-v1_0-train.txt"
        let generated = try CLI.run(["generate", "--format", "yahoo-r3", "--users", "200", "--items", "1000", "--interactions", "4000",
                                     "--seed", "3", "--out", train])
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/ydata-ymusic-rating-study-v1_0-test.txt"))
        let output = try CLI.run(["stats", scratch.path, "--json", "--cache", "never"])
        #expect(output.status == 0, "\(output.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as! [String: Any]
        #expect(object["users"] as? Int == 200)
        #expect(object["interactions"] as? Int == 4000)
        let values = try #require(object["values"] as? [String: Any])
        #expect(values["min"] as? Double == 1 && values["max"] as? Double == 5)
    }

    @Test func malformedYahooLineExitsWithTwoAndNamesFileLineAndReason() throws {
        let scratch = Scratch()
        let file = scratch.write("ydata-ymusic-user-artist-ratings-v1_0.txt", "1\t10\t90\n1\t11\t300\n")
        let output = try CLI.run(["stats", file])
        #expect(output.status == 2)
        #expect(output.stderr == "error: \(file):2: the rating 300 is neither an integer from 0 to 100 nor 255 (never play again)\n")
    }

    @Test func neverPlayAgainOptionAppliesToR1OnlyAndReadsTheRatingAsZero() throws {
        let scratch = Scratch()
        let r1 = scratch.write("ydata-ymusic-user-artist-ratings-v1_0.txt", "1\t10\t90\n1\t11\t255\n2\t10\t40\n")
        let zero = try CLI.run(["stats", r1, "--never-play-again", "zero", "--cache", "never"])
        #expect(zero.status == 0, "\(zero.stderr)")
        #expect(zero.stdout.contains("read ratings of 255 (never play again) as 0"))
        let r3 = scratch.write("ydata-ymusic-rating-study-v1_0-train.txt", "1\t10\t5\n")
        let refused = try CLI.run(["stats", r3, "--never-play-again", "zero"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--never-play-again does nothing here: \(r3) is recognised as Yahoo! Music R3; --never-play-again applies to Yahoo! Music R1 only"))
    }
}
