import Foundation

/// The leaderboard as one self-contained HTML page with inline SVG charts: metric@k curves per
/// algorithm, each swept hyperparameter's effect on the validation metric, and fit time
/// against accuracy. Every name from data or configuration is HTML-escaped.
public enum LeaderboardPage {
    /// The page for `leaderboard`, with the validation runs among `records` for the sweep charts.
    public static func html(_ leaderboard: Leaderboard, records: [RunRecord]) -> String {
        var body = "<h1>\(escape(leaderboard.experiment))</h1>\n<p>\(escape(leaderboard.dataset)); \(escape(leaderboard.split)); "
            + "\(leaderboard.users) users; ranked by \(escape(leaderboard.selection)).</p>\n"
        body += table(leaderboard)
        body += "<h2>Metrics at each cutoff</h2>\n" + curves(leaderboard)
        body += "<h2>Hyperparameters (validation \(escape(leaderboard.selection)), mean over seeds)</h2>\n" + sweeps(leaderboard, records: records)
        body += "<h2>Fit time against accuracy (test)</h2>\n"
        let points = leaderboard.rows.map { Chart.Point(x: max($0.fitSeconds, 1e-3), y: $0.metrics[leaderboard.selection] ?? 0, label: $0.algorithm) }
        body += Chart(title: "fit seconds (log) vs \(leaderboard.selection)", xLabel: "fit seconds", yLabel: leaderboard.selection, logX: true)
            .scatter(points)
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(leaderboard.experiment)) leaderboard</title>
        <style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}
        td:nth-child(2),th:nth-child(2){text-align:left}svg{margin:0.5em 1em 0.5em 0;background:#fafafa}.charts{display:flex;flex-wrap:wrap}</style>
        </head><body>
        \(body)
        </body></html>

        """
    }

    /// Escapes &, <, >, " and '.
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

    static func table(_ leaderboard: Leaderboard) -> String {
        var out = "<table><tr><th>#</th><th>algorithm</th>" + leaderboard.metricNames.map { "<th>\(escape($0))</th>" }.joined()
            + "<th>fit s</th><th>p vs #1</th><th>significant</th></tr>\n"
        for row in leaderboard.rows {
            out += "<tr><td>\(row.rank)</td><td title=\"\(escape(row.label))\">\(escape(row.algorithm))</td>"
            for name in leaderboard.metricNames {
                let interval = row.intervals[name].map { String(format: " [%.4f, %.4f]", $0[0], $0[1]) } ?? ""
                out += "<td title=\"95% bootstrap\(interval)\">" + (row.metrics[name].map { String(format: "%.4f", $0) } ?? "") + "</td>"
            }
            out += String(format: "<td>%.2f</td>", row.fitSeconds)
            out += "<td>" + (row.pValue.map { String(format: "%.4f", $0) } ?? "") + "</td><td>" + (row.significant.map { $0 ? "yes" : "no" } ?? "") + "</td></tr>\n"
        }
        return out + "</table>\n"
    }

    /// One chart per metric family measured at several cutoffs.
    static func curves(_ leaderboard: Leaderboard) -> String {
        var families: [String: [Int]] = [:]
        var order: [String] = []
        for name in leaderboard.metricNames {
            let parts = name.split(separator: "@")
            guard parts.count == 2, let k = Int(parts[1]) else { continue }
            let family = String(parts[0])
            if families[family] == nil { order.append(family) }
            families[family, default: []].append(k)
        }
        var out = "<div class=\"charts\">"
        for family in order where families[family]!.count > 1 {
            let cutoffs = families[family]!.sorted()
            let series = leaderboard.rows.map { row in
                Chart.Series(name: row.algorithm, points: cutoffs.compactMap { k in row.metrics["\(family)@\(k)"].map { Chart.Point(x: Double(k), y: $0, label: "") } })
            }
            out += Chart(title: "\(family)@k", xLabel: "k", yLabel: family, logX: false).lines(series)
        }
        return out + "</div>\n"
    }

    /// For each algorithm and swept hyperparameter, the validation metric of each value (mean over the other parameters' best).
    static func sweeps(_ leaderboard: Leaderboard, records: [RunRecord]) -> String {
        let validation = records.filter { $0.phase == .validation && $0.experiment == leaderboard.experiment }
        guard !validation.isEmpty else { return "<p>No validation runs: no algorithm was swept.</p>\n" }
        var out = "<div class=\"charts\">"
        let names = Array(Set(validation.map(\.algorithmName))).sorted()
        for name in names {
            let runs = validation.filter { $0.algorithmName == name }
            var swept: [String] = []
            for key in Set(runs.flatMap { $0.parameters.keys }).sorted() where Set(runs.compactMap { $0.parameters[key] }).count > 1 { swept.append(key) }
            for key in swept {
                // The best validation score seen at each value of this parameter.
                var best: [ParameterValue: Double] = [:]
                for run in runs {
                    guard let value = run.parameters[key], let score = run.mean(leaderboard.selection) else { continue }
                    best[value] = max(best[value] ?? -.infinity, score)
                }
                let numeric = best.keys.allSatisfy { $0.number != nil }
                let sortedValues = best.keys.sorted { ($0.number ?? 0, $0.description) < ($1.number ?? 0, $1.description) }
                let points = sortedValues.enumerated().map { index, value in
                    Chart.Point(x: numeric ? value.number! : Double(index), y: best[value]!, label: numeric ? "" : value.description)
                }
                let positive = numeric && points.allSatisfy { $0.x > 0 }
                let spread = (points.map(\.x).max() ?? 1) / max(points.map(\.x).min() ?? 1, 1e-12)
                out += Chart(title: "\(name): \(key)", xLabel: key, yLabel: "best \(leaderboard.selection)", logX: positive && spread >= 20)
                    .lines([Chart.Series(name: name, points: points)])
            }
        }
        return out + "</div>\n"
    }
}

/// A small SVG chart.
struct Chart {
    struct Point { var x: Double; var y: Double; var label: String }
    struct Series { var name: String; var points: [Point] }

    var title: String
    var xLabel: String
    var yLabel: String
    var logX: Bool
    let width = 420.0, height = 280.0, left = 60.0, right = 20.0, top = 30.0, bottom = 45.0

    static let colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    func lines(_ series: [Series]) -> String { draw(series, connect: true) }
    func scatter(_ points: [Point]) -> String { draw(points.map { Series(name: $0.label, points: [$0]) }, connect: false) }

    private func draw(_ series: [Series], connect: Bool) -> String {
        let all = series.flatMap(\.points)
        guard !all.isEmpty else { return "" }
        func tx(_ x: Double) -> Double { logX ? log10(x) : x }
        var (x0, x1) = (all.map { tx($0.x) }.min()!, all.map { tx($0.x) }.max()!)
        var (y0, y1) = (all.map(\.y).min()!, all.map(\.y).max()!)
        if x1 - x0 < 1e-12 { x0 -= 0.5; x1 += 0.5 }
        if y1 - y0 < 1e-12 { y0 -= 0.01; y1 += 0.01 }
        let pad = (y1 - y0) * 0.08
        y0 -= pad; y1 += pad
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + (tx(x) - x0) / (x1 - x0) * plotW }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * plotH }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func e(_ text: String) -> String { LeaderboardPage.escape(text) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\"><title>\(e(title))</title>"
        svg += "<text x=\"\(f(width / 2))\" y=\"18\" font-size=\"13\" text-anchor=\"middle\">\(e(title))</text>"
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(left + plotW))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>"
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>"
        for t in 0...4 {
            let y = y0 + (y1 - y0) * Double(t) / 4
            svg += "<text x=\"\(f(left - 4))\" y=\"\(f(py(y) + 3))\" font-size=\"10\" text-anchor=\"end\">\(String(format: "%.3f", y))</text>"
            let xv = x0 + (x1 - x0) * Double(t) / 4
            let shown = logX ? pow(10, xv) : xv
            svg += "<text x=\"\(f(left + plotW * Double(t) / 4))\" y=\"\(f(top + plotH + 14))\" font-size=\"10\" text-anchor=\"middle\">"
                + String(format: "%g", (shown * 1000).rounded() / 1000) + "</text>"
        }
        svg += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 8))\" font-size=\"11\" text-anchor=\"middle\">\(e(xLabel))</text>"
        for (index, s) in series.enumerated() {
            let colour = Self.colours[index % Self.colours.count]
            if connect && s.points.count > 1 {
                let path = s.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
                svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(path)\"/>"
            }
            for p in s.points {
                let tip = "\(s.name) \(p.label) \(String(format: "%g", p.x)): \(String(format: "%.4f", p.y))"
                svg += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3\" fill=\"\(colour)\"><title>\(e(tip))</title></circle>"
                if !p.label.isEmpty {
                    svg += "<text x=\"\(f(px(p.x) + 4))\" y=\"\(f(py(p.y) - 4))\" font-size=\"9\">\(e(p.label))</text>"
                }
            }
            if connect && series.count > 1 {
                svg += "<text x=\"\(f(left + plotW - 110))\" y=\"\(f(top + 10 + Double(index) * 11))\" font-size=\"9\" fill=\"\(colour)\">\(e(s.name))</text>"
            }
        }
        return svg + "</svg>\n"
    }
}
