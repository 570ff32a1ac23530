import Foundation
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms

/// Two systems compared on the same users: paired t-test, Wilcoxon signed-rank test, and the
/// Bayesian probability that A is better.
///
/// "Better" follows the metric's direction: for a lower-is-better metric A is better when
/// mean(A − B) < 0. The differences and the two-sided p-values do not depend on it.
///
/// The t-test and the posterior need an estimate of the spread of the differences, so they are
/// undefined (`nil`, shown as "undefined") with fewer than 2 users: one difference has no
/// degrees of freedom, whatever its size. With 2 or more users whose differences have zero
/// variance they take their limits as the variance goes to 0: all differences zero gives
/// t = 0, p = 1, P(A better) = 0.5 (identical systems on these users); all equal to some
/// d ≠ 0 gives t = ±∞, p = 0, P(A better) = 1 or 0, as `scipy.stats.ttest_rel` does.
public struct PairedComparison: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Users compared.
    public var users: Int
    /// mean(A − B).
    public var meanDifference: Double
    /// The paired t statistic (Student's t, n − 1 degrees of freedom); `nil` with fewer than 2 users.
    public var tStatistic: Double?
    /// The t-test's two-sided p-value; `nil` (undefined) with fewer than 2 users.
    public var tTestPValue: Double?
    /// The Wilcoxon signed-rank statistic W+ (zero differences dropped, ties ranked by average)
    /// and its two-sided p-value (exact for up to 50 non-zero differences without ties, else the
    /// normal approximation with the tie correction).
    public var wilcoxonStatistic: Double
    public var wilcoxonPValue: Double
    /// P(A better | data): P(mean(A − B) > 0), or P(mean(A − B) < 0) for a lower-is-better
    /// metric, under a normal model with the Jeffreys prior, whose posterior is Student's t
    /// centred on the mean difference with scale s/√n; `nil` with fewer than 2 users (the
    /// posterior is improper).
    public var probabilityABetter: Double?
    /// The direction of the compared metric.
    public var direction: MetricDirection

    /// Whether A did better on average than B in the metric's direction (false when equal).
    public var aIsBetter: Bool { direction.isBetter(meanDifference, than: 0) }

    /// Compares per-user values `a` and `b` (same users, same order) of a metric with `direction`.
    public init(_ a: [Double], _ b: [Double], direction: MetricDirection = .higherIsBetter) {
        precondition(a.count == b.count, "paired values must have the same length")
        let d = zip(a, b).map { $0 - $1 }
        let n = d.count
        users = n
        self.direction = direction
        let mean = n == 0 ? 0 : d.reduce(0, +) / Double(n)
        meanDifference = mean
        (wilcoxonStatistic, wilcoxonPValue) = Wilcoxon.signedRank(d)
        guard n >= 2 else {
            tStatistic = nil
            tTestPValue = nil
            probabilityABetter = nil
            return
        }
        let variance = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        let standardError = (variance / Double(n)).squareRoot()
        if standardError > 0 {
            let t = mean / standardError
            tStatistic = t
            tTestPValue = StudentT.twoSidedPValue(t: t, degreesOfFreedom: Double(n - 1))
            // P(μ > 0) is the t cdf at t; P(μ < 0) the cdf at −t.
            probabilityABetter = StudentT.cdf(direction.oriented(t), degreesOfFreedom: Double(n - 1))
        } else {
            tStatistic = mean == 0 ? 0 : (mean > 0 ? .infinity : -.infinity)
            tTestPValue = mean == 0 ? 1 : 0
            probabilityABetter = direction.isBetter(mean, than: 0) ? 1 : (direction.isBetter(0, than: mean) ? 0 : 0.5)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case users, meanDifference, tStatistic, tTestPValue, wilcoxonStatistic, wilcoxonPValue, probabilityABetter, direction
    }

    /// Decodes a comparison; one written before directions were recorded is higher-is-better.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        users = try c.decode(Int.self, forKey: .users)
        meanDifference = try c.decode(Double.self, forKey: .meanDifference)
        tStatistic = try c.decodeIfPresent(Double.self, forKey: .tStatistic)
        tTestPValue = try c.decodeIfPresent(Double.self, forKey: .tTestPValue)
        wilcoxonStatistic = try c.decode(Double.self, forKey: .wilcoxonStatistic)
        wilcoxonPValue = try c.decode(Double.self, forKey: .wilcoxonPValue)
        probabilityABetter = try c.decodeIfPresent(Double.self, forKey: .probabilityABetter)
        direction = try c.decodeIfPresent(MetricDirection.self, forKey: .direction) ?? .higherIsBetter
    }

    /// The figures for people: "mean difference …, paired t-test p = … (or undefined), Wilcoxon p = …, P(A better) = …".
    public var description: String {
        func figure(_ value: Double?) -> String { value.map { String(format: "%.4g", $0) } ?? "undefined" }
        return String(format: "mean difference %.4g over %d users: ", meanDifference, users)
            + "paired t-test p = \(figure(tTestPValue)), Wilcoxon p = \(figure(wilcoxonPValue)), P(A better) = \(figure(probabilityABetter))"
    }
}

