import Foundation
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation
import RecBenchExperiments

/// The leaderboard as one self-contained HTML page with inline SVG charts: metric@k curves per
/// algorithm, each swept hyperparameter's effect on the validation metric, and fit time
/// against accuracy. Every name from data or configuration is HTML-escaped.
public enum LeaderboardPage {
    /// The page for `leaderboard`, with the validation runs among `records` (those of the
    /// leaderboard's experiment identity) for the sweep charts.
    public static func html(_ leaderboard: Leaderboard, records: [RunRecord]) -> String {
        var body = "<h1>Leaderboard: \(Markup.escape(leaderboard.experiment))</h1>\n<p>Dataset \(Markup.escape(leaderboard.dataset)); split: \(Markup.escape(leaderboard.split)); "
            + "\(leaderboard.users) test users; ranked by \(Markup.escape(leaderboard.selection)) on test. ± and the bars in the charts: the 95% bootstrap interval over users.</p>\n"
        body += table(leaderboard)
        body += buckets(leaderboard)
        body += "<h2>Metrics at each cutoff</h2>\n" + curves(leaderboard)
        body += "<h2>Hyperparameters (validation \(Markup.escape(leaderboard.selection)), mean over seeds)</h2>\n" + sweeps(leaderboard, records: records)
        body += "<h2>Fit time against accuracy (test)</h2>\n"
        let series = leaderboard.rows.map { row in
            let interval = row.intervals[leaderboard.selection]
            return SVGChart.Series(name: row.algorithm, points: [SVGChart.Point(x: max(row.fitSeconds, 1e-3), y: row.metrics[leaderboard.selection] ?? 0,
                                                                                lower: interval?.first, upper: interval?.last)])
        }
        body += SVGChart(title: "Fit time (log scale) against \(leaderboard.selection)", xLabel: "fit seconds", yLabel: leaderboard.selection,
                         logX: true, yFromData: true, width: 640, height: 360)
            .series(series, connect: false)
        return document(title: "\(leaderboard.experiment) leaderboard", body: body)
    }

    /// One page with the leaderboard of each protocol an experiment ran under (``Experiment/protocols``):
    /// its table, its buckets, a link to its own page, and the algorithms it did not apply to.
    ///
    /// - Parameters:
    ///   - experiment: the experiment's name, for the title.
    ///   - sections: per protocol, in order: its leaderboard, the path of its own page relative to
    ///     this one, and the not-applicable lines.
    public static func protocols(experiment: String, sections: [(leaderboard: Leaderboard, page: String, notApplicable: [String])]) -> String {
        var body = "<h1>\(Markup.escape(experiment)): every protocol</h1>\n<p>Each protocol tunes and scores the same algorithms on its own split; "
            + "± is half the 95% bootstrap interval over users.</p>\n"
        for section in sections {
            let leaderboard = section.leaderboard
            body += "<h2>\(Markup.escape(leaderboard.split))</h2>\n<p>\(leaderboard.users) test users; ranked by \(Markup.escape(leaderboard.selection)); "
                + "<a href=\"\(Markup.escape(section.page))\">its page</a>.</p>\n"
            body += table(leaderboard) + buckets(leaderboard)
            if !section.notApplicable.isEmpty {
                body += "<ul>" + section.notApplicable.map { "<li>\(Markup.escape($0))</li>" }.joined() + "</ul>\n"
            }
        }
        return document(title: "\(experiment): every protocol", body: body)
    }

