import Foundation
import RecBenchKernels
import RecBenchCore

/// How item-kNN weights the interaction matrix before measuring similarity.
///
/// As in the `implicit` library, items are the documents and users the terms: idf counts, per
/// user, how many items they have (N = the number of items), and BM25's length is an item's
/// total. This keeps results comparable with `implicit`'s `TFIDFRecommender` and `BM25Recommender`.
public enum ItemWeighting: Codable, Hashable, Sendable {
    /// The values as they are.
    case none
    /// √x · idf, idf = log N − log(1 + items of the user).
    case tfidf
    /// x·(K1 + 1) / (K1·((1 − B) + B·len/avglen) + x) · idf (Robertson et al., Okapi BM25).
    case bm25(k1: Double, b: Double)

    /// BM25 with its usual constants, K1 = 1.2 and B = 0.75 (`implicit`'s), for a weighting named without them.
    public static let bm25 = ItemWeighting.bm25(k1: 1.2, b: 0.75)

    /// The weighting's name in experiment files.
    package var name: String {
        switch self {
        case .none: return "none"
        case .tfidf: return "tfidf"
        case .bm25: return "bm25"
        }
    }
}

extension ItemWeighting {
    /// BM25's saturated term frequency before the idf, x·(K1 + 1) / (K1·((1 − B) + B·length/averageLength) + x)
    /// (Robertson and Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", 2009): item-kNN's
    /// and content k-NN's one formula.
    ///
    /// - Parameters:
    ///   - x: the term's value in the document (positive).
    ///   - k1: K1, the saturation.
    ///   - b: B, the length normalisation.
    ///   - length: the document's length; `averageLength`: the mean length (floored at 1e−12).
    /// - Complexity: O(1).
    package static func bm25TermFrequency(_ x: Double, k1: Double, b: Double, length: Double, averageLength: Double) -> Double {
        let norm = (1 - b) + b * length / max(averageLength, 1e-12)
        return x * (k1 + 1) / (k1 * norm + x)
    }
}

/// How two items' weighted vectors are compared.
public enum ItemSimilarity: String, Codable, Hashable, Sendable {
    /// dot / (‖i‖·‖j‖ + shrinkage).
    case cosine
    /// The plain dot product (what `implicit`'s `BM25Recommender` uses).
    case dotProduct
}

/// Item-based k-nearest neighbours on implicit feedback (Sarwar et al., WWW 2001; Deshpande and
/// Karypis, TOIS 2004): cosine (or dot-product) similarity between items' weighted user vectors, the K most
/// similar items kept per item (the item itself included, as in `implicit`), optional
/// shrinkage sim = dot / (‖i‖·‖j‖ + shrinkage). Only items that co-occur (non-zero similarity)
/// are neighbours. A user's score for an item is the sum, over the user's training items, of
/// the training value times the similarity.
public struct ItemKNNConfiguration: BuiltInConfiguration {
    /// Neighbours kept per item.
    public var neighbors: Int
    /// The weighting applied before the similarity.
    public var weighting: ItemWeighting
    /// Shrinkage added to the cosine's denominator (0: plain cosine).
    public var shrinkage: Double
    /// How weighted item vectors are compared.
    public var similarity: ItemSimilarity

    /// The defaults, stated once: cosine item-kNN with 100 neighbours, no weighting, no shrinkage.
    public init() {
        neighbors = 100
        weighting = .none
        shrinkage = 0
        similarity = .cosine
    }

    /// Creates the configuration (unset arguments take `init()`'s values).
    ///
    /// `implicit`'s `CosineRecommender(K)` and `TFIDFRecommender(K)` are `(K, .none / .tfidf, cosine)`;
    /// its `BM25Recommender(K, K1, B)` is `(K, .bm25(k1: K1, b: B), .dotProduct)`.
    public init(neighbors: Int = Self().neighbors, weighting: ItemWeighting = Self().weighting, shrinkage: Double = Self().shrinkage,
                similarity: ItemSimilarity = Self().similarity) {
        self.neighbors = neighbors
        self.weighting = weighting
        self.shrinkage = shrinkage
        self.similarity = similarity
    }

