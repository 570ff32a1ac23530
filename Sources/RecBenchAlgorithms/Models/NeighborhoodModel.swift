import RecBenchCore

/// How a rating k-NN model turns its neighbours' ratings into an estimate (Surprise's KNNBasic,
/// KNNWithMeans and KNNBaseline).
public enum NeighborhoodAggregation: String, Codable, Hashable, Sendable {
    /// Σ sim · r / Σ sim; fewer than min_k neighbours: no estimate.
    case basic
    /// μ_x + Σ sim · (r − μ_x') / Σ sim (means of the users, or items, compared).
    case means
    /// b_ui + Σ sim · (r − b_x'y) / Σ sim (baseline estimates).
    case baseline
}

/// A fitted rating k-NN model: the similarity of every pair of users (or items), the training
/// ratings, and what its aggregation needs (means or baselines).
///
/// The estimate of (u, i) takes, among the users who rated i (user-based; the items u rated,
/// item-based), the `k` most similar to u (i) — ties go to the lower index, where Surprise's
/// `heapq.nlargest` keeps the one met first in its training order — and aggregates those with
/// a positive similarity:
/// - basic: Σ sim · r / Σ sim; an unknown user or item, or fewer than `min_k` neighbours, gives no estimate;
/// - means: μ_x + Σ sim · (r − μ_x') / Σ sim, or μ_x alone with fewer than `min_k` neighbours;
///   an unknown user or item gives no estimate;
/// - baseline: b_ui + Σ sim · (r − b_x'y) / Σ sim, or b_ui alone with fewer than `min_k`
///   neighbours; an unknown user or item gives μ plus the known biases.
public struct NeighborhoodModel: RatingModel {
    /// How the neighbours' ratings are aggregated.
    public let aggregation: NeighborhoodAggregation
    /// The options (k, min_k, the similarity, user- or item-based).
    public let options: NeighborhoodOptions
    /// The training ratings.
    public let ratings: RatingTrainingSet
    /// `count × count` similarities, row-major (count: users when user-based, else items).
    public let similarities: [Double]
    /// Means of the users' (user-based) or items' ratings (`means` aggregation; else empty).
    public let means: [Double]
    /// The baseline estimates (`baseline` aggregation, or the Pearson-baseline similarity).
    public let baselines: Baselines?

    public var fallbackRating: Double { ratings.globalMean }
    public var itemCount: Int { ratings.itemCount }

    /// Fits the similarities (and the means or baselines the aggregation needs).
    ///
    /// - Complexity: O(Σ (ratings per row of the other side)² + count²) time, O(count²) memory.
    package init(_ ratings: RatingTrainingSet, aggregation: NeighborhoodAggregation, options: NeighborhoodOptions,
                 baseline: BaselineOptions, threads: Int) {
        self.aggregation = aggregation
        self.options = options
        self.ratings = ratings
        let needsBaselines = aggregation == .baseline || options.similarity == .pearsonBaseline
        let baselines = needsBaselines ? Baselines(fitting: ratings, options: baseline) : nil
        self.baselines = baselines
        similarities = RatingSimilarity.matrix(ratings, options: options, baselines: baselines, threads: threads)
        if aggregation == .means {
            let xr = options.userBased ? ratings.byUser : ratings.byItem
            means = (0..<xr.rowCount).map { x in
                let range = xr.range(ofRow: x)
                guard !range.isEmpty else { return 0 }
                var sum = 0.0
                for p in range { sum += Double(xr.values[p]) }
                return sum / Double(range.count)
            }
        } else {
            means = []
        }
    }

    /// A neighbour offered to the top-k selection.
    private struct Candidate {
        var similarity: Double
        var neighbor: Int32
        var rating: Float
    }

    /// Whether `a` ranks below `b`: lower similarity, or the same and a higher index.
    @inline(__always) private static func worse(_ a: Candidate, _ b: Candidate) -> Bool {
        a.similarity < b.similarity || (a.similarity == b.similarity && a.neighbor > b.neighbor)
    }

