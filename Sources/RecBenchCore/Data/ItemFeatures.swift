/// Item metadata as a sparse item × feature matrix with weights: the content side of a dataset.
///
/// Row `i` is the dataset's item `i` (the same dense index as the interactions' columns);
/// column `f` is the feature named `names[f]` (a tag, a genre, `artist=Queen`, `tempo`).
/// A weight is how strongly the item has the feature: the number of users who gave a tag, 1 for
/// a genre flag, or a numeric feature's value. Items without metadata have empty rows. Sources
/// and their weights are documented in docs/content.md; loaders (``ItemFeatureSource``) align
/// a file's raw item ids with the dataset's items and count the rows that matched none.
public struct ItemFeatures: Sendable, Equatable {
    /// The features' names, in column order.
    public var names: [String]
    /// Items × features weights (CSR, increasing feature index within a row, no zero stored).
    public var matrix: InteractionMatrix
    /// Where the features came from, for reports (`lastfm-tags`, a file's path, …).
    public var source: String
    /// What loading counted: rows read, rows whose item is not in the dataset, …
    public var notes: [String]

    /// Creates features from their parts.
    ///
    /// - Precondition: `names.count == matrix.columnCount`.
    public init(names: [String], matrix: InteractionMatrix, source: String, notes: [String] = []) {
        precondition(names.count == matrix.columnCount, "one name per feature column")
        self.names = names
        self.matrix = matrix
        self.source = source
        self.notes = notes
    }

    /// Builds features for `itemCount` items from (item index, feature name, weight) entries.
    ///
    /// Features are numbered by first appearance; a repeated (item, feature) pair sums its
    /// weights; entries whose summed weight is 0 are dropped.
    ///
    /// - Complexity: O(n log n) for n entries.
    public init(itemCount: Int, entries: [(item: Int, feature: String, weight: Float)], source: String, notes: [String] = []) {
        var numbers: [String: Int32] = [:]
        var names: [String] = []
        var cells: [Int: [Int32: Float]] = [:]
        for entry in entries where entry.item >= 0 && entry.item < itemCount {
            let feature: Int32
            if let known = numbers[entry.feature] { feature = known } else {
                feature = Int32(names.count)
                numbers[entry.feature] = feature
                names.append(entry.feature)
            }
            cells[entry.item, default: [:]][feature, default: 0] += entry.weight
        }
        var offsets = [0], columns: [Int32] = [], values: [Float] = []
        for item in 0..<itemCount {
            for (feature, weight) in (cells[item] ?? [:]).sorted(by: { $0.key < $1.key }) where weight != 0 {
                columns.append(feature)
                values.append(weight)
            }
            offsets.append(columns.count)
        }
        self.init(names: names, matrix: InteractionMatrix(rowCount: itemCount, columnCount: names.count, rowOffsets: offsets,
                                                          columns: columns, values: values),
                  source: source, notes: notes)
    }

    /// The number of items (rows).
    public var itemCount: Int { matrix.rowCount }
    /// The number of distinct features (columns).
    public var featureCount: Int { matrix.columnCount }

    /// The features of `item`: their column indices, increasing, and weights.
    public func features(of item: Int) -> (columns: ArraySlice<Int32>, weights: ArraySlice<Float>) {
        let range = matrix.range(ofRow: item)
        return (matrix.columns[range], matrix.values[range])
    }

    /// How many items have at least one feature.
    public var coveredItems: Int { (0..<itemCount).filter { !matrix.range(ofRow: $0).isEmpty }.count }

    /// The features restricted to the items at `positions` (a dataset's item subset, in order).
    public func subset(_ positions: [Int]) -> ItemFeatures {
        var offsets = [0], columns: [Int32] = [], values: [Float] = []
        for item in positions {
            let range = matrix.range(ofRow: item)
            columns.append(contentsOf: matrix.columns[range])
            values.append(contentsOf: matrix.values[range])
            offsets.append(columns.count)
        }
        return ItemFeatures(names: names, matrix: InteractionMatrix(rowCount: positions.count, columnCount: featureCount,
                                                                   rowOffsets: offsets, columns: columns, values: values),
                            source: source, notes: notes)
    }
}
