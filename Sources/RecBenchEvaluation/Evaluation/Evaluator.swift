import Foundation
import RecBenchKernels
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms

/// Which items a user's ranking covers.
public enum CandidateSet: Codable, Hashable, Sendable, CustomStringConvertible {
    /// Every item except the user's training items (the default, and the only unbiased choice).
    case allExceptTraining
    /// The user's test items plus `negatives` items drawn uniformly, without replacement, from
    /// those the user has in neither train nor test; seeded per user. Sampled metrics are not
    /// comparable with full-ranking ones (Krichene and Rendle, "On sampled metrics for item
    /// recommendation", KDD 2020).
    case sampled(negatives: Int, seed: UInt64)

    public var description: String {
        switch self {
        case .allExceptTraining: return "all items except the user's training items"
        case .sampled(let negatives, let seed): return "test items plus \(negatives) sampled negatives per user (seed \(seed))"
        }
    }
}

/// How an evaluation is run.
public struct EvaluationConfiguration: Codable, Hashable, Sendable {
    /// The metrics; each user's ranking is computed once, to the largest cutoff, for all of them.
    public var metrics: [Metric]
    /// Which items each ranking covers.
    public var candidates: CandidateSet
    /// Bootstrap resamples for the 95% confidence intervals (0: none).
    public var bootstrapResamples: Int
    /// Seed of the bootstrap.
    public var bootstrapSeed: UInt64
    /// Threads that share the users.
    public var threads: Int
    /// Ranked items to keep per user for run files (0: only what the metrics need).
    public var keepRanking: Int
    /// The scale rating predictions are clipped to (nil: the split's smallest and largest rating).
    public var ratingScale: RatingScale?
    /// On a rating task, the held-out ratings that ranking metrics count as relevant: those at
    /// least this high, and only users who have one are ranked (nil: every held-out entry).
    public var relevanceThreshold: Double?
    /// The activity buckets the per-user metrics are also reported in (``BucketBreakdown``);
    /// nil: none (and in configurations written before buckets existed).
    public var buckets: BucketEdges?

    /// Creates a configuration; by default the standard metrics over all non-training items,
    /// 1,000 bootstrap resamples, all cores, and the standard activity buckets.
    public init(metrics: [Metric] = Metric.standard, candidates: CandidateSet = .allExceptTraining,
                bootstrapResamples: Int = 1000, bootstrapSeed: UInt64 = 0, threads: Int = Parallel.defaultThreads,
                keepRanking: Int = 0, ratingScale: RatingScale? = nil, relevanceThreshold: Double? = nil,
                buckets: BucketEdges? = .standard) {
        self.buckets = buckets
        self.ratingScale = ratingScale
        self.relevanceThreshold = relevanceThreshold
        self.metrics = metrics
        self.candidates = candidates
        self.bootstrapResamples = bootstrapResamples
        self.bootstrapSeed = bootstrapSeed
        self.threads = threads
        self.keepRanking = keepRanking
    }

    /// The ranking depth needed: the largest cutoff, the kept ranking, and 1 at least.
    package var depth: Int { max(1, keepRanking, metrics.compactMap(\.cutoff).max() ?? 1) }

    /// The ranking depth on a catalogue of `items` items: ``depth``, but never more than the
    /// catalogue (a ranking holds at most every item; deeper cutoffs count the missing ranks as
    /// non-relevant all the same).
    package func depth(items: Int) -> Int { min(depth, max(1, items)) }

