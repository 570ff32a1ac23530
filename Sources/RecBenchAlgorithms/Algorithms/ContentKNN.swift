import Foundation
import RecBenchKernels
import RecBenchCore

/// How content k-NN weighs a user's items in the score.
public enum ContentUserWeights: String, Codable, Hashable, Sendable {
    /// Every item of the user counts 1.
    case binary
    /// Each item counts its interaction value (plays, rating).
    case values
}

/// Content-based item k-nearest neighbours (Lops, de Gemmis and Semeraro, "Content-based
/// Recommender Systems: State of the Art and Trends", Recommender Systems Handbook, 2011): items
/// are compared by their features (``Dataset/itemFeatures``), not by who interacted with them, so
/// an item nobody has played yet is scored from its similarity to the user's items.
///
/// The definition (docs/content.md, "Content k-NN"):
/// - **Weighting** of the items × features matrix W (w = the item's weight for the feature: for
///   Last.fm tags, how many users gave it), over the N items with at least one feature and
///   df(f) = the number of items with feature f, idf(f) = ln(N / df(f)) (natural log, no
///   smoothing: a feature every item has weighs 0):
///   `tfidf` w·idf, or (`sublinear_tf`) sign(w)·ln(1 + |w|)·idf; `bm25` sign(w)·BM25(|w|)·idf with
///   item-kNN's saturation (``ItemWeighting/bm25TermFrequency(_:k1:b:length:averageLength:)``; an
///   item's length is Σ|w| over its features, the average over the N items); `none` w.
/// - **Similarity**: the cosine of two items' weighted vectors, computed sparse through the
///   features × items inverted index. Each item keeps its K most similar *other* items
///   (similarity > 0 only; ties: lower index). Items without features have no neighbours.
/// - **Score** of item i for user u: Σ over u's items j that are among i's K neighbours of
///   r·sim(i, j), r = 1 (`binary`) or u's value for j (`values`) — LensKit's item-item convention
///   of the candidate's neighbourhood. Items without features score 0.
public struct ContentKNNConfiguration: BuiltInConfiguration {
    /// Neighbours kept per item (K).
    public var neighbors: Int
    /// The weighting of the item × feature matrix (``ItemWeighting``; documents are items, terms features).
    public var weighting: ItemWeighting
    /// Under `tfidf`: tf = sign(w)·ln(1 + |w|) instead of w.
    public var sublinearTF: Bool
    /// How the user's items count in the score.
    public var userWeights: ContentUserWeights

    /// The defaults, stated once: TF-IDF, raw tf, 50 neighbours, binary user items.
    public init() {
        neighbors = 50
        weighting = .tfidf
        sublinearTF = false
        userWeights = .binary
    }

    /// Creates the configuration (unset arguments take `init()`'s values).
    public init(neighbors: Int = Self().neighbors, weighting: ItemWeighting = Self().weighting, sublinearTF: Bool = Self().sublinearTF,
                userWeights: ContentUserWeights = Self().userWeights) {
        self.neighbors = neighbors
        self.weighting = weighting
        self.sublinearTF = sublinearTF
        self.userWeights = userWeights
    }

    public static let typeName = "content-knn"

    public static let hyperparameters = [
        Hyperparameter("neighbors", .integer(HyperparameterLimits.neighbors), "Most similar items kept per item (K), by feature cosine."),
        Hyperparameter("weighting", .choice(["tfidf", "bm25", "none"]), "Weighting of the item × feature matrix (idf = ln(N/df))."),
        Hyperparameter("sublinear_tf", .boolean, "tf = ln(1 + w) instead of w (weighting tfidf)."),
        Hyperparameter("k1", .real(HyperparameterLimits.k1), "BM25's K1 (weighting bm25)."),
        Hyperparameter("b", .real(HyperparameterLimits.b), "BM25's B (weighting bm25)."),
        Hyperparameter("user_weights", .choice(["binary", "values"]), "A user's items count 1 or their interaction value."),
    ]