/// Student's t distribution through the regularised incomplete beta function.
package enum StudentT {
    /// P(T ≤ t) for ν degrees of freedom.
    package static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        let tail = 0.5 * IncompleteBeta.regularized(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// P(|T| ≥ |t|).
    package static func twoSidedPValue(t: Double, degreesOfFreedom nu: Double) -> Double {
        IncompleteBeta.regularized(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
    }
}

/// The regularised incomplete beta function I_x(a, b), by its continued fraction evaluated
/// with the modified Lentz method (the fraction converges fast for x < (a + 1)/(a + b + 2);
/// the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) covers the rest).
package enum IncompleteBeta {
    package static func regularized(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a) + lgamma(b) - lgamma(a + b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let logFront = logPowers - logBeta
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * fraction(x: x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * fraction(x: 1 - x, a: b, b: a) / b
    }

    private static func fraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            // Even step: d_{2m} = m(b − m)x / ((a + 2m − 1)(a + 2m)).
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            // Odd step: d_{2m+1} = −(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1)).
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }
}

/// The Wilcoxon signed-rank test (Wilcoxon's treatment of zeros: they are dropped).
package enum Wilcoxon {
    /// W+ and the two-sided p-value.
    package static func signedRank(_ differences: [Double]) -> (Double, Double) {
        let nonZero = differences.filter { $0 != 0 }
        let n = nonZero.count
        guard n > 0 else { return (0, 1) }
        let order = nonZero.indices.sorted { abs(nonZero[$0]) < abs(nonZero[$1]) }
        var ranks = [Double](repeating: 0, count: n)
        var tieCorrection = 0.0
        var hasTies = false
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && abs(nonZero[order[j + 1]]) == abs(nonZero[order[i]]) { j += 1 }
            let average = Double(i + j + 2) / 2
            for k in i...j { ranks[order[k]] = average }
            let t = Double(j - i + 1)
            if t > 1 { hasTies = true; tieCorrection += t * t * t - t }
            i = j + 1
        }
        let wPlus = zip(nonZero, ranks).filter { $0.0 > 0 }.reduce(0) { $0 + $1.1 }
        let total = Double(n * (n + 1)) / 2
        if n <= 50 && !hasTies {
            // Exact: the number of subsets of {1…n} with each rank sum.
            var counts = [Double](repeating: 0, count: Int(total) + 1)
            counts[0] = 1
            for r in 1...n { for s in stride(from: Int(total), through: r, by: -1) { counts[s] += counts[s - r] } }
            let all = pow(2.0, Double(n))
            let low = min(wPlus, total - wPlus)
            let tail = counts[0...Int(low)].reduce(0, +) / all
            return (wPlus, min(1, 2 * tail))
        }
        let mean = total / 2
        let variance = Double(n * (n + 1) * (2 * n + 1)) / 24 - tieCorrection / 48
        guard variance > 0 else { return (wPlus, 1) }
        let z = (wPlus - mean) / variance.squareRoot()
        return (wPlus, erfc(abs(z) / 2.0.squareRoot()))
    }
}
