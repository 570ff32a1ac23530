import RecBenchKernels

/// A model that can score a range of items at a time, and single (user, item) pairs cheaply.
///
/// The evaluator uses it to rank users chunk by chunk of the catalogue, so that a block of
/// users' scores stays in the L2 cache while it is selected and counted, instead of a
/// users × items block going through memory.
public protocol ChunkedScoring: TrainedModel {
    /// Writes the scores of items `itemRange` for each of `users` into `scores`, row after
    /// row, rows `ldc` floats apart. `itemRange` starts at a multiple of ``scoringChunkAlignment``.
    func scores(for users: ArraySlice<Int32>, items itemRange: Range<Int>, into scores: UnsafeMutablePointer<Float>, ldc: Int)

    /// The score of one (user, item) pair.
    func score(user: Int32, item: Int32) -> Float

    /// Item ranges passed to ``scores(for:items:into:ldc:)`` start at multiples of this.
    var scoringChunkAlignment: Int { get }
}

extension FactorModel: ChunkedScoring {
    public var scoringChunkAlignment: Int { GEMM.nr }

    public func scores(for users: ArraySlice<Int32>, items itemRange: Range<Int>, into scores: UnsafeMutablePointer<Float>, ldc: Int) {
        let f = factors
        var block = [Float](repeating: 0, count: users.count * f)
        for (row, user) in users.enumerated() {
            for j in 0..<f { block[row * f + j] = userFactors[Int(user) * f + j] }
        }
        block.withUnsafeBufferPointer { a in
            GEMM.multiply(m: users.count, a: a.baseAddress!, lda: f, packed: packedItems, columns: itemRange, c: scores, ldc: ldc)
        }
    }

    /// The depth of the GEMM's packed panels: it sums each element in slices of this many
    /// terms, each slice from zero, and adds the slices in order.
    static let gemmDepth = 256

    /// The dot product, summed exactly as the blocked GEMM sums it (so equal scores stay equal),
    /// for any number of factors: slice by slice of ``gemmDepth`` terms, as the GEMM adds its
    /// depth blocks.
    public func score(user: Int32, item: Int32) -> Float {
        let f = factors
        return userFactors.withUnsafeBufferPointer { u in
            itemFactors.withUnsafeBufferPointer { v in
                let x = u.baseAddress! + Int(user) * f, y = v.baseAddress! + Int(item) * f
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
