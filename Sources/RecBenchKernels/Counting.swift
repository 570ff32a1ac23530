/// Counting scores above and equal to a threshold, for rank-based metrics such as AUC.
public enum Counting {
    /// The number of scores greater than `threshold`, and equal to it (NaN counts as neither).
    ///
    /// - Complexity: O(n), 16 scores per step.
    public static func greaterAndEqual(_ scores: UnsafeBufferPointer<Float>, than threshold: Float) -> (greater: Int, equal: Int) {
        guard let base = scores.baseAddress else { return (0, 0) }
        let n = scores.count
        let raw = UnsafeRawPointer(base)
        let t = SIMD16<Float>(repeating: threshold)
        var greater = SIMD16<Int32>(), equal = SIMD16<Int32>()
        let one = SIMD16<Int32>(repeating: 1), zero = SIMD16<Int32>()
        var i = 0
        while i + 16 <= n {
            let v = raw.simd16(i)
            greater &+= zero.replacing(with: one, where: v .> t)
            equal &+= zero.replacing(with: one, where: v .== t)
            i += 16
        }
        var g = Int(greater.wrappedSum()), e = Int(equal.wrappedSum())
        while i < n {
            if base[i] > threshold { g += 1 } else if base[i] == threshold { e += 1 }
            i += 1
        }
        return (g, e)
    }
}
