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
        var i = 0
        while i + 16 <= n {
            let v = raw.simd16(i)
            // A true lane of a mask is all ones, that is −1: subtracting it counts.
            greater &-= lanes(v .> t)
            equal &-= lanes(v .== t)
            i += 16
        }
        var g = Int(greater.wrappedSum()), e = Int(equal.wrappedSum())
        while i < n {
            if base[i] > threshold { g += 1 } else if base[i] == threshold { e += 1 }
            i += 1
        }
        return (g, e)
    }

    /// For each of `thresholds`, the scores greater than it and equal to it, added to
    /// `greater[t]` and `equal[t]`; four thresholds share each pass over the scores.
    ///
    /// - Complexity: O(n · thresholds / 4) passes' worth of loads, O(n · thresholds) compares.
    public static func accumulateGreaterAndEqual(_ scores: UnsafeBufferPointer<Float>, thresholds: UnsafeBufferPointer<Float>,
                                                 greater: UnsafeMutablePointer<Int>, equal: UnsafeMutablePointer<Int>) {
        guard let base = scores.baseAddress else { return }
        let n = scores.count
        let raw = UnsafeRawPointer(base)
        var t = 0
        while t + 4 <= thresholds.count {
            let t0 = SIMD16<Float>(repeating: thresholds[t]), t1 = SIMD16<Float>(repeating: thresholds[t + 1])
            let t2 = SIMD16<Float>(repeating: thresholds[t + 2]), t3 = SIMD16<Float>(repeating: thresholds[t + 3])
            var g0 = SIMD16<Int32>(), g1 = SIMD16<Int32>(), g2 = SIMD16<Int32>(), g3 = SIMD16<Int32>()
            var e0 = SIMD16<Int32>(), e1 = SIMD16<Int32>(), e2 = SIMD16<Int32>(), e3 = SIMD16<Int32>()
            var i = 0
            while i + 16 <= n {
                let v = raw.simd16(i)
                g0 &-= lanes(v .> t0); e0 &-= lanes(v .== t0)
                g1 &-= lanes(v .> t1); e1 &-= lanes(v .== t1)
                g2 &-= lanes(v .> t2); e2 &-= lanes(v .== t2)
                g3 &-= lanes(v .> t3); e3 &-= lanes(v .== t3)
                i += 16
            }
            var counts = [Int(g0.wrappedSum()), Int(g1.wrappedSum()), Int(g2.wrappedSum()), Int(g3.wrappedSum())]
            var ties = [Int(e0.wrappedSum()), Int(e1.wrappedSum()), Int(e2.wrappedSum()), Int(e3.wrappedSum())]
            while i < n {
                for j in 0..<4 {
                    if base[i] > thresholds[t + j] { counts[j] += 1 } else if base[i] == thresholds[t + j] { ties[j] += 1 }
                }
                i += 1
            }
            for j in 0..<4 { greater[t + j] += counts[j]; equal[t + j] += ties[j] }
            t += 4
        }
        while t < thresholds.count {
            let (g, e) = greaterAndEqual(scores, than: thresholds[t])
            greater[t] += g
            equal[t] += e
            t += 1
        }
    }

    /// The lanes of a comparison mask as integers (−1 true, 0 false).
    @inline(__always)
    static func lanes(_ mask: SIMDMask<SIMD16<Int32>>) -> SIMD16<Int32> {
        unsafeBitCast(mask, to: SIMD16<Int32>.self)
    }
}
