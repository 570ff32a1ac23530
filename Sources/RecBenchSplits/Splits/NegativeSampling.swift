import RecBenchCore
/// Sampled candidate sets: each evaluated user's test items ranked against a few items the
/// user never interacted with, drawn from the seed (``CandidateSet/sampled(negatives:seed:)``,
/// `negatives.tsv` of ``SplitFiles``).
public enum NegativeSampling {
    /// The sampled candidate set of `user`, sorted by item index: the test items and up to
    /// `negatives` items the user has in neither train nor test, drawn without replacement from
    /// the stream `user` of `seed`.
    ///
    /// - Complexity: O((test + negatives) · log(test + train)) expected, while negatives are
    ///   a small part of the items the user has not seen.
    public static func candidates(user: Int, negatives: Int, seed: UInt64, split: Split, into items: inout [Int32]) {
        let test = split.test.columns[split.test.range(ofRow: user)]
        let train = split.train.columns[split.train.range(ofRow: user)]
        let itemCount = split.test.columnCount
        let available = itemCount - test.count - train.count
        var rng = SeededGenerator(seed: seed, stream: UInt64(user))
        var chosen = Set<Int32>()
        let wanted = min(negatives, max(0, available))
        while chosen.count < wanted {
            let item = Int32(rng.nextInt(below: itemCount))
            if !contains(test, item) && !contains(train, item) { chosen.insert(item) }
        }
        items = (Array(test) + chosen).sorted()
    }

    /// Whether the sorted slice holds `item` (binary search).
    @inline(__always)
    package static func contains(_ sorted: ArraySlice<Int32>, _ item: Int32) -> Bool {
        var low = sorted.startIndex, high = sorted.endIndex
        while low < high { let mid = (low + high) / 2; if sorted[mid] < item { low = mid + 1 } else { high = mid } }
        return low < sorted.endIndex && sorted[low] == item
    }
}
