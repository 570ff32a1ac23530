import Foundation
import Testing
@testable import RecBench

@Suite("Statistics")
struct StatisticsTests {
    @Test func quartilesInterpolateLinearly() {
        let s = DatasetStatistics.Summary([1, 2, 3, 4, 10])
        #expect(s.min == 1 && s.q1 == 2 && s.median == 3 && s.q3 == 4 && s.max == 10)
        #expect(s.mean == 4)
        let even = DatasetStatistics.Summary([1, 2, 3, 4])
        #expect(even.q1 == 1.75 && even.median == 2.5 && even.q3 == 3.25)
    }

    @Test func giniOfEqualAndConcentratedCounts() {
        #expect(DatasetStatistics.gini([5, 5, 5, 5]) == 0)
        // (−3·0 − 1·0 + 1·0 + 3·8) / (4·8) = 0.75
        #expect(DatasetStatistics.gini([0, 0, 0, 8]) == 0.75)
        // x = 1, 2, 3: (−2·1 + 0·2 + 2·3) / (3·6) = 4/18
        #expect(abs(DatasetStatistics.gini([3, 1, 2]) - 4.0 / 18.0) < 1e-12)
    }

    @Test func handComputedDatasetStatistics() throws {
        let folder = TemporaryFolder()
        // Users a: x y z; b: x; c: x y.  Items: x 3 users, y 2, z 1.
        let file = folder.write("d.tsv", "a\tx\t1\na\ty\t2\na\tz\t3\nb\tx\t4\nc\tx\t5\nc\ty\t6\n")
        let s = DatasetStatistics(try DatasetLoader.parse(.delimited(DelimitedOptions(path: file))), top: 2)
        #expect(s.users == 3 && s.items == 3 && s.interactions == 6)
        #expect(s.density == 6.0 / 9.0)
        #expect(s.interactionsPerUser.median == 2)
        #expect(s.interactionsPerItem.max == 3)
        #expect(s.top1PercentShare == 0.5)           // one item of three: x holds 3 of 6
        #expect(s.topItems.map(\.id) == ["x", "y"])
        #expect(s.topItems[0].totalValue == 10)
    }

    @Test func lastFMStatisticsMatchTheReadme() throws {
        let s = DatasetStatistics(try DatasetLoader.parse(.hetrecLastFM(HetRecOptions(directory: SharedData.lastFM))))
        #expect((s.users, s.items, s.interactions) == (1_892, 17_632, 92_834))
        #expect(s.values.min == 1 && s.values.max == 352_698)
    }

    @Test func plotsAreSVGAndEscapeNames() throws {
        let folder = TemporaryFolder()
        let file = folder.write("<b>&.tsv", "a\tx\t1\nb\tx\t2\nb\ty\t1\n")
        var dataset = try DatasetLoader.parse(.delimited(DelimitedOptions(path: file)))
        dataset.name = "<b>&"
        let curve = StatisticsPlots.popularityCurve(dataset)
        #expect(curve.hasPrefix("<svg"))
        #expect(curve.contains("&lt;b&gt;&amp;"))
        #expect(!curve.contains("<b>"))
        #expect(StatisticsPlots.activityHistogram(dataset).contains("<rect"))
    }
}
