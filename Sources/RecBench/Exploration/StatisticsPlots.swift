import Foundation

/// SVG plots of a dataset's shape: the item popularity curve and the user activity histogram.
public enum StatisticsPlots {
    /// Item popularity by rank on log–log axes (a straight line is a power law).
    public static func popularityCurve(_ dataset: Dataset) -> String {
        let counts = dataset.interactions.columnLengths.filter { $0 > 0 }.sorted(by: >)
        let points = counts.enumerated().map { (log10(Double($0.offset + 1)), log10(Double($0.element))) }
        return SVGChart(title: "Item popularity (\(escape(dataset.name)))", xLabel: "log10 item rank",
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
        return SVGChart(title: "User activity (\(escape(dataset.name)))", xLabel: "log10 interactions per user",
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

/// A minimal SVG chart with linear axes over the data's range.
struct SVGChart {
    var title: String
    var xLabel: String
    var yLabel: String
    let width = 640.0, height = 420.0, margin = 60.0

    private func frame(_ xs: [Double], _ ys: [Double], body: (_ x: (Double) -> Double, _ y: (Double) -> Double) -> String) -> String {
        let xMin = xs.min() ?? 0, xMax = Swift.max(xs.max() ?? 1, (xs.min() ?? 0) + 1e-9)
        let yMin = Swift.min(ys.min() ?? 0, 0), yMax = Swift.max(ys.max() ?? 1, yMin + 1e-9)
        let sx = { (v: Double) in margin + (v - xMin) / (xMax - xMin) * (width - 2 * margin) }
        let sy = { (v: Double) in height - margin - (v - yMin) / (yMax - yMin) * (height - 2 * margin) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"\(width / 2)\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">\(title)</text>\n"
        svg += "<line x1=\"\(margin)\" y1=\"\(height - margin)\" x2=\"\(width - margin)\" y2=\"\(height - margin)\" stroke=\"black\"/>\n"
        svg += "<line x1=\"\(margin)\" y1=\"\(margin)\" x2=\"\(margin)\" y2=\"\(height - margin)\" stroke=\"black\"/>\n"
        for tick in 0...4 {
            let xv = xMin + (xMax - xMin) * Double(tick) / 4, yv = yMin + (yMax - yMin) * Double(tick) / 4
            svg += "<text x=\"\(f(sx(xv)))\" y=\"\(f(height - margin + 16))\" text-anchor=\"middle\">\(f(xv))</text>\n"
            svg += "<text x=\"\(f(margin - 6))\" y=\"\(f(sy(yv) + 4))\" text-anchor=\"end\">\(f(yv))</text>\n"
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

    private func f(_ value: Double) -> String { String(format: "%.2f", value) }
}
