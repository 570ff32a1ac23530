import Foundation
import Testing
@testable import RecBench

@Suite("Paired comparisons and TREC files")
struct ComparisonTests {
    @Test func pairedTTestMatchesKnownValues() throws {
        // d = 1…5: mean 3, s = √2.5, t = 3 / (√2.5/√5) = 4.2426, df 4, two-sided p = 0.013236.
        let c = PairedComparison([1, 2, 3, 4, 5], [0, 0, 0, 0, 0])
        #expect(abs(try #require(c.tStatistic) - 4.242640687) < 1e-8)
        #expect(abs(try #require(c.tTestPValue) - 0.013236) < 1e-5)
        #expect(try #require(c.probabilityABetter) > 0.99)
        #expect(c.meanDifference == 3)
    }

    @Test func studentTQuantilesFromTables() {
        // The two-sided 5% critical value for 10 degrees of freedom is 2.228139.
        #expect(abs(StudentT.twoSidedPValue(t: 2.228139, degreesOfFreedom: 10) - 0.05) < 1e-6)
        // 1% for 30 degrees of freedom: 2.749996.
        #expect(abs(StudentT.twoSidedPValue(t: 2.749996, degreesOfFreedom: 30) - 0.01) < 1e-6)
        #expect(StudentT.cdf(0, degreesOfFreedom: 7) == 0.5)
    }

    @Test func wilcoxonExactAndApproximate() {
        // All five differences positive: W+ = 15, p = 2/32.
        let (w, p) = Wilcoxon.signedRank([1, 2, 3, 4, 5])
        #expect(w == 15 && abs(p - 0.0625) < 1e-12)
        // Zeros are dropped; ±1 pairs balance: W+ equals its mean, p = 1 under the normal approximation with ties.
        let balanced = Array(repeating: 1.0, count: 30) + Array(repeating: -1.0, count: 30) + [0, 0]
        let (_, pBalanced) = Wilcoxon.signedRank(balanced)
        #expect(abs(pBalanced - 1) < 1e-12)
        #expect(Wilcoxon.signedRank([0, 0]).1 == 1)
    }

    @Test func identicalSystemsAreNotDifferent() {
        let values = [0.1, 0.5, 0.3]
        let c = PairedComparison(values, values)
        #expect(c.tTestPValue == 1 && c.wilcoxonPValue == 1 && c.probabilityABetter == 0.5)
    }

    @Test func tTestWithOneUserIsUndefined() throws {
        // One difference has no degrees of freedom: no p-value, however large the difference.
        let c = PairedComparison([0.9], [0.1])
        #expect(c.users == 1 && abs(c.meanDifference - 0.8) < 1e-15)
        #expect(c.tStatistic == nil && c.tTestPValue == nil && c.probabilityABetter == nil)
        #expect(c.wilcoxonPValue == 1)
        #expect(c.description.contains("paired t-test p = undefined"))
        #expect(PairedComparison([], []).tTestPValue == nil)
        // Undefined values stay out of the JSON rather than becoming 0.
        let json = String(decoding: try JSONEncoder().encode(c), as: UTF8.self)
        #expect(!json.contains("tTestPValue") && json.contains("wilcoxonPValue"))
    }

    @Test func zeroVarianceDifferencesTakeTheirLimits() {
        // Every difference the same non-zero value: t = ±∞, p = 0 (scipy's ttest_rel gives the same).
        let better = PairedComparison([0.5, 0.75, 1.0], [0.25, 0.5, 0.75])
        #expect(better.tStatistic == .infinity && better.tTestPValue == 0 && better.probabilityABetter == 1)
        let worse = PairedComparison([0.25, 0.5], [0.5, 0.75])
        #expect(worse.tStatistic == -.infinity && worse.tTestPValue == 0 && worse.probabilityABetter == 0)
        // Every difference zero on two or more users: t = 0, p = 1.
        let same = PairedComparison([0.1, 0.5], [0.1, 0.5])
        #expect(same.tStatistic == 0 && same.tTestPValue == 1 && same.probabilityABetter == 0.5)
    }

    @Test func malformedRunLineNamesTheLine() {
        let folder = TemporaryFolder()
        let path = folder.write("run.txt", "1 Q0 5 1 0.9 x\n1 Q0 6 2 high x\n")
        #expect(datasetError { _ = try TrecRun.read(path) } == .malformedLine(file: path, line: 2, reason: "the score 'high' is not a number"))
    }
}
