import RecBenchKernels
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms

/// The sampled AUC of the *Advanced Analytics with Spark* (chapter 3) and EURECOM course lab.
///
/// For each evaluated user: the positives are the held-out items; as many negatives are drawn
/// uniformly (with replacement, as the book's code does) from all items except the user's
/// held-out positives; a (positive, negative) pair is correct only when the positive scores
/// strictly higher (ties are wrong); the user's value is correct pairs / all pairs, and users
/// are averaged with equal weight. It estimates the full-ranking AUC, with sampling noise.
public enum LabAUC {
    /// Per-user values of the lab's sampled AUC for each negative seed: `[seed][user]`, users in
    /// `split.evaluatedUsers` order (NaN for a user left with no pair once −∞-scored items are
    /// dropped; such users are left out of means).
    ///
    /// - Parameters:
    ///   - seeds: the seeds of the negatives; stream u of a seed draws user u's negatives.
    ///   - scores: the scores of the given items for a user; items a model cannot score should
    ///     already hold the policy's value (the lab chooses it), −∞ to drop them.
    /// - Complexity: O(Σ_u |T_u| log |T_u| · seeds) (``PairCounts``), plus one score per positive and negative:
    ///   no user × catalogue scores are formed, so it runs on the full dump.
    public static func perUser(split: Split, seeds: [UInt64], scores: (Int32, [Int32]) -> [Float]) -> [[Double]] {
        let itemCount = split.test.columnCount
        var values = [[Double]](repeating: [], count: seeds.count)
        for user in split.evaluatedUsers {
            let positives = Array(split.testItems(of: Int(user)))
            let positiveScores = scores(user, positives).filter { $0 > -.infinity }
            for (s, seed) in seeds.enumerated() {
                var rng = SeededGenerator(seed: seed, stream: UInt64(user))
                var negatives: [Int32] = []
                var attempts = 0
                // The book stops after as many attempts as there are items; so do we.
                while negatives.count < positives.count && attempts < itemCount {
                    let item = Int32(rng.nextInt(below: itemCount))
                    if !Evaluator.contains(positives[...], item) { negatives.append(item) }
                    attempts += 1
                }
                guard !negatives.isEmpty else { values[s].append(0); continue }
                let negativeScores = scores(user, negatives).filter { $0 > -.infinity }
                // Ties count as wrong here: only the strictly greater pairs of the shared counts.
                guard let pairs = PairCounts(positives: positiveScores, negatives: negativeScores) else {
                    values[s].append(.nan)   // no pair left
                    continue
                }
                values[s].append(Double(pairs.greater) / Double(pairs.positives * pairs.negatives))
            }
        }
        return values
    }

    /// The 2019 notebook's computation, reproduced for graders: **not a valid AUC**.
    ///
    /// For each user, the "negatives" are the user's own training artists and the positives the
    /// held-out ones; the negatives' scores are sorted in descending order, and each positive
    /// counts (|N| − bisect_left(sorted, score)) / |N|, with a binary search that assumes
    /// ascending order. On a descending list the search compares the score with the middle
    /// elements only, so it degenerates to a comparison with the negatives' median and rewards
    /// models that score held-out artists *below* the training ones. Users are averaged with
    /// equal weight; users without training artists are skipped.
    public static func compat2019(split: Split, scores: (Int32, [Int32]) -> [Float]) -> Double {
        var total = 0.0, users = 0
        for user in split.evaluatedUsers {
            let negatives = Array(split.trainItems(of: Int(user)))
            let positives = Array(split.testItems(of: Int(user)))
            guard !negatives.isEmpty, !positives.isEmpty else { continue }
            let sorted = scores(user, negatives).sorted(by: >)
            var sum = 0.0
            for score in scores(user, positives) {
                // Python's bisect.bisect_left, which assumes `sorted` ascends.
                var low = 0, high = sorted.count
                while low < high {
                    let mid = (low + high) / 2
                    if sorted[mid] < score { low = mid + 1 } else { high = mid }
                }
                sum += Double(sorted.count - low) / Double(sorted.count)
            }
            total += sum / Double(positives.count)
            users += 1
        }
        return users == 0 ? 0 : total / Double(users)
    }
}
