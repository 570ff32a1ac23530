import Foundation

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

    /// Escapes text for XML and HTML.
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

/// A minimal SVG chart over the data's range: linear axes (x optionally log10), y from 0 (or
/// from the data's own range), one or several series.
struct SVGChart {
    var title: String
    var xLabel: String
    var yLabel: String
    /// Plot x on a log10 scale (tick labels show the values).
    var logX = false
    /// Let the y axis start at the data's minimum (with a margin) instead of 0.
    var yFromData = false
    var width = 640.0, height = 420.0
    let margin = 60.0

    static let colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    /// A labelled point.
    struct Point { var x: Double; var y: Double; var label: String = "" }
    /// A named line of points.
    struct Series { var name: String; var points: [Point] }

    private func frame(_ rawXs: [Double], _ ys: [Double], body: (_ x: (Double) -> Double, _ y: (Double) -> Double) -> String) -> String {
        let xs = logX ? rawXs.map { log10(Swift.max($0, 1e-12)) } : rawXs
        let xMin = xs.min() ?? 0, xMax = Swift.max(xs.max() ?? 1, (xs.min() ?? 0) + 1e-9)
        var yMin = Swift.min(ys.min() ?? 0, 0), yMax = Swift.max(ys.max() ?? 1, yMin + 1e-9)
        if yFromData, let low = ys.min(), let high = ys.max() {
            let pad = Swift.max((high - low) * 0.08, 1e-3)
            (yMin, yMax) = (low - pad, high + pad)
        }
        let sx = { (v: Double) in margin + ((logX ? log10(Swift.max(v, 1e-12)) : v) - xMin) / (xMax - xMin) * (width - 2 * margin) }
        let sy = { (v: Double) in height - margin - (v - yMin) / (yMax - yMin) * (height - 2 * margin) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<title>\(StatisticsPlots.escape(title))</title><text x=\"\(width / 2)\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">\(StatisticsPlots.escape(title))</text>\n"
        svg += "<line x1=\"\(margin)\" y1=\"\(height - margin)\" x2=\"\(width - margin)\" y2=\"\(height - margin)\" stroke=\"black\"/>\n"
        svg += "<line x1=\"\(margin)\" y1=\"\(margin)\" x2=\"\(margin)\" y2=\"\(height - margin)\" stroke=\"black\"/>\n"
        for tick in 0...4 {
            let xv = xMin + (xMax - xMin) * Double(tick) / 4, yv = yMin + (yMax - yMin) * Double(tick) / 4
            let shown = logX ? pow(10, xv) : xv
            svg += "<text x=\"\(f(margin + (width - 2 * margin) * Double(tick) / 4))\" y=\"\(f(height - margin + 16))\" text-anchor=\"middle\">\(String(format: "%g", (shown * 1000).rounded() / 1000))</text>\n"
            svg += "<text x=\"\(f(margin - 6))\" y=\"\(f(sy(yv) + 4))\" text-anchor=\"end\">\(String(format: yFromData ? "%.4f" : "%.2f", yv))</text>\n"
        }
        svg += "<text x=\"\(width / 2)\" y=\"\(height - 18)\" text-anchor=\"middle\">\(StatisticsPlots.escape(xLabel))</text>\n"
        svg += "<text x=\"16\" y=\"\(height / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(height / 2))\">\(StatisticsPlots.escape(yLabel))</text>\n"
        svg += body(sx, sy)
        svg += "</svg>\n"
        return svg
    }

    func line(_ points: [(Double, Double)]) -> String {
        // Thin very long curves to at most 2,000 points, evenly along the x axis.
        let step = Swift.max(1, points.count / 2000)
        let kept = points.enumerated().filter { $0.offset % step == 0 || $0.offset == points.count - 1 }.map(\.element)
        return frame(kept.map(\.0), kept.map(\.1)) { sx, sy in
            let path = kept.map { "\(f(sx($0.0))),\(f(sy($0.1)))" }.joined(separator: " ")
            return "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"\(path)\"/>\n"
        }
    }

    func bars(_ bars: [(Double, Double)], barWidth: Double = 1) -> String {
        let xs = bars.flatMap { [$0.0 - barWidth / 2, $0.0 + barWidth / 2] }
        return frame(xs, bars.map(\.1)) { sx, sy in
            bars.map { bar in
                let x0 = sx(bar.0 - barWidth / 2), x1 = sx(bar.0 + barWidth / 2)
                return "<rect x=\"\(f(x0))\" y=\"\(f(sy(bar.1)))\" width=\"\(f(Swift.max(x1 - x0 - 1, 0.5)))\" height=\"\(f(sy(0) - sy(bar.1)))\" fill=\"#ff7f0e\"/>\n"
            }.joined()
        }
    }

    /// Several named series, as lines with their points (a legend when there are several),
    /// or as separate labelled points when `connect` is false.
    func series(_ all: [Series], connect: Bool = true) -> String {
        let points = all.flatMap(\.points)
        guard !points.isEmpty else { return "" }
        return frame(points.map(\.x), points.map(\.y)) { sx, sy in
            var svg = ""
            for (index, s) in all.enumerated() {
                let colour = Self.colours[index % Self.colours.count]
                if connect && s.points.count > 1 {
                    let path = s.points.map { "\(f(sx($0.x))),\(f(sy($0.y)))" }.joined(separator: " ")
                    svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(path)\"/>\n"
                }
                for p in s.points {
                    let tip = StatisticsPlots.escape("\(s.name) \(p.label) \(String(format: "%g", p.x)): \(String(format: "%.4f", p.y))")
                    svg += "<circle cx=\"\(f(sx(p.x)))\" cy=\"\(f(sy(p.y)))\" r=\"3.5\" fill=\"\(colour)\"><title>\(tip)</title></circle>\n"
                    if !p.label.isEmpty {
                        svg += "<text x=\"\(f(sx(p.x) + 5))\" y=\"\(f(sy(p.y) - 5))\" font-size=\"10\">\(StatisticsPlots.escape(p.label))</text>\n"
                    }
                }
                if connect && all.count > 1 {
                    svg += "<text x=\"\(f(width - margin - 120))\" y=\"\(f(margin + 12 * Double(index)))\" font-size=\"10\" fill=\"\(colour)\">\(StatisticsPlots.escape(s.name))</text>\n"
                }
            }
            return svg
        }
    }

    private func f(_ value: Double) -> String { String(format: "%.2f", value) }
}
