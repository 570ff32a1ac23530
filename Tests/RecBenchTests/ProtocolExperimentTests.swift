import Foundation
import Testing
@testable import RecBench

private let protocolExperiment = """
name = "cold"
[dataset]
name = "\(SharedData.lastFM)"
min_item_users = 60
[split]
method = "leave-one-out"
seed = 3
protocols = ["new-items:fraction=0.25", "new-users:fraction=0.2,test_fraction=0.3"]
[evaluation]
metrics = ["NDCG", "R"]
cutoffs = [10]
bootstrap = 20
[[algorithms]]
name = "Popularity"
type = "popularity"
[[algorithms]]
name = "BPR"
type = "bpr"
factors = 8
epochs = 3
"""

@Suite("Experiments under several protocols")
struct ProtocolExperimentTests {
    @Test func protocolsAreReadAsFurtherExperimentsWithTheirOwnValidation() throws {
        let experiment = try Experiment.parse(protocolExperiment, file: "cold.toml")
        #expect(experiment.protocols == [.newItems(fraction: 0.25), .newUsers(fraction: 0.2, testFraction: 0.3, minimum: 2)])
        let each = experiment.protocolExperiments
        #expect(each.map(\.name) == ["cold", "cold.new-items", "cold.new-users"])
        #expect(each.map(\.split) == [.leaveOneOut(selection: .random, minimum: 2), .newItems(fraction: 0.25),
                                      .newUsers(fraction: 0.2, testFraction: 0.3, minimum: 2)])
        #expect(each[1].validation == each[1].split && each[1].validationSeed == experiment.validationSeed)
        #expect(each.allSatisfy { $0.protocols.isEmpty })
        // The main protocol's identity is the one the file had without further protocols.
        let single = try Experiment.parse(protocolExperiment.replacingOccurrences(of: "protocols = [\"new-items:fraction=0.25\", \"new-users:fraction=0.2,test_fraction=0.3\"]\n", with: ""),
                                          file: "cold.toml")
        #expect(each[0].identity(datasetSHA256: "x") == single.identity(datasetSHA256: "x"))
    }

    @Test func badProtocolsAreRefusedNamingTheEntry() {
        for (entry, key) in [("\"given\"", "split.protocols[0]"), ("\"new-items\", \"new-items:fraction=0.3\"", "split.protocols[1]"),
                             ("\"leave-one-out\"", "split.protocols[0]"), ("\"nonesuch\"", "split.protocols[0]"), ("3", "split.protocols[0]")] {
            let text = protocolExperiment.replacingOccurrences(of: "[\"new-items:fraction=0.25\", \"new-users:fraction=0.2,test_fraction=0.3\"]", with: "[\(entry)]")
            do {
                _ = try Experiment.parse(text, file: "cold.toml")
                Issue.record("\(entry) was accepted")
            } catch {
                switch error {
                case .invalidValue(_, let k, _), .wrongType(_, let k, _, _): #expect(k == key, "\(entry)")
                default: Issue.record("\(entry): \(error)")
                }
            }
        }
    }

    @Test func underNewItemsACollaborativeModelIsRankedByTheCountedFallback() throws {
        let experiment = try Experiment.parse(protocolExperiment, file: "cold.toml").protocolExperiments[1]
        let folder = TemporaryFolder()
        let outcome = try ExperimentRunner.run(experiment, store: ResultStore(directory: folder.path), progress: { _ in })
        #expect(outcome.failures.isEmpty && outcome.notApplicable.isEmpty)
        let records = try ResultStore.records(in: folder.path).filter { $0.phase == .test }
        #expect(records.count == 2)
        for record in records {
            #expect(record.fallback?.users == record.evaluatedUsers, "\(record.algorithmName)")
            #expect(record.fallback?.fallback == "random order (seed 1)")
        }
        let leaderboard = Leaderboard(records: records)
        #expect(leaderboard.rows.allSatisfy { $0.fallback != nil })
        #expect(leaderboard.markdown.contains("Popularity (fallback ‡)") && leaderboard.markdown.contains("‡ No information on items without training interactions"))
        #expect(LeaderboardPage.html(leaderboard, records: records).contains("‡ No information on items without training interactions"))
    }

    @Test func underNewUsersAModelThatCannotFoldInIsNotApplicableAndNotRun() throws {
        let experiment = try Experiment.parse(protocolExperiment, file: "cold.toml").protocolExperiments[2]
        let folder = TemporaryFolder()
        let outcome = try ExperimentRunner.run(experiment, store: ResultStore(directory: folder.path), progress: { _ in })
        #expect(outcome.failures.isEmpty)
        #expect(outcome.notApplicable.contains { $0.hasPrefix("BPR: not applicable") })
        #expect(try ResultStore.records(in: folder.path).allSatisfy { $0.algorithmName != "BPR" })
    }
}

@Suite("The page of every protocol")
struct ProtocolPageTests {
    @Test func thePageHoldsEachProtocolsTableLinkAndNotApplicableLines() throws {
        let experiment = try Experiment.parse(protocolExperiment, file: "cold.toml")
        var sections: [(leaderboard: Leaderboard, page: String, notApplicable: [String])] = []
        for (index, sub) in experiment.protocolExperiments.prefix(2).enumerated() {
            let folder = TemporaryFolder()
            let outcome = try ExperimentRunner.run(sub, store: ResultStore(directory: folder.path), progress: { _ in })
            sections.append((Leaderboard(records: outcome.testRecords), index == 0 ? "leaderboard.html" : "new-items/leaderboard.html",
                             index == 0 ? [] : ["BPR: <not applicable>"]))
        }
        let page = LeaderboardPage.protocols(experiment: "cold <1>", sections: sections)
        #expect(page.contains("<h1>cold &lt;1&gt;: every protocol</h1>"))
        #expect(page.contains("<h2>leave-one-out (random, users with &gt;= 2), seed 3</h2>") || page.contains("leave-one-out"))
        #expect(page.contains("new items: 0.25 of the items held out entirely"))
        #expect(page.contains("<a href=\"new-items/leaderboard.html\">its page</a>"))
        #expect(page.contains("<li>BPR: &lt;not applicable&gt;</li>"))
        #expect(page.contains("‡ No information on items without training interactions"))
    }
}