    /// An estimate of the bytes an evaluation of `users` users on `items` items holds at once
    /// (`Int.max` when it overflows): each user's metric values and ranking (item and score per
    /// rank), each worker's score block and heaps, and the bootstrap's means.
    public func peakBytes(users: Int, items: Int) -> Int {
        let depth = depth(items: items)
        let perUser = Saturating.sum(Saturating.product(8, metrics.count), Saturating.product(8, depth))
        let workers = max(1, min(threads, users))
        let scoreBlock = max(Saturating.product(4, Evaluator.chunkedBlock, 1024), Saturating.product(4, Evaluator.block, items))
        let perWorker = Saturating.sum(scoreBlock, Saturating.product(8, Evaluator.chunkedBlock, depth))
        return Saturating.sum(Saturating.product(users, perUser), Saturating.product(workers, perWorker),
                             Saturating.product(8, bootstrapResamples, metrics.count))
    }

    /// Throws when ``peakBytes(users:items:)`` exceed ``MemoryBudget/usableBytes``.
    ///
    /// - Throws: ``MemoryError/insufficient(task:bytesNeeded:bytesAvailable:advice:)`` with both figures.
    public func checkMemory(users: Int, items: Int) throws(MemoryError) {
        try MemoryBudget.check("ranking \(users) users \(depth(items: items)) items deep (\(metrics.map(\.name).joined(separator: ", ")))",
                               needs: peakBytes(users: users, items: items), advice: "use smaller cutoffs")
    }
}

/// Scores every evaluated user of a split against the candidate items and measures the rankings.
///
/// Users are scored in blocks of 64 (one GEMM per block for factor models), in parallel; the
/// top of each ranking is found by partial selection; training items are excluded through
/// the CSR row; each user is ranked once and that ranking feeds every metric at every
/// cutoff. Ties are broken by the lower item index. Results do not depend on the thread count.
public struct Evaluator: Sendable {
    /// The configuration.
    public var configuration: EvaluationConfiguration

    /// Creates an evaluator.
    public init(_ configuration: EvaluationConfiguration = EvaluationConfiguration()) { self.configuration = configuration }

    /// Users scored per block.
    package static let block = 64

    /// Where workers write each evaluated user's per-user metric values and ranking; users are
    /// disjoint between workers, so the writes never overlap.
    package struct Outputs: @unchecked Sendable {
        package let values: UnsafeMutablePointer<Double>
        package let rankings: UnsafeMutablePointer<Int32>
        package let scores: UnsafeMutablePointer<Float>
        package let userCount: Int
        package let depth: Int
        /// The per-user metrics, in the order of their value columns.
        package let metrics: [any PerUserMetric]

        /// Writes the values and ranking of the user at `index` of the evaluated users: builds
        /// the hit list once and feeds every metric through its definition.
        @inline(__always)
        package func record(_ ranked: (indices: [Int32], scores: [Float]), pairs: PairCounts?, relevant: ArraySlice<Int32>, index: Int,
                    hits: inout [Bool]) {
            hits.removeAll(keepingCapacity: true)
            for item in ranked.indices { hits.append(Evaluator.contains(relevant, item)) }
            let user = UserRanking(hits: hits, relevantCount: relevant.count, pairs: pairs)
            for (m, metric) in metrics.enumerated() { values[m * userCount + index] = metric.value(for: user) }
            for (r, item) in ranked.indices.enumerated() {
                rankings[index * depth + r] = item
                scores[index * depth + r] = ranked.scores[r]
            }
        }
    }

    /// The configuration's per-user metrics (list metrics are measured on the report's rankings).
    package var perUserMetrics: [any PerUserMetric] { configuration.metrics.compactMap { $0.definition as? any PerUserMetric } }

    /// Whether a metric needs the scores of every candidate (pair counts).
    package var needsPairs: Bool { configuration.metrics.contains { $0.definition.needs == .scores } }

