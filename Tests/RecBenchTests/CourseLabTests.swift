import Foundation
import Testing
@testable import RecBench

@Suite("Course lab")
struct CourseLabTests {
    func sample() throws -> Dataset {
        try Preparation().apply(to: DatasetLoader.parse(.audioscrobbler(AudioscrobblerOptions(directory: SharedData.audioscrobbler, fullAliases: true))))
    }

    @Test func theSampleTellsTheUnknownArtistStory() throws {
        let report = try CourseLab.run(sample(), models: [.mostListened, .als(rank: 10, lambda: 1.0, alpha: 1.0, iterations: 3)],
                                       negativeSeeds: [1, 2])
        // Spark MLlib on this protocol: 2,449 of 5,001 held-out rows unknown, ceiling 0.67, most-listened 0.575.
        #expect(Double(report.unknownHeldOutRows) / Double(report.heldOutRows) > 0.4)
        #expect(abs(report.aucCeiling - 0.67) < 0.03)
        let mostListened = report.rows[0]
        #expect(abs(mostListened.sampledAUC - 0.575) < 0.03)
        #expect(mostListened.sampledAUC <= report.aucCeiling)
        #expect(mostListened.sampledAUCMin <= mostListened.sampledAUC && mostListened.sampledAUC <= mostListened.sampledAUCMax)
        #expect(mostListened.publishedAUC == 0.9524)
    }

    @Test func nanHighRanksUnknownArtistsAboveAndDropLeavesThemOut() throws {
        let dataset = try sample()
        let models: [LabModel] = [.als(rank: 10, lambda: 1.0, alpha: 1.0, iterations: 3)]
        let lowest = try CourseLab.run(dataset, models: models, policy: .lowest, negativeSeeds: [1]).rows[0]
        let high = try CourseLab.run(dataset, models: models, policy: .nanHigh, negativeSeeds: [1]).rows[0]
        let drop = try CourseLab.run(dataset, models: models, policy: .drop, negativeSeeds: [1]).rows[0]
        // About half the positives are unknown: ranked on top they win most pairs.
        #expect(high.sampledAUC > lowest.sampledAUC + 0.1)
        #expect(drop.sampledAUC > lowest.sampledAUC)
    }
}
