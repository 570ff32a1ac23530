/// Descriptive statistics of a dataset: size, sparsity, activity, value distribution, long tail.
public struct DatasetStatistics: Codable, Sendable, Equatable {
    /// Min, quartiles and max of a distribution, plus its mean.
    public struct Summary: Codable, Sendable, Equatable {
        public var min: Double
        public var q1: Double
        public var median: Double
        public var q3: Double
        public var max: Double
        public var mean: Double

        /// Summarises `values` (quartiles by linear interpolation between order statistics, as NumPy's default).
        public init(_ values: [Double]) {
            guard !values.isEmpty else { self.init(min: 0, q1: 0, median: 0, q3: 0, max: 0, mean: 0); return }
            let sorted = values.sorted()
            func quantile(_ q: Double) -> Double {
                let position = q * Double(sorted.count - 1)
                let low = Int(position.rounded(.down)), high = Swift.min(low + 1, sorted.count - 1)
                return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
            }
            self.init(min: sorted[0], q1: quantile(0.25), median: quantile(0.5), q3: quantile(0.75),
                      max: sorted[sorted.count - 1], mean: sorted.reduce(0, +) / Double(sorted.count))
        }

        package init(min: Double, q1: Double, median: Double, q3: Double, max: Double, mean: Double) {
            (self.min, self.q1, self.median, self.q3, self.max, self.mean) = (min, q1, median, q3, max, mean)
        }
    }

    /// An item and how many interactions it has.
    public struct TopItem: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var users: Int
        public var totalValue: Double
    }

    public var name: String
    public var users: Int
    public var items: Int
    public var interactions: Int
    /// interactions / (users × items).
    public var density: Double
    public var interactionsPerUser: Summary
    public var interactionsPerItem: Summary
    public var values: Summary
    /// Share of interactions on the most popular 1% of items (by number of users).
    public var top1PercentShare: Double
    /// Share of interactions on the most popular 10% of items.
    public var top10PercentShare: Double
    /// Gini coefficient of the items' interaction counts (0 equal, → 1 concentrated).
    public var itemPopularityGini: Double
    /// Interactions that carry a timestamp.
    public var timestamped: Int
    /// The most popular items by number of users.
    public var topItems: [TopItem]
    /// How the items are covered by their features, when features were loaded (absent from the JSON otherwise).
    public var itemFeatures: FeatureCoverage?

    /// Computes the statistics of `dataset`.
    ///
    /// - Parameter top: how many of the most popular items to list.
    /// - Complexity: O(nnz + items·log items).
    public init(_ dataset: Dataset, top: Int = 10) {
        let matrix = dataset.interactions
        name = dataset.name
        itemFeatures = dataset.itemFeatures?.coverage
        users = dataset.userCount
        items = dataset.itemCount
        interactions = dataset.interactionCount
        density = matrix.density
        interactionsPerUser = Summary(matrix.rowLengths.map(Double.init))
        let itemCounts = matrix.columnLengths
        interactionsPerItem = Summary(itemCounts.map(Double.init))
        values = Summary(matrix.values.map(Double.init))
        let descending = itemCounts.sorted(by: >)
        let total = dataset.interactionCount, itemTotal = dataset.itemCount
        let share = { (fraction: Double) -> Double in
            guard total > 0 else { return 0 }
            let k = Swift.max(1, Int((Double(itemTotal) * fraction).rounded(.up)))
            return Double(descending.prefix(k).reduce(0, +)) / Double(total)
        }
        top1PercentShare = share(0.01)
        top10PercentShare = share(0.10)
        itemPopularityGini = Inequality.gini(itemCounts.map(Double.init))
        timestamped = dataset.times?.knownCount ?? 0
        let sums = matrix.columnSums
        let order = (0..<items).sorted { itemCounts[$0] != itemCounts[$1] ? itemCounts[$0] > itemCounts[$1] : $0 < $1 }
        topItems = order.prefix(top).map {
            TopItem(id: dataset.items.rawID(at: $0), name: dataset.items.displayName(at: $0), users: itemCounts[$0], totalValue: sums[$0])
        }
    }

    /// The Gini coefficient of non-negative values (``Inequality/gini(_:)``).
    public static func gini(_ values: [Double]) -> Double { Inequality.gini(values) }
}
