import RecBenchKernels
import RecBenchCore

/// A model that can score a range of items at a time, and single (user, item) pairs cheaply.
///
/// The evaluator uses it to rank users chunk by chunk of the catalogue, so that a block of
/// users' scores stays in the L2 cache while it is selected and counted, instead of a
/// users × items block going through memory.
public protocol ChunkedScoring: TrainedModel {
    /// Writes the scores of items `itemRange` for each of `users` into `scores`: row `r`
    /// (exactly `itemRange.count` floats) holds `users[users.startIndex + r]`'s scores of
    /// items `itemRange.lowerBound…`. `itemRange` starts at a multiple of ``scoringChunkAlignment``.
    ///
    /// - Parameters:
    ///   - users: the users to score; `scores.rowCount == users.count`.
    ///   - itemRange: item positions, a part of `0..<itemCount`; `scores.itemCount == itemRange.count`.
    ///   - scores: the rows to write (they may lie further apart than their width).
    func scores(for users: UserBatch, items itemRange: Range<Int>, into scores: inout ScoreRows)

    /// The score of one (user, item) pair, equal to the one a row of scores holds.
    func score(user: UserIndex, item: ItemIndex) -> Float

    /// Item ranges passed to ``scores(for:items:into:)`` start at multiples of this.
    var scoringChunkAlignment: Int { get }
}

extension ChunkedScoring {
    /// The evaluator's entry point (raw positions, a pointer it sized and a row distance):
    /// forwards to ``scores(for:items:into:)`` with a bounded block.
    @inline(__always)
    package func scores(for users: ArraySlice<Int32>, items itemRange: Range<Int>, into scores: UnsafeMutablePointer<Float>, ldc: Int) {
        var rows = ScoreRows(unchecked: scores, rows: users.count, itemCount: itemRange.count, rowStride: ldc)
        self.scores(for: UserBatch(rawValues: users), items: itemRange, into: &rows)
    }

    /// The score of one pair given by raw positions (the evaluator's and the course lab's arrays).
    @inline(__always)
    package func score(user: Int32, item: Int32) -> Float {
        score(user: UserIndex(rawValue: user), item: ItemIndex(rawValue: item))
    }
}

extension FactorModel: ChunkedScoring {
    public var scoringChunkAlignment: Int { GEMM.nr }

    public func scores(for users: UserBatch, items itemRange: Range<Int>, into scores: inout ScoreRows) {
        precondition(scores.rowCount == users.count && scores.itemCount == itemRange.count, "ScoreRows sized for another batch")
        let f = factors
        var block = [Float](repeating: 0, count: users.count * f)
        for (row, user) in users.enumerated() {
            for j in 0..<f { block[row * f + j] = userFactors[user.int * f + j] }
        }
        block.withUnsafeBufferPointer { a in
            GEMM.multiply(m: users.count, a: a.baseAddress!, lda: f, packed: packedItems, columns: itemRange,
                          c: scores.baseAddress, ldc: scores.rowStride)
        }
    }

    /// The depth of the GEMM's packed panels: it sums each element in slices of this many
    /// terms, each slice from zero, and adds the slices in order.
    package static let gemmDepth = 256

    /// The dot product, summed exactly as the blocked GEMM sums it (so equal scores stay equal),
    /// for any number of factors: slice by slice of ``gemmDepth`` terms, as the GEMM adds its
    /// depth blocks.
    public func score(user: UserIndex, item: ItemIndex) -> Float {
        let f = factors
        return userFactors.withUnsafeBufferPointer { u in
            itemFactors.withUnsafeBufferPointer { v in
                let x = u.baseAddress! + user.int * f, y = v.baseAddress! + item.int * f
                var total = Vector.dotInGEMMOrder(x, y, count: min(f, Self.gemmDepth))
                var start = Self.gemmDepth
                while start < f {
                    total += Vector.dotInGEMMOrder(x + start, y + start, count: min(f - start, Self.gemmDepth))
                    start += Self.gemmDepth
                }
                return total
            }
        }
    }
}