    public static let typeName = "item-knn"

    public static let hyperparameters = [
        Hyperparameter("neighbors", .integer(HyperparameterLimits.neighbors), "Neighbours kept per item (the item itself included)."),
        Hyperparameter("weighting", .choice(["none", "tfidf", "bm25"]), "Weighting of the user × item matrix before the similarity."),
        Hyperparameter("k1", .real(HyperparameterLimits.k1), "BM25's K1 (weighting bm25)."),
        Hyperparameter("b", .real(HyperparameterLimits.b), "BM25's B (weighting bm25)."),
        Hyperparameter("shrinkage", .real(HyperparameterLimits.shrinkage), "Added to the cosine's denominator."),
        Hyperparameter("similarity", .choice(["cosine", "dot"]), "Cosine or plain dot product (unset: dot for bm25, as implicit's BM25Recommender)."),
    ]

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        self.init()
        switch p.word("weighting") {
        case "tfidf"?: weighting = .tfidf
        case "bm25"?:
            guard case let .bm25(k1, b) = ItemWeighting.bm25 else { break }
            weighting = .bm25(k1: p.real("k1") ?? k1, b: p.real("b") ?? b)
            // BM25 vectors are not normalised (implicit's BM25Recommender); the others use cosine.
            similarity = .dotProduct
        default: break
        }
        if let v = p.word("similarity") { similarity = v == "dot" ? .dotProduct : .cosine }
        if let v = p.integer("neighbors") { neighbors = v }
        if let v = p.real("shrinkage") { shrinkage = v }
    }

    /// `k1` and `b` are BM25's, or its usual constants under another weighting.
    public var parameters: [String: ParameterValue] {
        var k1 = 0.0, b = 0.0
        if case let .bm25(k, bb) = weighting { (k1, b) = (k, bb) } else if case let .bm25(k, bb) = ItemWeighting.bm25 { (k1, b) = (k, bb) }
        return ["neighbors": .integer(neighbors), "weighting": .string(weighting.name), "k1": .double(k1), "b": .double(b),
                "shrinkage": .double(shrinkage), "similarity": .string(similarity == .dotProduct ? "dot" : "cosine")]
    }

    public var algorithm: Algorithm { .itemKNN(self) }

    public static var usesSeed: Bool { false }

    /// `k1` and `b` mean something only with the bm25 weighting.
    public static func ignoredParameters(given values: [String: ParameterValue]) -> Set<String> {
        values["weighting"] == .string("bm25") ? [] : ["k1", "b"]
    }

    public var label: String {
        let w: String
        switch weighting {
        case .none: w = "cosine"
        case .tfidf: w = "tfidf"
        case .bm25(let k1, let b): w = "bm25(K1=\(k1), B=\(b))"
        }
        return "ItemKNN(\(w), K=\(neighbors)\(similarity == .dotProduct ? ", dot" : "")\(shrinkage > 0 ? ", shrink=\(shrinkage)" : ""))"
    }

    /// Bytes of the neighbour lists (an index and a weight per neighbour and item) and of each
    /// thread's dense accumulators, on `items` items (`Int.max` when that overflows).
    public static func peakBytes(items: Int, neighbors: Int) -> Int {
        Saturating.sum(Saturating.product(8, items, min(neighbors, items)), Saturating.product(8, items, Parallel.defaultThreads))
    }

    /// Fits the neighbourhoods.
    ///
    /// - Complexity: O(Σᵤ |row u|²) time for the co-occurrences, O(items · K) memory.
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> ItemKNNModel {
        try validate()
        let matrix = train.interactions
        let items = matrix.columnCount
        try MemoryBudget.check("item-kNN with \(neighbors) neighbours on \(items) items", needs: Self.peakBytes(items: items, neighbors: neighbors),
                               advice: "lower neighbors or " + AlgorithmError.pruningAdvice)
        // Weighted values, in the CSR order of the training matrix.
        var weighted = matrix.values
        let itemsPerUser = matrix.rowLengths
        switch weighting {
        case .none:
            break
        case .tfidf:
            let n = Double(items)
            for u in 0..<matrix.rowCount {
                let idf = Float(log(n) - log1p(Double(itemsPerUser[u])))
                for k in matrix.range(ofRow: u) { weighted[k] = sqrtf(weighted[k]) * idf }
            }
        case .bm25(let k1, let b):
            let n = Double(items)
            var lengths = [Double](repeating: 0, count: items)
            for (column, value) in zip(matrix.columns, matrix.values) { lengths[Int(column)] += Double(value) }
            let average = lengths.reduce(0, +) / Double(max(items, 1))
            for u in 0..<matrix.rowCount {
                let idf = log(n) - log1p(Double(itemsPerUser[u]))
                for k in matrix.range(ofRow: u) {
                    let x = Double(weighted[k])
                    weighted[k] = Float(ItemWeighting.bm25TermFrequency(x, k1: k1, b: b, length: lengths[Int(matrix.columns[k])],
                                                                        averageLength: average) * idf)
                }
            }
        }
        // Item columns (CSC) of the weighted matrix.
        let columnsOf = matrix.transposed(values: weighted)
        var norms = [Float](repeating: 0, count: items)
        for i in 0..<items {
            var sum: Float = 0
            for k in columnsOf.range(ofRow: i) { sum += columnsOf.values[k] * columnsOf.values[k] }
            norms[i] = sum.squareRoot()
        }
        let k = min(neighbors, items)
        var neighborItems = [Int32](repeating: -1, count: items * k)
        var neighborWeights = [Float](repeating: 0, count: items * k)
        let shrink = Float(shrinkage)
        let useCosine = similarity == .cosine
        neighborItems.withUnsafeMutableBufferPointer { outItems in
            neighborWeights.withUnsafeMutableBufferPointer { outWeights in
                let itemsOut = SendableMutablePointer(outItems.baseAddress!), weightsOut = SendableMutablePointer(outWeights.baseAddress!)
                let frozenWeights = weighted, frozenNorms = norms
                Parallel.forEachRange(count: items, pieces: 64, threads: threads ?? Parallel.defaultThreads) { range in
                    let accumulator = UnsafeMutablePointer<Float>.allocate(capacity: items)
                    accumulator.initialize(repeating: 0, count: items)
                    defer { accumulator.deallocate() }
                    let touched = UnsafeMutablePointer<Int32>.allocate(capacity: items)
                    defer { touched.deallocate() }
                    var heap = TopK.Heap(capacity: k)
                    for i in range {
                        var touchedCount = 0
                        // Co-occurrence dot products with every item, through the users of item i.
                        columnsOf.columns.withUnsafeBufferPointer { itemUsers in
                            columnsOf.values.withUnsafeBufferPointer { itemWeights in
                                matrix.columns.withUnsafeBufferPointer { userItems in
                                    frozenWeights.withUnsafeBufferPointer { userWeights in
                                        matrix.rowOffsets.withUnsafeBufferPointer { offsets in
                                            for p in columnsOf.range(ofRow: i) {
                                                let u = Int(itemUsers[p]), w = itemWeights[p]
                                                for q in offsets[u]..<offsets[u + 1] {
                                                    let j = Int(userItems[q])
                                                    let before = accumulator[j]
                                                    if before == 0 { touched[touchedCount] = Int32(j); touchedCount += 1 }
                                                    accumulator[j] = before + w * userWeights[q]
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        // Only co-occurring items (non-zero dot products) are candidates; offers in any
                        // order keep the ties' lower-index rule. Touched entries are cleared for the next item.
                        heap.clear(capacity: k)
                        let normI = frozenNorms[i]
                        for t in 0..<touchedCount {
                            let j = Int(touched[t])
                            let dot = accumulator[j]
                            accumulator[j] = 0
                            if dot == 0 { continue }
                            var similarity = dot
                            if useCosine {
                                let denominator = normI * frozenNorms[j] + shrink
                                similarity = denominator > 0 ? dot / denominator : 0
                            }
                            if similarity != 0 { heap.offer(score: similarity, index: Int32(j), k: k) }
                        }
                        let best = heap.sortedDescending()
                        var slot = 0
                        for (index, score) in zip(best.indices, best.scores) where score != 0 {
                            itemsOut.pointer[i * k + slot] = index
                            weightsOut.pointer[i * k + slot] = score
                            slot += 1
                        }
                    }
                }
            }
        }
        return ItemKNNModel(history: matrix, neighbors: k, neighborItems: neighborItems, neighborWeights: neighborWeights)
    }
}

/// The model of ``ItemKNNConfiguration``: K neighbours per item, and the users' training
/// rows (a neighbourhood model scores a user from the user's history).
public struct ItemKNNModel: TrainedModel {
    /// The training interactions whose values weigh each history item.
    public let history: InteractionMatrix
    /// Neighbours per item.
    public let neighbors: Int
    /// Item i's neighbours at `i * neighbors ..< (i + 1) * neighbors` (−1: none).
    public let neighborItems: [Int32]
    /// Their similarities.
    public let neighborWeights: [Float]

    public var itemCount: Int { history.columnCount }

    public func scores(for users: UserBatch, into scores: inout ScoreRows) {
        self.scores(for: users, rows: history, into: &scores)
    }

    /// Each user's score of every item from their row of `rows`: Σ over the row's items i of
    /// the value times i's similarity to the item (0 for an item that is no neighbour). A user
    /// beyond `rows` scores every item 0.
    ///
    /// - Complexity: O(Σ nᵤ·K + users·items).
    func scores(for users: UserBatch, rows history: InteractionMatrix, into scores: inout ScoreRows) {
        let items = itemCount, k = neighbors
        guard items > 0 else { return }
        for (row, user) in users.enumerated() {
            let out = scores[row: row].baseAddress!
            out.update(repeating: 0, count: items)
            guard user.int >= 0, user.int < history.rowCount else { continue }
            for p in history.range(ofRow: user.int) {
                let i = Int(history.columns[p]), value = history.values[p]
                for slot in 0..<k {
                    let j = neighborItems[i * k + slot]
                    if j < 0 { break }
                    out[Int(j)] += value * neighborWeights[i * k + slot]
                }
            }
        }
    }
}

extension ItemKNNModel: FoldInModel {
    /// Scores each new user exactly as a training row is scored: the user's values in
    /// `histories` (not weighted: the weighting only shapes the similarities) times the fitted
    /// neighbour similarities, summed per item.
    public func foldInScores(for users: UserBatch, histories: InteractionMatrix, into scores: inout ScoreRows) {
        self.scores(for: users, rows: histories, into: &scores)
    }
}

extension InteractionMatrix {
    /// The transpose (items × users), rows sorted, with `values` aligned to this matrix's entries.
    public func transposed(values: [Float]? = nil) -> InteractionMatrix {
        let source = values ?? self.values
        var offsets = [Int](repeating: 0, count: columnCount + 1)
        for column in columns { offsets[Int(column) + 1] += 1 }
        for i in 0..<columnCount { offsets[i + 1] += offsets[i] }
        var next = offsets
        var rows = [Int32](repeating: 0, count: nonZeroCount)
        var transposedValues = [Float](repeating: 0, count: nonZeroCount)
        for u in 0..<rowCount {
            for p in range(ofRow: u) {
                let c = Int(columns[p])
                rows[next[c]] = Int32(u)
                transposedValues[next[c]] = source[p]
                next[c] += 1
            }
        }
        return InteractionMatrix(rowCount: columnCount, columnCount: rowCount, rowOffsets: offsets, columns: rows, values: transposedValues)
    }
}
