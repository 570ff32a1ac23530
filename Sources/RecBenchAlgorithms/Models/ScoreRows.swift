import RecBenchCore
/// A bounded block of scores: `rowCount` rows of `itemCount` floats, one row per scored user.
///
/// A model's scoring function receives one, `inout`, and writes each row through
/// ``subscript(row:)``: a buffer of exactly `itemCount` floats, so a model can never write
/// past its row or past the block. Rows may lie `rowStride` floats apart (a chunk of a wider
/// block); kernels that take a leading dimension use ``baseAddress`` and ``rowStride``.
/// The block does not own its memory: it is valid for the duration of the scoring call.
public struct ScoreRows {
    /// The first float of row 0.
    public let baseAddress: UnsafeMutablePointer<Float>
    /// The number of rows (scored users).
    public let rowCount: Int
    /// The number of floats in each row (scored items).
    public let itemCount: Int
    /// The distance, in floats, from the start of one row to the start of the next (≥ `itemCount`).
    public let rowStride: Int

    /// Views `buffer` as `rows` rows of `itemCount` floats, `rowStride` apart.
    ///
    /// - Precondition: `rowStride ≥ itemCount` and the rows fit in `buffer` (a programmer error otherwise).
    public init(_ buffer: UnsafeMutableBufferPointer<Float>, rows: Int, itemCount: Int, rowStride: Int? = nil) {
        let stride = rowStride ?? itemCount
        precondition(rows >= 0 && itemCount >= 0 && stride >= itemCount, "ScoreRows: negative size or stride below the row width")
        precondition(rows == 0 || itemCount == 0 || (rows - 1) * stride + itemCount <= buffer.count,
                     "ScoreRows: \(rows) rows of \(itemCount) floats, \(stride) apart, do not fit in \(buffer.count) floats")
        self.init(unchecked: buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: MemoryLayout<Float>.alignment)!,
                  rows: rows, itemCount: itemCount, rowStride: stride)
    }

    /// Views memory the caller has sized (the evaluator's blocks): no check.
    package init(unchecked base: UnsafeMutablePointer<Float>, rows: Int, itemCount: Int, rowStride: Int) {
        self.baseAddress = base
        self.rowCount = rows
        self.itemCount = itemCount
        self.rowStride = rowStride
    }

    /// Row `row`: exactly `itemCount` floats.
    ///
    /// - Precondition: `0 ≤ row < rowCount`.
    /// - Complexity: O(1); one bounds check per row, none per element.
    @inlinable
    public subscript(row row: Int) -> UnsafeMutableBufferPointer<Float> {
        precondition(row >= 0 && row < rowCount, "ScoreRows: row \(row) outside 0..<\(rowCount)")
        return UnsafeMutableBufferPointer(start: baseAddress + row * rowStride, count: itemCount)
    }

    /// Whether the rows are adjacent (`rowStride == itemCount`), so the block is one run of
    /// `rowCount × itemCount` floats.
    public var isContiguous: Bool { rowStride == itemCount || rowCount <= 1 }

    /// Every float of the block as one buffer, when it is contiguous (``isContiguous``).
    public var contiguous: UnsafeMutableBufferPointer<Float>? {
        isContiguous ? UnsafeMutableBufferPointer(start: baseAddress, count: rowCount * itemCount) : nil
    }
}