    /// Allocates the outputs for `split`'s evaluated users, lets `fill` write them, and wraps
    /// them up as a report.
    package func collecting(_ split: Split, name: String, _ fill: (Outputs) -> Void) -> EvaluationReport {
        let start = ContinuousClock.now
        let metrics = perUserMetrics, depth = configuration.depth(items: split.test.columnCount), users = split.evaluatedUsers.count
        var values = [Double](repeating: 0, count: metrics.count * users)
        var rankings = [Int32](repeating: -1, count: depth * users)
        var rankingScores = [Float](repeating: 0, count: depth * users)
        values.withUnsafeMutableBufferPointer { v in
            rankings.withUnsafeMutableBufferPointer { r in
                rankingScores.withUnsafeMutableBufferPointer { s in
                    fill(Outputs(values: v.baseAddress!, rankings: r.baseAddress!, scores: s.baseAddress!,
                                 userCount: users, depth: depth, metrics: metrics))
                }
            }
        }
        return EvaluationReport(model: name, split: split, configuration: configuration, values: values,
                                rankings: rankings, rankingScores: rankingScores, depth: depth,
                                seconds: (ContinuousClock.now - start).seconds)
    }

    /// Items per chunk when a model scores ranges of items: 256 users × 1,024 items = 1 MiB of
    /// scores, and each chunk of item factors is read once per 256 users.
    public var chunkItems = 1024
    /// Users per block when a model scores ranges of items.
    package static let chunkedBlock = 256

    /// Throws when the evaluation of `split` would hold more memory than this process may use
    /// (see ``EvaluationConfiguration/peakBytes(users:items:)``); call it before fitting.
    public func checkMemory(for split: Split) throws(MemoryError) {
        try configuration.checkMemory(users: split.evaluatedUsers.count, items: split.test.columnCount)
    }

    /// Evaluates `model` on `split`'s evaluated users.
    ///
    /// Models that score item ranges (``ChunkedScoring``) are ranked chunk by chunk of the
    /// catalogue when every non-training item is a candidate, which keeps the scores in cache;
    /// the rankings and values are the same as scoring whole rows.
    /// - Complexity: one score pass (users × items) plus O(items) selection per user.
    /// With ``EvaluationConfiguration/buckets`` set, the report carries the per-bucket
    /// breakdown (``BucketBreakdown``) too.
    public func evaluate(_ model: some TrainedModel, on split: Split, name: String = "model") -> EvaluationReport {
        let rated = !(ratingMetrics.isEmpty && configuration.relevanceThreshold == nil)
        var report = rated ? evaluateWithRatings(model, on: split, name: name) : evaluateRanking(model, on: split, name: name)
        if let edges = configuration.buckets, !report.perUser.isEmpty {
            let start = ContinuousClock.now
            let ranked = configuration.relevanceThreshold.map { split.relevant(atLeast: $0) } ?? split
            report.buckets = BucketBreakdown(report: report, split: ranked, edges: edges, configuration: configuration)
            report.seconds += (ContinuousClock.now - start).seconds
        }
        return report
    }

    /// Evaluates the ranking metrics (every metric of the configuration but the rating ones).
    package func evaluateRanking(_ model: some TrainedModel, on split: Split, name: String) -> EvaluationReport {
        if let chunked = model as? any ChunkedScoring, configuration.candidates == .allExceptTraining,
           split.candidateItems == nil, split.foldIn == nil {
            return evaluateInChunks(chunked, on: split, name: name)
        }
        return evaluateRows(model, on: split, name: name)
    }