    public init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        self.init()
        switch p.word("weighting") {
        case "none"?: weighting = .none
        case "bm25"?:
            guard case let .bm25(k1, b) = ItemWeighting.bm25 else { break }
            weighting = .bm25(k1: p.real("k1") ?? k1, b: p.real("b") ?? b)
        default: break
        }
        if let v = p.integer("neighbors") { neighbors = v }
        if let v = p.boolean("sublinear_tf") { sublinearTF = v }
        if let v = p.word("user_weights") { userWeights = ContentUserWeights(rawValue: v) ?? .binary }
    }

    /// `k1` and `b` are BM25's, or its usual constants under another weighting.
    public var parameters: [String: ParameterValue] {
        var k1 = 0.0, b = 0.0
        if case let .bm25(k, bb) = weighting { (k1, b) = (k, bb) } else if case let .bm25(k, bb) = ItemWeighting.bm25 { (k1, b) = (k, bb) }
        return ["neighbors": .integer(neighbors), "weighting": .string(weighting.name), "sublinear_tf": .boolean(sublinearTF),
                "k1": .double(k1), "b": .double(b), "user_weights": .string(userWeights.rawValue)]
    }

    public var algorithm: Algorithm { .contentKNN(self) }

    public static var usesSeed: Bool { false }

    /// `k1` and `b` mean something only under bm25, `sublinear_tf` only under tfidf (the default).
    public static func ignoredParameters(given values: [String: ParameterValue]) -> Set<String> {
        switch values["weighting"] {
        case .string("bm25")?: return ["sublinear_tf"]
        case .string("none")?: return ["k1", "b", "sublinear_tf"]
        default: return ["k1", "b"]
        }
    }

    public var label: String {
        let w: String
        switch weighting {
        case .none: w = "cosine"
        case .tfidf: w = sublinearTF ? "tfidf(sublinear)" : "tfidf"
        case .bm25(let k1, let b): w = "bm25(K1=\(k1), B=\(b))"
        }
        return "ContentKNN(\(w), K=\(neighbors)\(userWeights == .values ? ", values" : ""))"
    }

    /// The feature weights of ``ContentKNNConfiguration`` applied to `features`: the values of
    /// its matrix, in its CSR order.
    ///
    /// - Complexity: O(nnz).
    public func weightedValues(_ features: ItemFeatures) -> [Float] {
        let m = features.matrix
        var weighted = m.values
        if case .none = weighting { return weighted }
        var df = [Int](repeating: 0, count: m.columnCount)
        for column in m.columns { df[Int(column)] += 1 }
        let covered = features.coveredItems
        let idf = df.map { $0 > 0 ? log(Double(covered) / Double($0)) : 0 }
        switch weighting {
        case .none:
            break
        case .tfidf:
            for k in 0..<m.nonZeroCount {
                let w = Double(m.values[k])
                let tf = sublinearTF ? (w < 0 ? -log1p(-w) : log1p(w)) : w
                weighted[k] = Float(tf * idf[Int(m.columns[k])])
            }
        case .bm25(let k1, let b):
            var lengths = [Double](repeating: 0, count: m.rowCount)
            var total = 0.0
            for i in 0..<m.rowCount {
                for k in m.range(ofRow: i) { lengths[i] += abs(Double(m.values[k])) }
                total += lengths[i]
            }
            let average = total / Double(max(covered, 1))
            for i in 0..<m.rowCount {
                for k in m.range(ofRow: i) {
                    let w = Double(m.values[k])
                    let tf = ItemWeighting.bm25TermFrequency(abs(w), k1: k1, b: b, length: lengths[i], averageLength: average)
                    weighted[k] = Float((w < 0 ? -tf : tf) * idf[Int(m.columns[k])])
                }
            }
        }
        return weighted
    }

    /// Bytes of the neighbour lists and their reverse index (an index and a weight per
    /// neighbour, twice) and each thread's accumulators, on `items` items (`Int.max` on overflow).
    public static func peakBytes(items: Int, neighbors: Int) -> Int {
        Saturating.sum(Saturating.product(16, items, min(neighbors, items)), Saturating.product(8, items, Parallel.defaultThreads))
    }

    /// Fits the neighbourhoods from `train.itemFeatures`.
    ///
    /// - Throws: ``AlgorithmError/missingItemFeatures(algorithm:)`` when the dataset has no item
    ///   features; ``ConfigurationError`` for a hyperparameter outside its domain; a memory error
    ///   when the neighbour lists would not fit.
    /// - Complexity: O(Σ_f df(f)²) multiply-adds for the similarities (each feature pairs its
    ///   items), O(items · K) memory; parallel over items, identical bits at any thread count.
    public func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> ContentKNNModel {
        try validate()
        let items = train.interactions.columnCount
        guard let features = train.itemFeatures, features.itemCount == items, features.matrix.nonZeroCount > 0 else {
            throw AlgorithmError.missingItemFeatures(algorithm: Self.typeName)
        }
        try MemoryBudget.check("content k-NN with \(neighbors) neighbours on \(items) items", needs: Self.peakBytes(items: items, neighbors: neighbors),
                               advice: "lower neighbors or " + AlgorithmError.pruningAdvice)
        let matrix = features.matrix
        let weighted = weightedValues(features)
        // Features × items, the inverted index.
        let byFeature = matrix.transposed(values: weighted)
        var norms = [Float](repeating: 0, count: items)
        for i in 0..<items {
            var sum: Double = 0
            for k in matrix.range(ofRow: i) { sum += Double(weighted[k]) * Double(weighted[k]) }
            norms[i] = Float(sum.squareRoot())
        }
        let k = min(neighbors, max(items - 1, 0))
        var neighborItems = [Int32](repeating: -1, count: items * k)
        var neighborWeights = [Float](repeating: 0, count: items * k)
        if k > 0 {
            neighborItems.withUnsafeMutableBufferPointer { outItems in
                neighborWeights.withUnsafeMutableBufferPointer { outWeights in
                    let itemsOut = SendableMutablePointer(outItems.baseAddress!), weightsOut = SendableMutablePointer(outWeights.baseAddress!)
                    let frozenNorms = norms
                    Parallel.forEachRange(count: items, pieces: 64, threads: threads ?? Parallel.defaultThreads) { range in
                        Self.neighbours(of: range, matrix: matrix, weighted: weighted, byFeature: byFeature, norms: frozenNorms, k: k,
                                        items: itemsOut.pointer, weights: weightsOut.pointer)
                    }
                }
            }
        }
        return ContentKNNModel(history: train.interactions, userWeights: userWeights, neighbors: k,
                               neighborItems: neighborItems, neighborWeights: neighborWeights)
    }

    /// Writes the K nearest neighbours of the items in `range` (rows `i·k ..< (i + 1)·k` of the outputs).
    private static func neighbours(of range: Range<Int>, matrix: InteractionMatrix, weighted: [Float], byFeature: InteractionMatrix,
                                   norms: [Float], k: Int, items itemsOut: UnsafeMutablePointer<Int32>,
                                   weights weightsOut: UnsafeMutablePointer<Float>) {
        let count = matrix.rowCount
        let accumulator = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { accumulator.deallocate() }
        // stamp[j] == i when j was touched for item i: its accumulator holds a partial sum.
        let stamp = UnsafeMutablePointer<Int32>.allocate(capacity: count)
        stamp.initialize(repeating: -1, count: count)
        defer { stamp.deallocate() }
        let touched = UnsafeMutablePointer<Int32>.allocate(capacity: count)
        defer { touched.deallocate() }
        var heap = TopK.Heap(capacity: k)
        matrix.rowOffsets.withUnsafeBufferPointer { itemOffsets in
        matrix.columns.withUnsafeBufferPointer { itemFeatures in
        weighted.withUnsafeBufferPointer { itemWeights in
        byFeature.rowOffsets.withUnsafeBufferPointer { featureOffsets in
        byFeature.columns.withUnsafeBufferPointer { featureItems in
        byFeature.values.withUnsafeBufferPointer { featureWeights in
        norms.withUnsafeBufferPointer { norms in
            for i in range {
                let normI = norms[i]
                guard normI > 0 else { continue }
                var touchedCount = 0
                let mark = Int32(i)
                // Dot products with every item sharing a feature, features in increasing order.
                for p in itemOffsets[i]..<itemOffsets[i + 1] {
                    let f = Int(itemFeatures[p]), a = itemWeights[p]
                    for q in featureOffsets[f]..<featureOffsets[f + 1] {
                        let j = Int(featureItems[q])
                        if stamp[j] != mark {
                            stamp[j] = mark
                            accumulator[j] = 0
                            touched[touchedCount] = Int32(j)
                            touchedCount += 1
                        }
                        accumulator[j] += a * featureWeights[q]
                    }
                }
                heap.clear(capacity: k)
                for t in 0..<touchedCount {
                    let j = Int(touched[t])
                    guard j != i else { continue }
                    let denominator = normI * norms[j]
                    guard denominator > 0 else { continue }
                    let similarity = accumulator[j] / denominator
                    if similarity > 0 { heap.offer(score: similarity, index: Int32(j), k: k) }
                }
                let best = heap.sortedDescending()
                for (slot, (index, score)) in zip(best.indices, best.scores).enumerated() {
                    itemsOut[i * k + slot] = index
                    weightsOut[i * k + slot] = score
                }
            }
        }
        }
        }
        }
        }
        }
        }
    }
}

