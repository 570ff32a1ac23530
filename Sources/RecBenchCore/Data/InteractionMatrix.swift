/// A sparse user × item matrix in compressed sparse row (CSR) form: the one training format.
///
/// Row `u` holds user `u`'s interactions: columns `columns[rowOffsets[u]..<rowOffsets[u+1]]`
/// in increasing item order, with the matching `values` (play counts, ratings or
/// confidences). Every (user, item) pair appears at most once.
public struct InteractionMatrix: Sendable, Equatable {
    /// The number of rows (users).
    public let rowCount: Int
    /// The number of columns (items).
    public let columnCount: Int
    /// `rowCount + 1` offsets into `columns` and `values`; the first is 0.
    public var rowOffsets: [Int]
    /// Item index of each stored entry, increasing within a row.
    public var columns: [Int32]
    /// Value of each stored entry.
    public var values: [Float]

    /// Creates a matrix from CSR arrays.
    ///
    /// - Precondition: the arrays are consistent (offsets non-decreasing from 0 to
    ///   `columns.count`, columns in range and increasing within each row).
    public init(rowCount: Int, columnCount: Int, rowOffsets: [Int], columns: [Int32], values: [Float]) {
        precondition(rowOffsets.count == rowCount + 1 && columns.count == values.count)
        precondition(rowOffsets.first == 0 && rowOffsets.last == columns.count)
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.rowOffsets = rowOffsets
        self.columns = columns
        self.values = values
    }

    /// The number of stored entries.
    public var nonZeroCount: Int { columns.count }

    /// The fraction of cells that hold an entry.
    public var density: Double {
        rowCount == 0 || columnCount == 0 ? 0 : Double(nonZeroCount) / (Double(rowCount) * Double(columnCount))
    }

    /// The range of entry positions of `row`.
    @inlinable public func range(ofRow row: Int) -> Range<Int> { rowOffsets[row]..<rowOffsets[row + 1] }

    /// The number of entries in each row.
    public var rowLengths: [Int] { (0..<rowCount).map { rowOffsets[$0 + 1] - rowOffsets[$0] } }

    /// The number of entries in each column.
    public var columnLengths: [Int] {
        var counts = [Int](repeating: 0, count: columnCount)
        for column in columns { counts[Int(column)] += 1 }
        return counts
    }

    /// The sum of the values in each column.
    public var columnSums: [Double] {
        var sums = [Double](repeating: 0, count: columnCount)
        for (column, value) in zip(columns, values) { sums[Int(column)] += Double(value) }
        return sums
    }

    /// The value at (`row`, `column`), or `nil` when the cell is empty.
    ///
    /// - Complexity: O(log n) in the row's length.
    public func value(row: Int, column: Int) -> Float? {
        var low = rowOffsets[row], high = rowOffsets[row + 1]
        let target = Int32(column)
        while low < high {
            let mid = (low + high) / 2
            if columns[mid] < target { low = mid + 1 } else { high = mid }
        }
        return low < rowOffsets[row + 1] && columns[low] == target ? values[low] : nil
    }
}