    /// Evaluates by scoring whole rows of users.
    package func evaluateRows(_ model: some TrainedModel, on split: Split, name: String) -> EvaluationReport {
        let users = split.evaluatedUsers
        let wantsPairs = needsPairs
        let itemCount = model.itemCount
        precondition(itemCount == split.test.columnCount, "the model scores \(itemCount) items, the split has \(split.test.columnCount)")
        let depth = configuration.depth(items: itemCount)
        let blocks = (users.count + Self.block - 1) / Self.block
        let workers = max(1, min(configuration.threads, blocks))
        let candidates = configuration.candidates
        // The new-item protocol ranks its candidates only: every other item is excluded.
        let others: [Int32] = split.candidateItems.map { kept in
            var isKept = [Bool](repeating: false, count: itemCount)
            for item in kept where Int(item) < itemCount { isKept[Int(item)] = true }
            return (0..<itemCount).filter { !isKept[$0] }.map(Int32.init)
        } ?? []
        return collecting(split, name: name) { out in
            Parallel.forEach(count: workers, threads: workers) { worker in
                let scores = UnsafeMutablePointer<Float>.allocate(capacity: Self.block * itemCount)
                defer { scores.deallocate() }
                var heap = TopK.Heap(capacity: depth)
                var hits = [Bool]()
                var positives = [Float](), candidateScores = [Float](), candidateItems = [Int32]()
                for b in (blocks * worker / workers)..<(blocks * (worker + 1) / workers) {
                    let range = (b * Self.block)..<min(users.count, (b + 1) * Self.block)
                    model.scores(for: users[range], into: scores)
                    for (row, index) in range.enumerated() {
                        let user = Int(users[index])
                        let userScores = scores + row * itemCount
                        for position in split.train.range(ofRow: user) { userScores[Int(split.train.columns[position])] = -.infinity }
                        if let foldIn = split.foldIn {
                            for position in foldIn.range(ofRow: user) { userScores[Int(foldIn.columns[position])] = -.infinity }
                        }
                        for item in others { userScores[Int(item)] = -.infinity }
                        let testRange = split.test.range(ofRow: user)
                        let relevant = split.test.columns[testRange]
                        var pairs: PairCounts?
                        var ranked: (indices: [Int32], scores: [Float])
                        switch candidates {
                        case .allExceptTraining:
                            TopK.select(UnsafeBufferPointer(start: userScores, count: itemCount), k: depth, heap: &heap)
                            ranked = heap.sortedDescending()
                            if wantsPairs {
                                positives.removeAll(keepingCapacity: true)
                                for item in relevant where userScores[Int(item)] > -.infinity { positives.append(userScores[Int(item)]) }
                                pairs = PairCounts(positives: &positives, amongScores: UnsafeBufferPointer(start: userScores, count: itemCount))
                            }
                        case .sampled(let negatives, let seed):
                            NegativeSampling.candidates(user: user, negatives: negatives, seed: seed, split: split, into: &candidateItems)
                            candidateScores = candidateItems.map { userScores[Int($0)] }
                            candidateScores.withUnsafeBufferPointer { TopK.select($0, k: depth, heap: &heap) }
                            let local = heap.sortedDescending()
                            ranked = (local.indices.map { candidateItems[Int($0)] }, local.scores)
                            if wantsPairs {
                                let relevantSet = Set(relevant)
                                let pos = candidateItems.filter { relevantSet.contains($0) }.map { userScores[Int($0)] }
                                let neg = candidateItems.filter { !relevantSet.contains($0) }.map { userScores[Int($0)] }
                                pairs = PairCounts(positives: pos, negatives: neg)
                            }
                        }
                        out.record(ranked, pairs: pairs, relevant: relevant, index: index, hits: &hits)
                    }
                }
            }
        }
    }

