/// How well a dataset's items are covered by their features, for `recbench stats`.
///
/// JSON: `{"source": "lastfm-tags", "features": 9718, "items": 17632, "coveredItems": 12133,
/// "coveredShare": 0.688, "featuresPerItem": {"mean": …, "median": …, "max": …}}`.
public struct FeatureCoverage: Codable, Sendable, Equatable {
    /// Mean, median and maximum of the number of features of the covered items.
    public struct PerItem: Codable, Sendable, Equatable {
        /// The mean over covered items.
        public var mean: Double
        /// The median over covered items (the mean of the two middle values for an even count).
        public var median: Double
        /// The largest count.
        public var max: Int

        /// Creates the summary from its parts.
        public init(mean: Double, median: Double, max: Int) {
            self.mean = mean
            self.median = median
            self.max = max
        }
    }

    /// Where the features came from (``ItemFeatures/source``).
    public var source: String
    /// Distinct features with at least one stored weight among the dataset's items.
    public var features: Int
    /// The dataset's items.
    public var items: Int
    /// Items with at least one feature.
    public var coveredItems: Int
    /// `coveredItems / items` (0 for no items).
    public var coveredShare: Double
    /// Features per covered item (all 0 when no item is covered).
    public var featuresPerItem: PerItem

    /// Measures `features`.
    ///
    /// A feature column that no item of the (possibly prepared) dataset uses is not counted.
    /// - Complexity: O(items · log items + stored weights).
    public init(_ features: ItemFeatures) {
        let matrix = features.matrix
        var counts: [Int] = []
        var used = [Bool](repeating: false, count: features.featureCount)
        for item in 0..<features.itemCount {
            let range = matrix.range(ofRow: item)
            if !range.isEmpty { counts.append(range.count) }
            for column in matrix.columns[range] { used[Int(column)] = true }
        }
        counts.sort()
        source = features.source
        self.features = used.reduce(0) { $0 + ($1 ? 1 : 0) }
        items = features.itemCount
        coveredItems = counts.count
        coveredShare = items == 0 ? 0 : Double(counts.count) / Double(items)
        let median: Double
        if counts.isEmpty {
            median = 0
        } else if counts.count % 2 == 1 {
            median = Double(counts[counts.count / 2])
        } else {
            median = Double(counts[counts.count / 2 - 1] + counts[counts.count / 2]) / 2
        }
        featuresPerItem = PerItem(mean: counts.isEmpty ? 0 : Double(counts.reduce(0, +)) / Double(counts.count),
                                  median: median, max: counts.last ?? 0)
    }
}

extension ItemFeatures {
    /// The coverage of these features (``FeatureCoverage``).
    public var coverage: FeatureCoverage { FeatureCoverage(self) }
}