    public func estimate(user: UserIndex, item: ItemIndex) -> Double? {
        let knowsUser = ratings.knows(user: user), knowsItem = ratings.knows(item: item)
        let u = user.int, i = item.int
        var estimate: Double
        switch aggregation {
        case .basic, .means:
            guard knowsUser && knowsItem else { return nil }
            estimate = 0
        case .baseline:
            let b = baselines!   // fitted for this aggregation
            estimate = b.globalMean
            if knowsUser { estimate += b.userBiases[u] }
            if knowsItem { estimate += b.itemBiases[i] }
            guard knowsUser && knowsItem else { return estimate }
        }
        let userBased = options.userBased
        let x = userBased ? u : i, y = userBased ? i : u
        let yr = userBased ? ratings.byItem : ratings.byUser
        let count = userBased ? ratings.userCount : ratings.itemCount
        let range = yr.range(ofRow: y)
        let capacity = min(options.k, range.count)
        if aggregation == .means { estimate = means[x] }
        let (sumSimilarity, sumRatings, actualK): (Double, Double, Int) = withUnsafeTemporaryAllocation(of: Candidate.self, capacity: max(capacity, 1)) { heap -> (Double, Double, Int) in
            var size = 0
            similarities.withUnsafeBufferPointer { sim in
            yr.columns.withUnsafeBufferPointer { columns in
            yr.values.withUnsafeBufferPointer { values in
                let row = sim.baseAddress! + x * count
                for p in range {
                    let s = row[Int(columns[p])]
                    guard s > 0 else { continue }   // only positive similarities count (the top k keep every positive one first)
                    let candidate = Candidate(similarity: s, neighbor: columns[p], rating: values[p])
                    if size < capacity {
                        // Sift up: the worst candidate stays at the root.
                        var child = size
                        size += 1
                        while child > 0 {
                            let parent = (child - 1) / 2
                            guard Self.worse(candidate, heap[parent]) else { break }
                            heap[child] = heap[parent]
                            child = parent
                        }
                        heap[child] = candidate
                    } else if capacity > 0 && Self.worse(heap[0], candidate) {
                        // Replace the root and sift down.
                        var node = 0
                        while true {
                            let left = 2 * node + 1
                            if left >= size { break }
                            var pick = left
                            if left + 1 < size && Self.worse(heap[left + 1], heap[left]) { pick = left + 1 }
                            guard Self.worse(heap[pick], candidate) else { break }
                            heap[node] = heap[pick]
                            node = pick
                        }
                        heap[node] = candidate
                    }
                }
            }
            }
            }
            // Summed in the heap's order (Surprise sums from the most similar down: the same
            // neighbours, so only the rounding of the sums can differ).
            let chosen = UnsafeMutableBufferPointer(rebasing: heap[0..<size])
            var sumSimilarity = 0.0, sumRatings = 0.0
            switch aggregation {
            case .basic:
                for c in chosen {
                    sumSimilarity += c.similarity
                    sumRatings += c.similarity * Double(c.rating)
                }
            case .means:
                for c in chosen {
                    sumSimilarity += c.similarity
                    sumRatings += c.similarity * (Double(c.rating) - means[Int(c.neighbor)])
                }
            case .baseline:
                let b = baselines!
                let bx = userBased ? b.userBiases : b.itemBiases, by = userBased ? b.itemBiases : b.userBiases
                for c in chosen {
                    sumSimilarity += c.similarity
                    let neighborBaseline = b.globalMean + bx[Int(c.neighbor)] + by[y]
                    sumRatings += c.similarity * (Double(c.rating) - neighborBaseline)
                }
            }
            return (sumSimilarity, sumRatings, size)
        }
        switch aggregation {
        case .basic:
            guard actualK >= options.minK, actualK > 0 else { return nil }
            return sumRatings / sumSimilarity
        case .means, .baseline:
            if sumSimilarity != 0 { estimate += (actualK < options.minK ? 0 : sumRatings) / sumSimilarity }
            return estimate
        }
    }
}
