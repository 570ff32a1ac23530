import RecBenchKernels

/// The sampled AUC of the *Advanced Analytics with Spark* (chapter 3) and EURECOM course lab.
///
/// For each evaluated user: the positives are the held-out items; as many negatives are drawn
/// uniformly (with replacement, as the book's code does) from all items except the user's
/// held-out positives; a (positive, negative) pair is correct only when the positive scores
/// strictly higher (ties are wrong); the user's value is correct pairs / all pairs, and users
/// are averaged with equal weight. It estimates the full-ranking AUC, with sampling noise.
public enum LabAUC {
    /// Per-user values of the lab's sampled AUC, in `split.evaluatedUsers` order (NaN for a user
    /// left with no pair once −∞-scored items are dropped; such users are left out of means).
    ///
    /// - Parameters:
    ///   - scoreOf: the score of (user, item); items a model cannot score should get the
    ///     policy's value (the lab issue chooses it) before they reach here.
    ///   - seed: the seed of the negatives; stream u draws user u's negatives.
    public static func perUser(split: Split, seed: UInt64, scores scoreOf: (Int32, [Int32]) -> [Float]) -> [Double] {
        let itemCount = split.test.columnCount
        return split.evaluatedUsers.map { user in
            let positives = Array(split.testItems(of: Int(user)))
            var rng = SeededGenerator(seed: seed, stream: UInt64(user))
            var negatives: [Int32] = []
            var attempts = 0
            // The book stops after as many attempts as there are items; so do we.
            while negatives.count < positives.count && attempts < itemCount {
                let item = Int32(rng.nextInt(below: itemCount))
                if !Evaluator.contains(positives[...], item) { negatives.append(item) }
                attempts += 1
            }
            guard !negatives.isEmpty else { return 0 }
            // Items scored −∞ are dropped (the lab's `drop` policy for unknown artists).
            let positiveScores = scoreOf(user, positives).filter { $0 > -.infinity }
            let negativeScores = scoreOf(user, negatives).filter { $0 > -.infinity }
            guard !positiveScores.isEmpty, !negativeScores.isEmpty else { return .nan }     // no pair left
            var correct = 0
            for p in positiveScores { for n in negativeScores where p > n { correct += 1 } }
            return Double(correct) / Double(positiveScores.count * negativeScores.count)
        }
    }
}
