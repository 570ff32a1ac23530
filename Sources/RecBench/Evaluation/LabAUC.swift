import RecBenchKernels

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
    ///   - rowOf: every item's score for a user, asked once per user; items a model cannot score
    ///     should already hold the policy's value (the lab chooses it), −∞ to drop them.
    public static func perUser(split: Split, seeds: [UInt64], scores rowOf: (Int32) -> [Float]) -> [[Double]] {
        let itemCount = split.test.columnCount
        var values = [[Double]](repeating: [], count: seeds.count)
        for user in split.evaluatedUsers {
            let row = rowOf(user)
            let positives = Array(split.testItems(of: Int(user)))
            let positiveScores = positives.map { row[Int($0)] }.filter { $0 > -.infinity }
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
                let negativeScores = negatives.map { row[Int($0)] }.filter { $0 > -.infinity }
                guard !positiveScores.isEmpty, !negativeScores.isEmpty else { values[s].append(.nan); continue }   // no pair left
                var correct = 0
                for p in positiveScores { for n in negativeScores where p > n { correct += 1 } }
                values[s].append(Double(correct) / Double(positiveScores.count * negativeScores.count))
            }
        }
        return values
    }
}
