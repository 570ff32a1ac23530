// Fits and evaluates a small model through RecBench as a versioned dependency.
//
//   swift run -c release DependentPackage            (fit + evaluate on a generated dataset)
//   swift run -c release DependentPackage kernels    (also time the SIMD kernels, one thread, and a
//                                                     larger ALS fit and evaluation on all cores)
import Foundation
import RecBench
import RecBenchKernels

// A small generated dataset, written to a temporary folder and loaded like any file.
let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("recbench-dependent-\(ProcessInfo.processInfo.processIdentifier)").path
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: folder) }
let file = folder + "/interactions.tsv"
try SyntheticGenerator(SyntheticConfiguration(users: 500, items: 2000, interactions: 20_000, seed: 1))
    .write(to: file, format: .tsv)
let (source, name) = try DatasetCatalog.resolve(file)
let dataset = try DatasetLoader.parse(source, name: name)

// Split, fit, evaluate.
let split = try Splitter.split(dataset, method: .leaveOneOut(selection: .random, minimum: 2), seed: 7)
let configuration = ALSConfiguration(factors: 16, iterations: 5)
let model = try configuration.fit(split.trainDataset, seed: 1)
let evaluator = Evaluator(EvaluationConfiguration(metrics: [.recall(10), .ndcg(10)], bootstrapResamples: 100))
let report = evaluator.evaluate(model, on: split, name: configuration.label)

print("RecBench kernels built for \(KernelConfiguration.builtFor), GEMM tile "
      + "\(KernelConfiguration.gemmTileRows)×\(KernelConfiguration.gemmTileColumns)")
print("\(dataset.name): \(split.evaluatedUsers.count) test users")
for summary in report.summaries {
    print("\(report.model)  \(summary.metric) = " + String(format: "%.4f", summary.mean))
}

if CommandLine.arguments.dropFirst().contains("kernels") {
    // End to end: 64-factor ALS (15 iterations) and a full-catalogue evaluation, all cores.
    let larger = folder + "/larger.tsv"
    try SyntheticGenerator(SyntheticConfiguration(users: 20_000, items: 20_000, interactions: 1_000_000, seed: 2))
        .write(to: larger, format: .tsv)
    let (largerSource, largerName) = try DatasetCatalog.resolve(larger)
    let largerSplit = try Splitter.split(try DatasetLoader.parse(largerSource, name: largerName),
                                         method: .leaveOneOut(selection: .random, minimum: 2), seed: 7)
    let als = ALSConfiguration()
    var start = ContinuousClock.now
    let largerModel = try als.fit(largerSplit.trainDataset, seed: 1)
    let fitTime = ContinuousClock.now - start
    start = ContinuousClock.now
    let largerReport = Evaluator(EvaluationConfiguration(metrics: [.ndcg(10)], bootstrapResamples: 0))
        .evaluate(largerModel, on: largerSplit, name: als.label)
    let evaluateTime = ContinuousClock.now - start
    print("\(als.label) on 20,000 × 20,000, 1M interactions: fit \(fitTime), evaluate \(evaluateTime), "
          + "NDCG@10 = " + String(format: "%.4f", largerReport.summaries[0].mean))

    let kernels = KernelBenchmark.run(threads: 1)
    print("kernel        shape                                 GFLOP/s   GB/s   time")
    for row in kernels.rows where row.threads == 1 {
        print(row.kernel.padding(toLength: 14, withPad: " ", startingAt: 0)
              + row.shape.padding(toLength: 38, withPad: " ", startingAt: 0)
              + (row.gflops.map { String(format: "%7.1f", $0) } ?? "       ")
              + (row.gigabytesPerSecond.map { String(format: "  %5.1f", $0) } ?? "       ")
              + String(format: "  %.3g s", row.seconds))
    }
}
