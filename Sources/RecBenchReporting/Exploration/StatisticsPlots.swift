import Foundation
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation
import RecBenchExperiments

/// SVG plots of a dataset's shape: the item popularity curve and the user activity histogram.
public enum StatisticsPlots {
    /// Item popularity by rank on log–log axes (a straight line is a power law).
    public static func popularityCurve(_ dataset: Dataset) -> String {
        let counts = dataset.interactions.columnLengths.filter { $0 > 0 }.sorted(by: >)
        let points = counts.enumerated().map { (log10(Double($0.offset + 1)), log10(Double($0.element))) }
        return SVGChart(title: "Item popularity (\(dataset.name))", xLabel: "log10 item rank",
                        yLabel: "log10 users per item").line(points)
    }

    /// A histogram of interactions per user, in logarithmic bins.
    public static func activityHistogram(_ dataset: Dataset, bins: Int = 30) -> String {
        let lengths = dataset.interactions.rowLengths.filter { $0 > 0 }.map { log10(Double($0)) }
        guard let low = lengths.min(), let high = lengths.max() else {
            return SVGChart(title: "User activity", xLabel: "", yLabel: "").bars([])
        }
        let width = Swift.max((high - low) / Double(bins), 1e-9)
        var counts = [Int](repeating: 0, count: bins)
        for x in lengths { counts[Swift.min(bins - 1, Int((x - low) / width))] += 1 }
        let bars = counts.enumerated().map { (low + (Double($0.offset) + 0.5) * width, Double($0.element)) }
        return SVGChart(title: "User activity (\(dataset.name))", xLabel: "log10 interactions per user",
                        yLabel: "users").bars(bars, barWidth: width)
    }

    /// Escapes text for XML and HTML (``Markup/escape(_:)``).
    public static func escape(_ text: String) -> String { Markup.escape(text) }
}