/// The model of ``ContentKNNConfiguration``: each item's K most similar items by features, their
/// reverse index, and the users' training rows.
///
/// It scores items without training interactions (``scoresNewItems``) and folds in a new user's
/// history exactly like a training row (``FoldInModel``).
public struct ContentKNNModel: FoldInModel {
    /// The training interactions (the users' items).
    public let history: InteractionMatrix
    /// How the user's items count.
    public let userWeights: ContentUserWeights
    /// Neighbours per item (K, at most items − 1).
    public let neighbors: Int
    /// Item i's neighbours at `i * neighbors ..< (i + 1) * neighbors`, most similar first (−1: none).
    public let neighborItems: [Int32]
    /// Their cosine similarities.
    public let neighborWeights: [Float]
    /// Reverse index: for item j, the items i that have j among their neighbours (increasing),
    /// at `reverseOffsets[j] ..< reverseOffsets[j + 1]`, with sim(i, j).
    let reverseOffsets: [Int]
    let reverseItems: [Int32]
    let reverseWeights: [Float]

    /// Creates the model and its reverse index.
    ///
    /// - Complexity: O(items · K).
    public init(history: InteractionMatrix, userWeights: ContentUserWeights, neighbors: Int, neighborItems: [Int32], neighborWeights: [Float]) {
        precondition(neighborItems.count == history.columnCount * neighbors && neighborWeights.count == neighborItems.count)
        self.history = history
        self.userWeights = userWeights
        self.neighbors = neighbors
        self.neighborItems = neighborItems
        self.neighborWeights = neighborWeights
        let items = history.columnCount
        var offsets = [Int](repeating: 0, count: items + 1)
        for j in neighborItems where j >= 0 { offsets[Int(j) + 1] += 1 }
        for j in 0..<items { offsets[j + 1] += offsets[j] }
        var next = offsets
        var reverseItems = [Int32](repeating: 0, count: offsets[items])
        var reverseWeights = [Float](repeating: 0, count: offsets[items])
        for i in 0..<items {
            for slot in 0..<neighbors {
                let j = Int(neighborItems[i * neighbors + slot])
                if j < 0 { break }
                reverseItems[next[j]] = Int32(i)
                reverseWeights[next[j]] = neighborWeights[i * neighbors + slot]
                next[j] += 1
            }
        }
        self.reverseOffsets = offsets
        self.reverseItems = reverseItems
        self.reverseWeights = reverseWeights
    }

