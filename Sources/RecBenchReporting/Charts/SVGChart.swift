import Foundation
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation
import RecBenchExperiments

/// Text for XML and HTML pages.
public enum Markup {
    /// Escapes text for XML and HTML: `&`, `<`, `>`, `"` and `'` become entities.
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}

/// A small SVG chart: "nice" axis ticks (Heckbert's rule: steps of 1, 2 or 5 × 10^n; decades
/// on a log axis) or given ticks, axes that start where the data allows (0 for data that is
/// never negative), interval bars, and a legend beside the plot, never over it.
///
/// Heckbert, "Nice numbers for graph labels", Graphics Gems (1990).
package struct SVGChart {
    package var title: String
    package var xLabel: String
    package var yLabel: String
    /// Plot x on a log10 scale (tick labels show the values).
    package var logX = false
    /// Let the y axis start near the data's minimum instead of 0 (never below 0 for data ≥ 0).
    package var yFromData = false
    package var width = 640.0
    package var height = 420.0
    /// Tick positions for x (for example the cutoffs of metric@k), instead of computed ones.
    package var xTicks: [Double]? = nil
    /// Labels for the x ticks at 0, 1, 2, … (a categorical axis), instead of numbers.
    package var xCategories: [String]? = nil

    package static let colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    private let left = 64.0, top = 40.0, bottom = 52.0, right = 16.0
    /// The width of the legend column beside the plot.
    private let legendWidth = 150.0

    /// Creates a chart; the series are drawn by ``series(_:connect:)``.
    package init(title: String, xLabel: String, yLabel: String, logX: Bool = false, yFromData: Bool = false,
                 width: Double = 640.0, height: Double = 420.0, xTicks: [Double]? = nil, xCategories: [String]? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logX = logX
        self.yFromData = yFromData
        self.width = width
        self.height = height
        self.xTicks = xTicks
        self.xCategories = xCategories
    }

    /// A point, with an optional interval drawn as a bar.
    package struct Point {
        package var x: Double
        package var y: Double
        package var label: String = ""
        package var lower: Double? = nil
        package var upper: Double? = nil

        /// Creates a point; `lower` and `upper` bound its interval.
        package init(x: Double, y: Double, label: String = "", lower: Double? = nil, upper: Double? = nil) {
            self.x = x
            self.y = y
            self.label = label
            self.lower = lower
            self.upper = upper
        }
    }
    /// A named line of points.
    package struct Series {
        package var name: String
        package var points: [Point]

        /// Creates a named line.
        package init(name: String, points: [Point]) {
            self.name = name
            self.points = points
        }
    }

    /// Heckbert's nice number near `x`: 1, 2 or 5 × 10^n (rounded, or the next one up).
    package static func nice(_ x: Double, round: Bool) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let exponent = (log10(x)).rounded(.down), fraction = x / pow(10, exponent)
        let niceFraction: Double
        if round { niceFraction = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10 }
        else { niceFraction = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10 }
        return niceFraction * pow(10, exponent)
    }

    /// Nice ticks covering `low...high`: about `count` of them, at multiples of a nice step.
    package static func niceTicks(_ low: Double, _ high: Double, count: Int = 5) -> (ticks: [Double], decimals: Int) {
        let span = high > low ? high - low : Swift.max(abs(low), 1) * 0.1
        let step = nice(nice(span, round: false) / Double(Swift.max(count - 1, 1)), round: true)
        let first = (low / step).rounded(.down) * step, last = (high / step).rounded(.up) * step
        var ticks: [Double] = []
        var k = 0.0
        while first + k * step <= last + step * 1e-9 && ticks.count < 50 { ticks.append(first + k * step); k += 1 }
        return (ticks, Swift.max(0, Int(-(log10(step)).rounded(.down))))
    }

    /// Ticks of a log10 axis over `low...high` (values, not logs): the decades, with 2 and 5
    /// between them when the range spans less than two decades.
    package static func logTicks(_ low: Double, _ high: Double) -> [Double] {
        let logLow = log10(Swift.max(low, 1e-12)), logHigh = log10(Swift.max(high, 1e-12))
        let a = logLow.rounded(.down), b = logHigh.rounded(.up)
        var ticks: [Double] = []
        var e = a
        while e <= b && ticks.count < 40 {
            for m in (logHigh - logLow < 2 ? [1.0, 2, 5] : [1.0]) { ticks.append(m * pow(10, e)) }
            e += 1
        }
        return ticks.filter { $0 >= pow(10, a) && $0 <= pow(10, b) }
    }

    private static func label(_ value: Double, decimals: Int) -> String {
        String(format: "%.\(Swift.min(decimals, 6))f", value)
    }

    private func frame(_ rawXs: [Double], _ ys: [Double], legend: [String], body: (_ x: (Double) -> Double, _ y: (Double) -> Double) -> String) -> String {
        let plotRight = width - right - (legend.isEmpty ? 0 : legendWidth)
        // x axis.
        var xTickValues: [Double]
        var xTickText: [String]
        var xMin: Double, xMax: Double
        if let categories = xCategories {
            xTickValues = categories.indices.map(Double.init)
            xTickText = categories.map { $0.count > 14 ? String($0.prefix(13)) + "…" : $0 }
            (xMin, xMax) = (-0.5, Double(Swift.max(categories.count, 1)) - 0.5)
        } else if logX {
            let positive = rawXs.filter { $0 > 0 }
            xTickValues = xTicks ?? Self.logTicks(positive.min() ?? 1, positive.max() ?? 10)
            xTickText = xTickValues.map { String(format: "%g", $0) }
            (xMin, xMax) = (log10(xTickValues.first ?? 1), log10(xTickValues.last ?? 10))
            if xMax <= xMin { xMax = xMin + 1 }
            let pad = (xMax - xMin) * 0.04          // points on the first or last decade stay off the axis
            (xMin, xMax) = (xMin - pad, xMax + pad)
        } else {
            let low = rawXs.min() ?? 0, high = rawXs.max() ?? 1
            if let given = xTicks {
                xTickValues = given
                xTickText = given.map { String(format: "%g", $0) }
                let lowest = Swift.min(low, given.min() ?? low), highest = Swift.max(high, given.max() ?? high)
                let pad = highest > lowest ? (highest - lowest) * 0.05 : 0.5
                (xMin, xMax) = (lowest - pad, highest + pad)
            } else {
                let nice = Self.niceTicks(low, high)
                xTickValues = nice.ticks
                xTickText = nice.ticks.map { Self.label($0, decimals: nice.decimals) }
                (xMin, xMax) = (nice.ticks.first ?? low, nice.ticks.last ?? high)
            }
            if xMax <= xMin { xMax = xMin + 1 }
        }
        // y axis: from 0, or from the data; never below 0 when the data is not negative.
        let low = ys.min() ?? 0, high = ys.max() ?? 1
        var yLow = yFromData ? low - Swift.max((high - low) * 0.08, 1e-4) : Swift.min(low, 0)
        if low >= 0 { yLow = Swift.max(yLow, 0) }
        let yNice = Self.niceTicks(yLow, Swift.max(high, yLow + 1e-9))
        let (yMin, yMax) = (yNice.ticks.first ?? yLow, Swift.max(yNice.ticks.last ?? high, (yNice.ticks.first ?? yLow) + 1e-12))

        let sx = { (v: Double) -> Double in
            let t = self.xCategories == nil && self.logX ? log10(Swift.max(v, 1e-12)) : v
            return self.left + (t - xMin) / (xMax - xMin) * (plotRight - self.left)
        }
        let sy = { (v: Double) in self.height - self.bottom - (v - yMin) / (yMax - yMin) * (self.height - self.top - self.bottom) }
        let e = Markup.escape
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<title>\(e(title))</title><text x=\"\(f((left + plotRight) / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">\(e(title))</text>\n"
        for (v, text) in zip(yNice.ticks, yNice.ticks.map { Self.label($0, decimals: yNice.decimals) }) {
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(sy(v)))\" x2=\"\(f(plotRight))\" y2=\"\(f(sy(v)))\" stroke=\"#e4e4e4\"/>\n"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(sy(v) + 4))\" text-anchor=\"end\">\(text)</text>\n"
        }
        for (v, text) in zip(xTickValues, xTickText) {
            let x = sx(v)
            guard x >= left - 0.5, x <= plotRight + 0.5 else { continue }
            svg += "<line x1=\"\(f(x))\" y1=\"\(f(height - bottom))\" x2=\"\(f(x))\" y2=\"\(f(height - bottom + 4))\" stroke=\"black\"/>\n"
            svg += "<text x=\"\(f(x))\" y=\"\(f(height - bottom + 17))\" text-anchor=\"middle\">\(e(text))</text>\n"
        }
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(height - bottom))\" x2=\"\(f(plotRight))\" y2=\"\(f(height - bottom))\" stroke=\"black\"/>\n"
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(height - bottom))\" stroke=\"black\"/>\n"
        svg += "<text x=\"\(f((left + plotRight) / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">\(e(xLabel))</text>\n"
        svg += "<text x=\"16\" y=\"\(f(height / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(f(height / 2)))\">\(e(yLabel))</text>\n"
        svg += body(sx, sy)
        for (index, name) in legend.enumerated() {
            let y = top + 6 + 17 * Double(index), x = plotRight + 14
            let shown = name.count > 20 ? String(name.prefix(19)) + "…" : name
            svg += "<rect x=\"\(f(x))\" y=\"\(f(y - 8))\" width=\"10\" height=\"10\" fill=\"\(Self.colours[index % Self.colours.count])\"/>"
            svg += "<text x=\"\(f(x + 15))\" y=\"\(f(y + 1))\" font-size=\"11\"><title>\(e(name))</title>\(e(shown))</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    package func line(_ points: [(Double, Double)]) -> String {
        // Thin very long curves to at most 2,000 points, evenly along the x axis.
        let step = Swift.max(1, points.count / 2000)
        let kept = points.enumerated().filter { $0.offset % step == 0 || $0.offset == points.count - 1 }.map(\.element)
        return frame(kept.map(\.0), kept.map(\.1), legend: []) { sx, sy in
            let path = kept.map { "\(f(sx($0.0))),\(f(sy($0.1)))" }.joined(separator: " ")
            return "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"\(path)\"/>\n"
        }
    }

    package func bars(_ bars: [(Double, Double)], barWidth: Double = 1) -> String {
        let xs = bars.flatMap { [$0.0 - barWidth / 2, $0.0 + barWidth / 2] }
        return frame(xs, bars.map(\.1), legend: []) { sx, sy in
            bars.map { bar in
                let x0 = sx(bar.0 - barWidth / 2), x1 = sx(bar.0 + barWidth / 2)
                return "<rect x=\"\(f(x0))\" y=\"\(f(sy(bar.1)))\" width=\"\(f(Swift.max(x1 - x0 - 1, 0.5)))\" height=\"\(f(sy(0) - sy(bar.1)))\" fill=\"#ff7f0e\"/>\n"
            }.joined()
        }
    }

    /// Several named series, as lines with their points (or separate points when `connect` is
    /// false), each point's interval as a bar, and a legend beside the plot when there are
    /// several series.
    package func series(_ all: [Series], connect: Bool = true) -> String {
        let points = all.flatMap(\.points)
        guard !points.isEmpty else { return "" }
        let ys = points.flatMap { [$0.y] + [$0.lower, $0.upper].compactMap { $0 } }
        return frame(points.map(\.x), ys, legend: all.count > 1 ? all.map(\.name) : []) { sx, sy in
            var svg = ""
            for (index, s) in all.enumerated() {
                let colour = Self.colours[index % Self.colours.count]
                if connect && s.points.count > 1 {
                    let path = s.points.map { "\(f(sx($0.x))),\(f(sy($0.y)))" }.joined(separator: " ")
                    svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(path)\"/>\n"
                }
                for p in s.points {
                    if let lower = p.lower, let upper = p.upper {
                        let x = f(sx(p.x))
                        svg += "<line x1=\"\(x)\" y1=\"\(f(sy(lower)))\" x2=\"\(x)\" y2=\"\(f(sy(upper)))\" stroke=\"\(colour)\" stroke-opacity=\"0.55\" stroke-width=\"1.5\"/>\n"
                    }
                    let interval = p.lower.map { l in String(format: " [%.4f, %.4f]", l, p.upper ?? l) } ?? ""
                    let tip = Markup.escape("\(s.name) \(p.label) \(String(format: "%g", p.x)): \(String(format: "%.4f", p.y))\(interval)")
                    svg += "<circle cx=\"\(f(sx(p.x)))\" cy=\"\(f(sy(p.y)))\" r=\"3.5\" fill=\"\(colour)\"><title>\(tip)</title></circle>\n"
                }
            }
            return svg
        }
    }

    private func f(_ value: Double) -> String { String(format: "%.2f", value) }
}
