import ArgumentParser
import Foundation
import RecBench

extension TrecEvaluation.Order: ExpressibleByArgument {}

/// `recbench evaluate`: scores a model on a split, or an external run against qrels.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a model on a split (or an external TREC run against qrels) with exactly defined metrics.",
        discussion: "Metrics: \(Metric.families.map(\.pattern).joined(separator: ", ")) (`recbench metrics` lists them; definitions in docs/metrics.md).")

    @OptionGroup var data: DatasetOptions
    @OptionGroup var splitting: SplitOptions

    @Option(help: "A split folder written by `recbench split` (instead of splitting the dataset).")
    var splitDir: String?

    @OptionGroup var model: AlgorithmOptions

    @Option(name: .customLong("metrics"), parsing: .upToNextOption, help: "Metrics, e.g. P@10 R@10 MAP@10 NDCG@10 AUC, or RMSE MAE FCP (default: P@10 R@10 MAP@10 NDCG@10, and AUC on a split; RMSE MAE with --task rating).")
    var metricNames: [String] = []

    /// The metric names asked for, or the task's defaults (AUC only where it is defined).
    var metrics: [String] {
        if !metricNames.isEmpty { return metricNames }
        return Metric.defaults(for: data.task).filter { runFile == nil || $0 != .auc }.map(\.name)
    }

    @Option(help: "--task rating: the rating scale predictions are clipped to, lo,hi (default: the data's smallest and largest rating).")
    var ratingScale: String?

    @Option(help: "--task rating: ranking metrics count held-out ratings >= this as relevant (default: three quarters up the scale, 4 on 1-5).")
    var relevanceThreshold: Double?

    @Option(help: "Sampled-candidate mode: this many sampled negatives per user (0: full ranking).")
    var sampledNegatives: Int = 0

    @Option(help: "Bootstrap resamples for the confidence intervals.")
    var bootstrap: Int = 1000

    @Option(help: "Write the rankings as a TREC run file.")
    var exportRun: String?

    @Option(help: "Write the test set as TREC qrels.")
    var exportQrels: String?

    @Option(name: .customLong("run"), help: "Score this external TREC run file (user Q0 item rank score tag) …")
    var runFile: String?

    @Option(name: .customLong("qrels"), help: "… against these qrels (user 0 item relevance).")
    var qrelsFile: String?

    @Option(help: "With --run: order each query's documents by 'score' (trec_eval: score descending, ties by document id in descending byte order; the rank column is ignored) or by the 'rank' column. (default: score)")
    var order: TrecEvaluation.Order?

    @Flag(help: "With --run: score qrels queries that have no run line as 0 (trec_eval -c); by default they are left out, as trec_eval does.")
    var complete = false

    @Flag(help: "With --run: print every query's values too.")
    var perQuery = false

    @Option(help: "Edges of the user-activity buckets the metrics are also reported in: training-interaction counts, inclusive upper bounds, increasing (5,20,100: ≤5, 6–20, 21–100, >100), or 'none'. (default: 5,20,100)")
    var userBuckets: String?

    @Option(help: "Edges of the item-popularity buckets (items' training interactions; 0,10,100: 0 (cold), 1–10, 11–100, >100), or 'none'. (default: 0,10,100)")
    var itemBuckets: String?

    /// The bucket edges asked for (nil: no buckets).
    func bucketEdges() throws(BucketError) -> BucketEdges? {
        let users = try userBuckets.map { text throws(BucketError) in try BucketEdges.parse(text, kind: "user") } ?? BucketEdges.standard.users
        let items = try itemBuckets.map { text throws(BucketError) in try BucketEdges.parse(text, kind: "item") } ?? BucketEdges.standard.items
        return users.isEmpty && items.isEmpty ? nil : try BucketEdges(users: users, items: items)
    }

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard (runFile == nil) == (qrelsFile == nil) else { throw ValidationError("--run and --qrels go together.") }
        for name in metrics { do { _ = try Metric.parse(name) } catch { throw ValidationError(error.description + ".") } }
        if runFile != nil, metrics.contains(where: { Metric(name: $0) == .auc }) {
            throw ValidationError("AUC is not defined on a run file: a run lists only the documents it retrieved, and AUC needs every candidate's score (docs/metrics.md). Leave AUC out of --metrics, or evaluate the model on its split.")
        }
        if runFile != nil, let other = metrics.compactMap(Metric.init(name:)).first(where: { $0.definition.needs != .hits }) {
            throw ValidationError("\(other.name) is not defined on a run file: it needs \(other.definition.needs), a run file gives each query's ranked documents (docs/metrics.md).")
        }
        guard sampledNegatives >= 0, bootstrap >= 0 else { throw ValidationError("--sampled-negatives and --bootstrap must be 0 or more.") }
        if data.task != .rating {
            if ratingScale != nil || relevanceThreshold != nil {
                throw ValidationError("--rating-scale and --relevance-threshold apply to --task rating only.")
            }
            if let metric = metrics.compactMap(Metric.init(name:)).first(where: { $0.definition.needs == .predictedRatings }) {
                throw ValidationError("\(metric.name) needs predicted ratings: add --task rating (values are then kept as ratings).")
            }
        }
        if let ratingScale { do { _ = try RatingScale(parsing: ratingScale) } catch { throw ValidationError("--rating-scale: \(error.description).") } }
        if let relevanceThreshold, !relevanceThreshold.isFinite { throw ValidationError("--relevance-threshold must be a finite number.") }
        do { _ = try bucketEdges() } catch { throw ValidationError("--user-buckets/--item-buckets: \(error.description).") }
    }

    func run() throws {
        try refusingInapplicableOptions(checkThatOptionsApply)
        try reportingErrors {
            let chosen = metrics.compactMap(Metric.init(name:))
            if let runFile, let qrelsFile {
                let result = try TrecEvaluation.evaluate(run: try TrecRun.read(runFile), qrels: try TrecQrels.read(qrelsFile),
                                                         metrics: chosen, order: order ?? .score, includeMissingQueries: complete,
                                                         perQuery: perQuery)
                if result.noRelevantDocument {
                    note("note: \(qrelsFile): every grade is 0 or less, so no query has a relevant document and every metric is 0")
                }
                if json {
                    print(String(decoding: try JSONEncoder.pretty.encode(result), as: UTF8.self))
                } else {
                    print("queries \(result.queries) (in both files\(complete ? ", or in the qrels (--complete)" : "")); run-only queries left out: \(result.runOnlyQueries); qrels queries without a run line: \(result.qrelsOnlyQueries)\(complete ? " (scored 0)" : " (left out; --complete scores them 0)")")
                    print("order: \(result.order)")
                    for metric in chosen { print(metric.name.padding(toLength: 12, withPad: " ", startingAt: 0) + String(format: "%.6f", result.metrics[metric.name] ?? 0)) }
                    if perQuery {
                        for row in result.perQuery {
                            for metric in chosen { print("\(metric.name)\t\(row.query)\t" + String(format: "%.6f", row.metrics[metric.name] ?? 0)) }
                        }
                    }
                }
                return
            }
            if splitDir == nil, let folds = splitting.crossValidationFolds {
                try crossValidate(folds: folds, metrics: chosen)
                return
            }
            var split: Split
            if let splitDir {
                split = try SplitFiles.read(from: splitDir)
                // Split files hold no item features: an explicit --item-features source gives them (auto finds none here).
                split.itemFeatures = try ItemFeatureSource(parsing: data.itemFeatures).load(items: split.items)
            } else {
                split = try data.split(method: splitting.method, seed: splitting.seed)
            }
            let candidates: CandidateSet = sampledNegatives > 0 ? .sampled(negatives: sampledNegatives, seed: splitting.seed) : .allExceptTraining
            let rating = try ratingSettings(spanning: split.train.values + split.test.values, metrics: chosen)
            let configuration = EvaluationConfiguration(metrics: chosen, candidates: candidates, bootstrapResamples: bootstrap,
                                                        keepRanking: exportRun == nil ? 0 : 100,
                                                        ratingScale: rating.scale, relevanceThreshold: rating.threshold,
                                                        buckets: try bucketEdges())
            let algorithm = try model.configuration()
            let outcome = try Benchmark.fitAndEvaluate(algorithm, on: split, seed: model.fitSeed, evaluator: Evaluator(configuration))
            let report = outcome.report, fitSeconds = outcome.fitSeconds
            if let exportRun { try TrecFiles.writeRun(report, split: split, tag: algorithm.label.replacingOccurrences(of: " ", with: ""), to: exportRun) }
            if let exportQrels { try TrecFiles.writeQrels(split, to: exportQrels) }
            if json {
                var slim = report
                slim.perUser = [:]; slim.rankings = []; slim.rankingScores = []; slim.users = []
                print(String(decoding: try JSONEncoder.pretty.encode(slim), as: UTF8.self))
                return
            }
            let ranks = chosen.contains { $0.definition.needs != .predictedRatings }
            print("\(report.model) on \(report.dataset), \(report.split)" + (ranks ? "; candidates: \(report.candidateSet)" : ""))
            let counted = ranks ? "evaluated users: \(report.evaluatedUsers)" : "held-out ratings: \(report.ratingPredictions?.predictions ?? 0)"
            print("\(counted); fit \(String(format: "%.2f", fitSeconds)) s, evaluation \(String(format: "%.2f", report.seconds)) s")
            for s in report.summaries {
                let name = s.metric.padding(toLength: 12, withPad: " ", startingAt: 0)
                // A pooled rating metric has no interval: print the value alone.
                let pooled = Metric(name: s.metric)?.definition is any RatingMetric
                print(name + (pooled ? String(format: "%.6f", s.mean) : String(format: "%.6f  [%.6f, %.6f]", s.mean, s.lower, s.upper)))
            }
            for (name, value) in report.beyondAccuracy.sorted(by: { $0.key < $1.key }) { print(name.padding(toLength: 20, withPad: " ", startingAt: 0) + String(format: "%.4f", value)) }
            if let buckets = report.buckets { print(buckets.text, terminator: "") }
            for line in report.notes { print("note: \(line)") }
        }
    }
}