    /// Evaluates by scoring blocks of users chunk by chunk of the catalogue.
    package func evaluateInChunks(_ model: some ChunkedScoring, on split: Split, name: String) -> EvaluationReport {
        let users = split.evaluatedUsers
        let itemCount = model.itemCount
        precondition(itemCount == split.test.columnCount, "the model scores \(itemCount) items, the split has \(split.test.columnCount)")
        let depth = configuration.depth(items: itemCount)
        let chunk = max(model.scoringChunkAlignment, chunkItems / model.scoringChunkAlignment * model.scoringChunkAlignment)
        let wantsAUC = needsPairs
        let blocks = (users.count + Self.chunkedBlock - 1) / Self.chunkedBlock
        let workers = max(1, min(configuration.threads, blocks))
        return collecting(split, name: name) { out in
            Parallel.forEach(count: workers, threads: workers) { worker in
                let scores = UnsafeMutablePointer<Float>.allocate(capacity: Self.chunkedBlock * chunk)
                defer { scores.deallocate() }
                var heaps = [TopK.Heap](repeating: TopK.Heap(capacity: depth), count: Self.chunkedBlock)
                var positives = [[Float]](repeating: [], count: Self.chunkedBlock)
                var above = [[Int]](repeating: [], count: Self.chunkedBlock)      // candidates above each positive
                var ties = [[Int]](repeating: [], count: Self.chunkedBlock)       // candidates equal to each positive
                var finite = [Int](repeating: 0, count: Self.chunkedBlock)
                var trainCursor = [Int](repeating: 0, count: Self.chunkedBlock)
                var hits = [Bool]()
                for b in (blocks * worker / workers)..<(blocks * (worker + 1) / workers) {
                    let range = (b * Self.chunkedBlock)..<min(users.count, (b + 1) * Self.chunkedBlock)
                    for (row, index) in range.enumerated() {
                        let user = users[index]
                        heaps[row].clear(capacity: depth)
                        trainCursor[row] = split.train.rowOffsets[Int(user)]
                        finite[row] = 0
                        if wantsAUC {
                            positives[row] = split.testItems(of: Int(user)).map { model.score(user: user, item: $0) }.filter { $0 > -.infinity }.sorted()
                            above[row] = [Int](repeating: 0, count: positives[row].count)
                            ties[row] = [Int](repeating: 0, count: positives[row].count)
                        }
                    }
                    var first = 0
                    while first < itemCount {
                        let items = first..<min(itemCount, first + chunk)
                        model.scores(for: users[range], items: items, into: scores, ldc: chunk)
                        for (row, index) in range.enumerated() {
                            let user = Int(users[index])
                            let rowScores = scores + row * chunk
                            // Exclude this chunk's training items (the row is sorted by item).
                            let trainEnd = split.train.rowOffsets[user + 1]
                            var cursor = trainCursor[row]
                            while cursor < trainEnd && Int(split.train.columns[cursor]) < items.upperBound {
                                rowScores[Int(split.train.columns[cursor]) - first] = -.infinity
                                cursor += 1
                            }
                            trainCursor[row] = cursor
                            let buffer = UnsafeBufferPointer(start: rowScores, count: items.count)
                            heaps[row].feed(buffer, offset: first, k: depth)
                            if wantsAUC && !positives[row].isEmpty {
                                finite[row] += Counting.greaterAndEqual(buffer, than: -.infinity).greater
                                positives[row].withUnsafeBufferPointer { thresholds in
                                    above[row].withUnsafeMutableBufferPointer { greater in
                                        ties[row].withUnsafeMutableBufferPointer { equal in
                                            Counting.accumulateGreaterAndEqual(buffer, thresholds: thresholds,
                                                                               greater: greater.baseAddress!, equal: equal.baseAddress!)
                                        }
                                    }
                                }
                            }
                        }
                        first = items.upperBound
                    }
                    for (row, index) in range.enumerated() {
                        let user = Int(users[index])
                        let relevant = split.testItems(of: user)
                        var pairs: PairCounts?
                        if wantsAUC {
                            pairs = PairCounts(sortedPositives: positives[row], candidatesAbove: above[row], candidatesEqual: ties[row],
                                               finiteCandidates: finite[row])
                        }
                        out.record(heaps[row].sortedDescending(), pairs: pairs, relevant: relevant, index: index, hits: &hits)
                    }
                }
            }
        }
    }

    /// Binary search in a sorted slice.
    @inline(__always)
    package static func contains(_ sorted: ArraySlice<Int32>, _ item: Int32) -> Bool {
        var low = sorted.startIndex, high = sorted.endIndex
        while low < high { let mid = (low + high) / 2; if sorted[mid] < item { low = mid + 1 } else { high = mid } }
        return low < sorted.endIndex && sorted[low] == item
    }
}