    /// The self-contained HTML document around `body`.
    private static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(Markup.escape(title))</title>
        <style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 7px;text-align:right}
        td:nth-child(2),th:nth-child(2){text-align:left}td{white-space:nowrap}td small{color:#555}.wide{overflow-x:auto;max-width:100%}svg{margin:0.5em 1em 0.5em 0;background:#fafafa}.charts{display:flex;flex-wrap:wrap}</style>
        </head><body>
        \(body)
        </body></html>

        """
    }

    package static func table(_ leaderboard: Leaderboard) -> String {
        // Each column's header says its direction; its best value (in that direction) is bold.
        var best: [String: Double] = [:]
        for name in leaderboard.metricNames {
            let direction = leaderboard.direction(of: name)
            for row in leaderboard.rows {
                guard let value = row.metrics[name], !value.isNaN else { continue }
                if best[name].map({ direction.isBetter(value, than: $0) }) ?? true { best[name] = value }
            }
        }
        var out = "<div class=\"wide\"><table><tr><th>#</th><th>algorithm</th>" + leaderboard.metricNames.map { name in
            let direction = leaderboard.direction(of: name)
            return "<th title=\"\(direction)\">\(Markup.escape(name)) \(direction == .higherIsBetter ? "↑" : "↓")</th>"
        }.joined() + "<th>fit s</th><th>p vs #1</th><th>significant</th></tr>\n"
        for row in leaderboard.rows {
            let fallback = row.fallback.map { " <span title=\"no information on new items: ranked by \(Markup.escape($0))\">‡</span>" } ?? ""
            out += "<tr><td>\(row.rank)</td><td title=\"\(Markup.escape(row.label))\">\(Markup.escape(row.algorithm))\(fallback)</td>"
            for name in leaderboard.metricNames {
                let interval = row.intervals[name].flatMap { $0.count == 2 && $0[1] > $0[0] ? $0 : nil }
                var value = row.metrics[name].map { String(format: "%.4f", $0) } ?? ""
                if let mean = row.metrics[name], mean == best[name] { value = "<strong>\(value)</strong>" }
                let halfWidth = interval.map { String(format: " <small>± %.4f</small>", ($0[1] - $0[0]) / 2) } ?? ""
                let tip = interval.map { String(format: "95%% bootstrap interval [%.4f, %.4f]", $0[0], $0[1]) } ?? ""
                out += "<td title=\"\(tip)\">\(value)\(halfWidth)</td>"
            }
            out += String(format: "<td>%.2f</td>", row.fitSeconds)
            out += "<td>" + (row.pValue.map { Markup.escape(Leaderboard.formatPValue($0)) } ?? "") + "</td><td>" + (row.significant.map { $0 ? "yes" : "no" } ?? "") + "</td></tr>\n"
        }
        out += "</table></div>\n"
        let fallbacks = leaderboard.rows.filter { $0.fallback != nil }
        if !fallbacks.isEmpty {
            out += "<p>‡ No information on items without training interactions: " + fallbacks.map {
                "\(Markup.escape($0.algorithm)) ranked by \(Markup.escape($0.fallback!))"
            }.joined(separator: "; ") + ".</p>\n"
        }
        return out
    }

    /// The selection metric by activity bucket: for users by training interactions and for
    /// items by training popularity, a table (algorithms × buckets, each bucket's user count in
    /// its header) and a chart with one line per algorithm; nothing when no row has buckets.
    package static func buckets(_ leaderboard: Leaderboard) -> String {
        let rows = leaderboard.rows.filter { $0.buckets != nil }
        guard let first = rows.first?.buckets else { return "" }
        let metric = leaderboard.selection
        // A list metric (coverage, Gini) has no per-user values, so no bucket values.
        guard first.users.contains(where: { $0.mean(metric) != nil }) || first.items.contains(where: { $0.mean(metric) != nil }) else { return "" }
        var out = "<h2>\(Markup.escape(metric)) by activity bucket (test)</h2>\n<p>Users by their \(Markup.escape(first.userCount)); items by "
            + "their training interactions, with only the bucket's items counted relevant and the mean over users with one (docs/metrics.md, "
            + "\"Buckets\"). Each figure is the first seed's run; ± and the bars: the 95% bootstrap interval over the bucket's users.</p>\n"
        let kinds: [(title: String, axis: String, buckets: (BucketBreakdown) -> [BucketBreakdown.Bucket])] = [
            ("users by \(first.userCount)", "user's \(first.userCount)", \.users),
            ("items by training popularity", "relevant items' training interactions", \.items),
        ]
        var charts = "<div class=\"charts\">"
        for kind in kinds {
            let labels = kind.buckets(first).map(\.label)
            guard !labels.isEmpty, kind.buckets(first).contains(where: { $0.mean(metric) != nil }) else { continue }
            out += "<h3>\(Markup.escape(kind.title))</h3>\n<div class=\"wide\"><table><tr><th>#</th><th>algorithm</th>"
            out += kind.buckets(first).map { "<th>\(Markup.escape($0.label)) <small>(\($0.users) users)</small></th>" }.joined() + "</tr>\n"
            var series: [SVGChart.Series] = []
            for row in rows {
                let buckets = kind.buckets(row.buckets!)
                out += "<tr><td>\(row.rank)</td><td>\(Markup.escape(row.algorithm))</td>"
                var points: [SVGChart.Point] = []
                for (index, bucket) in buckets.enumerated() {
                    guard let summary = bucket.summaries.first(where: { $0.metric == metric }), bucket.users > 0 else { out += "<td>–</td>"; continue }
                    let halfWidth = summary.upper > summary.lower ? String(format: " <small>± %.4f</small>", (summary.upper - summary.lower) / 2) : ""
                    let tip = summary.upper > summary.lower ? String(format: "95%% bootstrap interval [%.4f, %.4f], ", summary.lower, summary.upper) : ""
                    out += "<td title=\"\(tip)\(bucket.users) users\">" + String(format: "%.4f", summary.mean) + halfWidth + "</td>"
                    points.append(SVGChart.Point(x: Double(index), y: summary.mean, label: bucket.label,
                                                 lower: summary.upper > summary.lower ? summary.lower : nil,
                                                 upper: summary.upper > summary.lower ? summary.upper : nil))
                }
                out += "</tr>\n"
                series.append(SVGChart.Series(name: row.algorithm, points: points))
            }
            out += "</table></div>\n"
            charts += SVGChart(title: "\(metric) by \(kind.title)", xLabel: kind.axis, yLabel: metric, width: 520, height: 330,
                               xCategories: labels).series(series)
        }
        return out + charts + "</div>\n"
    }

    /// One chart per metric family measured at several cutoffs.
    package static func curves(_ leaderboard: Leaderboard) -> String {
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
                SVGChart.Series(name: row.algorithm, points: cutoffs.compactMap { k in
                    row.metrics["\(family)@\(k)"].map { value in
                        let interval = row.intervals["\(family)@\(k)"]
                        return SVGChart.Point(x: Double(k), y: value, lower: interval?.first, upper: interval?.last)
                    }
                })
            }
            out += SVGChart(title: "\(family)@k", xLabel: "cutoff k", yLabel: family, width: 520, height: 330,
                            xTicks: cutoffs.map(Double.init)).series(series)
        }
        return out + "</div>\n"
    }

    /// For each algorithm and swept hyperparameter, the best validation metric (in its direction) seen at each value.
    package static func sweeps(_ leaderboard: Leaderboard, records: [RunRecord]) -> String {
        // The validation runs of the leaderboard's experiment identity (of its title, for a leaderboard written before identities).
        let validation = records.filter { record in
            guard record.phase == .validation else { return false }
            guard let identity = leaderboard.identity else { return record.experiment == leaderboard.experiment }
            return record.experimentIdentity == identity
        }
        guard !validation.isEmpty else { return "<p>No validation runs: no algorithm was swept.</p>\n" }
        var out = "<div class=\"charts\">"
        let direction = leaderboard.selectionDirection
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
                    if best[value].map({ direction.isBetter(score, than: $0) }) ?? true { best[value] = score }
                }
                let numeric = best.keys.allSatisfy { $0.number != nil }
                let sortedValues = best.keys.sorted { ($0.number ?? 0, $0.description) < ($1.number ?? 0, $1.description) }
                let points = sortedValues.enumerated().map { index, value in
                    SVGChart.Point(x: numeric ? value.number! : Double(index), y: best[value]!, label: numeric ? "" : value.description)
                }
                let positive = numeric && points.allSatisfy { $0.x > 0 }
                let spread = (points.map(\.x).max() ?? 1) / max(points.map(\.x).min() ?? 1, 1e-12)
                var chart = SVGChart(title: "\(name): \(key)", xLabel: key, yLabel: "best \(leaderboard.selection)", logX: positive && spread >= 20,
                                     yFromData: true, width: 420, height: 300)
                if !numeric { chart.xCategories = sortedValues.map(\.description) }
                else if !chart.logX && points.count <= 8 { chart.xTicks = points.map(\.x) }
                out += chart.series([SVGChart.Series(name: name, points: points)])
            }
        }
        return out + "</div>\n"
    }
}
