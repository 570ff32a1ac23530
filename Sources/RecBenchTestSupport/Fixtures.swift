import RecBench

/// Small splits whose right answers are known, built in memory.
public enum Fixtures {
    /// Blocks of users who share blocks of items, of decreasing sizes, and one user with no
    /// training items.
    ///
    /// Block `b` has `blockUsers[b]` users (`u<b>-<j>`) and `itemsPerBlock` items (`i<b>-<k>`).
    /// User `j` of a block has every item of its block except items `j` and `j + 1` (mod
    /// `itemsPerBlock`), its test items; values are `1 + (k + j) mod 3`. The right answer:
    /// each user's two test items, in its own block, rank above every item of the other blocks.
    /// Larger blocks come first, so block 0's items are also the most popular: a model that
    /// ranks by popularity gets block 0's users right. The user `cold` has test items of block
    /// 0 and no training item (it is numbered last and is not evaluated).
    ///
    /// - Parameters:
    ///   - blockUsers: users per block; each at least 3.
    ///   - itemsPerBlock: items per block; at least 3.
    /// - Returns: the split, numbered by first appearance (training part first).
    public static func blocks(blockUsers: [Int] = [12, 9, 6], itemsPerBlock: Int = 8) throws -> Split {
        var train: [Dataset.Triple] = [], test: [Dataset.Triple] = []
        for (block, users) in blockUsers.enumerated() {
            for j in 0..<users {
                for k in 0..<itemsPerBlock {
                    let triple = (user: "u\(block)-\(j)", item: "i\(block)-\(k)", value: Float(1 + (k + j) % 3))
                    if k == j % itemsPerBlock || k == (j + 1) % itemsPerBlock { test.append(triple) } else { train.append(triple) }
                }
            }
        }
        test += [("cold", "i0-0", 1), ("cold", "i0-1", 1)]
        var split = try Split(name: "blocks", train: train, test: test)
        split.itemFeatures = blockFeatures(split.items)
        return split
    }

    /// Item features of the block fixture, for content-based models: item `i<b>-<k>` has the
    /// feature `block=<b>` with weight 1 (so items of one block are alike, and unlike any other
    /// block's).
    public static func blockFeatures(_ items: Vocabulary) -> ItemFeatures {
        var entries: [(item: Int, feature: String, weight: Float)] = []
        for position in 0..<items.count {
            let raw = items.rawID(at: position)
            guard let block = block(of: raw) else { continue }
            entries.append((position, "block=\(block)", 1))
        }
        return ItemFeatures(itemCount: items.count, entries: entries, source: "blocks")
    }

    /// The block a fixture id (`u<b>-<j>` or `i<b>-<k>`) belongs to, or nil for another id.
    public static func block(of rawID: String) -> Int? {
        guard let dash = rawID.firstIndex(of: "-") else { return nil }
        return Int(rawID.dropFirst().prefix(upTo: dash))
    }

    /// A small rating split (ratings 1–5 with user and item effects, seeded): 30 users and 20
    /// items, about half of the pairs rated, one rating in five held out; the user `cold` and the
    /// item `new` have test ratings only.
    public static func ratings(seed: UInt64 = 11) throws -> Split {
        var generator = SeededGenerator(seed: seed)
        var train: [Dataset.Triple] = [], test: [Dataset.Triple] = []
        for u in 0..<30 {
            for i in 0..<20 where generator.nextUnit() < 0.5 {
                let rating = min(5, max(1, (3 + Double(u % 5 - 2) * 0.6 + (Double(i % 4) - 1.5) * 0.5 + generator.nextGaussian() * 0.5).rounded()))
                if generator.nextUnit() < 0.2 { test.append(("u\(u)", "i\(i)", Float(rating))) } else { train.append(("u\(u)", "i\(i)", Float(rating))) }
            }
        }
        test += [("cold", "i0", 4), ("u0", "new", 2)]
        return try Split(name: "ratings", train: train, test: test)
    }
}