    public var itemCount: Int { history.columnCount }

    /// True: an item with features is scored from its similarity to the user's items.
    public var scoresNewItems: Bool { true }

    public func scores(for users: UserBatch, into scores: inout ScoreRows) {
        score(users, rows: history, into: &scores)
    }

    public func foldInScores(for users: UserBatch, histories: InteractionMatrix, into scores: inout ScoreRows) {
        score(users, rows: histories, into: &scores)
    }

    /// Σ over the row's items j of r·sim(i, j) for every item i that has j as a neighbour.
    private func score(_ users: UserBatch, rows: InteractionMatrix, into scores: inout ScoreRows) {
        let items = itemCount
        guard items > 0 else { return }
        let binary = userWeights == .binary
        reverseOffsets.withUnsafeBufferPointer { offsets in
        reverseItems.withUnsafeBufferPointer { targets in
        reverseWeights.withUnsafeBufferPointer { similarities in
            for (row, user) in users.enumerated() {
                let out = scores[row: row].baseAddress!
                out.update(repeating: 0, count: items)
                guard user.int >= 0, user.int < rows.rowCount else { continue }
                for p in rows.range(ofRow: user.int) {
                    let j = Int(rows.columns[p])
                    guard j >= 0, j < items else { continue }
                    let r: Float = binary ? 1 : rows.values[p]
                    for q in offsets[j]..<offsets[j + 1] { out[Int(targets[q])] += r * similarities[q] }
                }
            }
        }
        }
        }
    }
}