extension Evaluate {
    /// The evaluation's rating settings on a rating task (scale and relevance threshold), with
    /// `values` the ratings the default scale spans; nil on a ranking task.
    func ratingSettings(spanning values: [Float], metrics: [Metric]) throws -> (scale: RatingScale?, threshold: Double?) {
        guard data.task == .rating else { return (nil, nil) }
        let scale = try ratingScale.map { text throws(DatasetError) in try RatingScale(parsing: text) } ?? RatingScale(spanning: values)
        let ranks = metrics.contains { $0.definition.needs != .predictedRatings }
        return (scale, ranks ? (relevanceThreshold ?? scale?.defaultRelevanceThreshold) : nil)
    }

    /// `--split k-fold` without `--fold`: evaluates every fold (``Benchmark/crossValidate(_:on:folds:splitSeed:seed:threads:evaluator:name:)``)
    /// and prints each fold's metrics, then their mean and standard deviation.
    func crossValidate(folds: Int, metrics: [Metric]) throws {
        var trace = DatasetLoader.Trace()
        let dataset = try data.load(trace: &trace)
        let candidates: CandidateSet = sampledNegatives > 0 ? .sampled(negatives: sampledNegatives, seed: splitting.seed) : .allExceptTraining
        let rating = try ratingSettings(spanning: dataset.interactions.values, metrics: metrics)
        let evaluator = Evaluator(EvaluationConfiguration(metrics: metrics, candidates: candidates, bootstrapResamples: bootstrap,
                                                          ratingScale: rating.scale, relevanceThreshold: rating.threshold,
                                                          buckets: try bucketEdges()))
        let result = try Benchmark.crossValidate(try model.configuration(), on: dataset, folds: folds, splitSeed: splitting.seed,
                                                 seed: model.fitSeed, evaluator: evaluator)
        if json {
            print(String(decoding: try JSONEncoder.pretty.encode(result), as: UTF8.self))
            return
        }
        // Rating metrics alone rank nobody: the table counts held-out ratings instead of users.
        let ranks = metrics.contains { $0.definition.needs != .predictedRatings }
        print("\(result.model) on \(result.dataset), \(result.split), seed \(result.seed)" + (ranks ? "; candidates: \(candidates.description)" : ""))
        func cell(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        print(cell("fold", 6) + cell(ranks ? "users" : "ratings", 9) + cell("fit s", 9) + result.summaries.map { cell($0.metric, 12) }.joined())
        for fold in result.perFold {
            let count = ranks ? fold.report.evaluatedUsers : fold.report.ratingPredictions?.predictions ?? 0
            print(cell(String(fold.fold), 6) + cell(String(count), 9) + cell(String(format: "%.2f", fold.fitSeconds), 9)
                  + fold.report.summaries.map { cell(String(format: "%.6f", $0.mean), 12) }.joined())
        }
        print(cell("mean", 24) + result.summaries.map { cell(String(format: "%.6f", $0.mean), 12) }.joined())
        print(cell("std", 24) + result.summaries.map { cell(String(format: "%.6f", $0.standardDeviation), 12) }.joined())
        let counts = result.perFold.compactMap(\.report.ratingPredictions)
        if !counts.isEmpty {
            print("note: \(counts.map(\.predictions).reduce(0, +)) held-out ratings predicted over all folds; \(counts.map(\.fallbacks).reduce(0, +)) fell back to "
                  + "the training mean, \(counts.map(\.clipped).reduce(0, +)) clipped to \(counts[0].scale)")
        }
        let excluded = ranks ? result.perFold.reduce(into: [String: Int]()) { total, fold in total.merge(fold.split.excluded, uniquingKeysWith: +) } : [:]
        for (reason, count) in excluded.sorted(by: { $0.key < $1.key }) { print("note: excluded over all folds: \(count) (\(reason))") }
    }
}

extension JSONEncoder {
    /// Pretty, sorted output.
    static var pretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // An undefined value (FCP without a pair) is written "nan" rather than failing the output.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }
}
