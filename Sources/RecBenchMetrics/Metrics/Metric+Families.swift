import RecBenchCore
extension Metric.Family {
    /// The family's definition at cutoff 10 (direction and input do not depend on the cutoff).
    public var example: any MetricDefinition { metric(cutoff: 10).definition }

    /// How the family's per-user or per-list values become the reported figure.
    public var aggregation: String {
        if example is any RatingMetric { return example.name == "FCP" ? "over users' held-out pairs (Surprise's FCP)" : "over all held-out ratings" }
        return example is any ListMetric ? "one value over all users' lists" : "mean over users"
    }
}

extension Metric {
    /// Every metric family as a Markdown table: name, direction, what it needs, how users are
    /// combined (`recbench metrics` prints it; definitions are in docs/metrics.md).
    public static var familyTable: String {
        var lines = ["| name | direction | needs | reported as |", "|---|---|---|---|"]
        for family in families {
            let example = family.example
            lines.append("| `\(family.pattern)` | \(example.direction) | \(example.needs) | \(family.aggregation) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
