import Foundation
import Testing
@testable import RecBench

/// The SVG charts of the leaderboard page and the statistics plots.
@Suite("Charts")
struct ChartTests {
    @Test func niceNumbersFollowHeckbertsRule() {
        #expect(SVGChart.nice(3.7, round: false) == 5 && SVGChart.nice(0.37, round: true) == 0.5 && SVGChart.nice(12, round: true) == 10)
        #expect(SVGChart.nice(1.2, round: true) == 1 && SVGChart.nice(2.5, round: true) == 2 && SVGChart.nice(0.0049, round: false) == 0.005)
        let (ticks, decimals) = SVGChart.niceTicks(5, 20)
        #expect(ticks == [5, 10, 15, 20] && decimals == 0)
        let small = SVGChart.niceTicks(0.0456, 0.1752)
        #expect(small.ticks.first! <= 0.0456 && small.ticks.last! >= 0.1752 && small.decimals == 2)
        #expect(SVGChart.logTicks(0.001, 12.5) == [0.001, 0.01, 0.1, 1, 10, 100])
        #expect(SVGChart.logTicks(3, 40) == [1, 2, 5, 10, 20, 50, 100])
    }

    private func labels(_ svg: String) -> [String] {
        svg.components(separatedBy: "text-anchor=\"middle\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    @Test func metricAtKChartsTickTheCutoffsAndKeepTheLegendBesideThePlot() {
        let series = ["EASE", "a very long algorithm name that would be clipped"].map { name in
            SVGChart.Series(name: name, points: [5.0, 10, 20].map { SVGChart.Point(x: $0, y: 0.1 + $0 / 100, lower: 0.09 + $0 / 100, upper: 0.11 + $0 / 100) })
        }
        let svg = SVGChart(title: "NDCG@k", xLabel: "cutoff k", yLabel: "NDCG", width: 520, height: 330, xTicks: [5, 10, 20]).series(series)
        let shown = labels(svg)
        #expect(shown.contains("5") && shown.contains("10") && shown.contains("20") && !shown.contains("8.75"))
        // The legend starts right of the plot area's right edge (520 - 16 - 150 = 354).
        let legendX = svg.components(separatedBy: "<rect x=\"").dropFirst().compactMap { Double($0.prefix { $0 != "\"" }) }.filter { $0 > 0 }
        #expect(!legendX.isEmpty && legendX.allSatisfy { $0 > 354 })
        #expect(svg.contains("a very long algorithm name that would be clipped</title>") && svg.contains("…"))
        #expect(svg.components(separatedBy: "stroke-opacity").count - 1 == 6)        // one interval bar a point
    }

    @Test func axesOfDataThatIsNeverNegativeStartAtZeroOrAbove() {
        let points = [SVGChart.Point(x: 0.001, y: 0.0456), SVGChart.Point(x: 0.96, y: 0.1752), SVGChart.Point(x: 12.5, y: 0.16)]
        let svg = SVGChart(title: "t", xLabel: "fit seconds", yLabel: "NDCG@10", logX: true, yFromData: true)
            .series(points.map { SVGChart.Series(name: "s\($0.x)", points: [$0]) }, connect: false)
        #expect(!svg.contains(">-0.") && !svg.contains(">-1"))
        let shown = labels(svg)
        #expect(shown.contains("0.001") && shown.contains("0.1") && shown.contains("10") && !shown.contains("0.011"))
    }
}
