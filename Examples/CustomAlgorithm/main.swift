// An algorithm written outside RecBench, run through RecBench's splits and evaluator.
//
//   swift run -c release CustomAlgorithm
//
// It conforms a configuration to `RecommenderConfiguration` (a type name, its hyperparameters
// declared once, `init(parameters:)` and `parameters`, a label and `fit`) and a model to
// `TrainedModel`; nothing else is needed. See README.md, "Add your own algorithm".
import Foundation
import RecBench

/// Co-occurrence: an item scores the number of the user's items it was listened to with,
/// counted over all users (association rules of length 2, unnormalised).
struct CoOccurrenceConfiguration: RecommenderConfiguration {
    /// Only the user's most played items vote (0: all of them).
    var topItemsPerUser = 20

    static let typeName = "co-occurrence"

    static let hyperparameters = [
        Hyperparameter("top_items", .integer(0...1_000_000), "Only the user's most played items vote (0: all of them)."),
    ]

    init() {}

    init(parameters: [String: ParameterValue]) throws(ConfigurationError) {
        let p = try ParameterReader(parameters, for: Self.self)
        if let v = p.integer("top_items") { topItemsPerUser = v }
    }

    var parameters: [String: ParameterValue] { ["top_items": .integer(topItemsPerUser)] }

    static var usesSeed: Bool { false }

    var label: String { "CoOccurrence(top \(topItemsPerUser))" }

    func fit(_ train: Dataset, seed: UInt64, threads: Int?) throws -> CoOccurrenceModel {
        try validate()
        let matrix = train.interactions
        // Each user's voting items: the most played ones.
        var voters = [[Int32]](repeating: [], count: matrix.rowCount)
        for u in 0..<matrix.rowCount {
            let row = Array(matrix.range(ofRow: u)).sorted { matrix.values[$0] > matrix.values[$1] }
            let kept = topItemsPerUser > 0 ? Array(row.prefix(topItemsPerUser)) : row
            voters[u] = kept.map { matrix.columns[$0] }.sorted()
        }
        return CoOccurrenceModel(train: matrix, byItem: matrix.transposed(), voters: voters)
    }
}

/// The model: for a user, each voting item adds one per co-listener to every item that listener has.
struct CoOccurrenceModel: TrainedModel {
    let train: InteractionMatrix
    let byItem: InteractionMatrix
    let voters: [[Int32]]

    var itemCount: Int { train.columnCount }

    /// Row `row` of `scores` is exactly `itemCount` floats: writes cannot leave it.
    func scores(for users: UserBatch, into scores: inout ScoreRows) {
        for (row, user) in users.enumerated() {
            let out = scores[row: row]
            out.update(repeating: 0)
            for item in voters[user.int] {
                for p in byItem.range(ofRow: Int(item)) {
                    let other = Int(byItem.columns[p])
                    for q in train.range(ofRow: other) { out[Int(train.columns[q])] += 1 }
                }
            }
        }
    }
}

// The same protocol as every built-in algorithm: split, fit, evaluate, compare.
let (source, name) = try DatasetCatalog.resolve(DatasetCatalog.defaultName)
let dataset = try Preparation().apply(to: DatasetLoader.load(source, name: name))
let split = try Splitter.split(dataset, method: .leaveOneOut(selection: .random, minimum: 2), seed: 7)
let evaluator = Evaluator(EvaluationConfiguration(metrics: [.precision(10), .recall(10), .ndcg(10), .auc], bootstrapResamples: 200))

let custom = try CoOccurrenceConfiguration(parameters: ["top_items": .integer(20)])
let customReport = try Benchmark.fitAndEvaluate(custom, on: split, seed: 1, evaluator: evaluator).report
let baselineReport = try Benchmark.fitAndEvaluate(Algorithm(type: "popularity"), on: split, seed: 1, evaluator: evaluator).report

print("\(split.datasetName), \(split.method), \(split.evaluatedUsers.count) users")
print("model".padding(toLength: 24, withPad: " ", startingAt: 0) + "   P@10    R@10 NDCG@10     AUC")
for report in [customReport, baselineReport] {
    let values = report.summaries.map { String(format: "%7.4f", $0.mean) }.joined(separator: " ")
    print(report.model.padding(toLength: 24, withPad: " ", startingAt: 0) + " " + values)
}
let comparison = PairedComparison(customReport.perUser["NDCG@10"]!, baselineReport.perUser["NDCG@10"]!)
// The t-test and P(custom better) are undefined (nil) with fewer than 2 users.
let tTestP = comparison.tTestPValue.map { String(format: "%.2g", $0) } ?? "undefined"
let customBetter = comparison.probabilityABetter.map { String(format: "%.3f", $0) } ?? "undefined"
print(String(format: "NDCG@10 difference %.4f: paired t-test p = ", comparison.meanDifference) + tTestP
      + String(format: ", Wilcoxon p = %.2g, P(custom better) = ", comparison.wilcoxonPValue) + customBetter)
