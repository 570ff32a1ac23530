import Foundation
import RecBenchKernels
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation

/// Times the evaluator on random factor scores, for comparison with other libraries on the same data.
public enum EvaluationBenchmark {
    /// Seeded random factors for a split: users × f and items × f, uniform in [-0.5, 0.5).
    public static func randomFactors(users: Int, items: Int, factors: Int, seed: UInt64) -> (user: [Float], item: [Float]) {
        var rng = SeededGenerator(seed: seed)
        let user = (0..<(users * factors)).map { _ in Float(rng.nextUnit() - 0.5) }
        let item = (0..<(items * factors)).map { _ in Float(rng.nextUnit() - 0.5) }
        return (user, item)
    }

    /// Writes `values` as raw little-endian float32 (readable with `numpy.fromfile(path, dtype=float32)`).
    public static func writeFloats(_ values: [Float], to path: String) throws {
        try values.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
