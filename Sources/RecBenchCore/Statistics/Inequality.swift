/// Measures of how unevenly a quantity is spread.
public enum Inequality {
    /// The Gini coefficient of non-negative values: Σ (2i − n − 1)·x₍ᵢ₎ / (n·Σx) with x ascending, i from 1.
    ///
    /// - Returns: 0 for no values or a zero total.
    /// - Complexity: O(n log n).
    public static func gini(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let n = Double(sorted.count)
        let total = sorted.reduce(0, +)
        guard n > 0, total > 0 else { return 0 }
        var weighted = 0.0
        for (index, x) in sorted.enumerated() { weighted += (2 * Double(index + 1) - n - 1) * x }
        return weighted / (n * total)
    }
}
