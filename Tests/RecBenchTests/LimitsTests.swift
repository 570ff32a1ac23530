import Foundation
import Testing
@testable import RecBench

/// The experiment text with one algorithm table (and optional extra tables before it).
private func experiment(_ algorithm: String, before: String = "") -> String {
    "name = \"limits\"\n" + before + "[[algorithms]]\n" + algorithm
}

/// The error `Experiment.parse` throws for `text`, or nil.
private func parseError(_ text: String) -> ExperimentError? {
    do {
        _ = try Experiment.parse(text, file: "limits.toml")
        return nil
    } catch {
        return error
    }
}

/// Whether `error` names the file and `key` and says `reason`.
private func names(_ error: ExperimentError?, key: String, _ reason: String) -> Bool {
    guard let text = error?.description else { return false }
    return text.hasPrefix("limits.toml: ") && text.contains("'\(key)'") && text.contains(reason)
}

@Suite("Hyperparameter limits")
struct HyperparameterLimitTests {
    @Test func anIntegerRangeNearIntMaxIsAnErrorNamingItsKey() {
        let error = parseError(experiment("type = \"item-knn\"\nneighbors = { min = 9223372036854775000, max = 9223372036854775807 }\n",
                                          before: "[search]\nstrategy = \"random\"\nsamples = 3\n"))
        #expect(names(error, key: "algorithms[0].neighbors.min", "outside 1…10000000"), "\(String(describing: error))")
        let batch = parseError(experiment("type = \"vae\"\nbatch_size = { min = 1, max = 9223372036854775807, steps = 3 }\n"))
        #expect(names(batch, key: "algorithms[0].batch_size.max", "outside 1…1000000"), "\(String(describing: batch))")
    }

    @Test func rangesBuiltInCodeNeverTrapWhenDrawnOrGridded() {
        let huge = ParameterSpace.range(min: 9.2e18, max: 1e19, scale: .linear, steps: 3, integer: true)
        #expect(huge.gridValues() == [.integer(9_200_000_000_000_000_000), .integer(Int.max)])
        var rng = SeededGenerator(seed: 1)
        #expect(ParameterSpace.range(min: 1e19, max: 2e19, scale: .log, steps: nil, integer: true).draw(using: &rng) == .integer(Int.max))
    }

    @Test func everyIntegerLimitIsFiniteAndExactInADouble() {
        for range in HyperparameterLimits.integerRanges {
            #expect(range.upperBound <= 1 << 53 && Int(exactly: Double(range.upperBound)) == range.upperBound)
        }
    }

    @Test func filesTheCommandLineAndFitShareOneFactorRange() throws {
        for type in [ALSConfiguration.self, BPRConfiguration.self] as [any RecommenderConfiguration.Type] {
            let factors = type.hyperparameters.first { $0.name == "factors" }
            #expect(factors?.domain == .integer(HyperparameterLimits.factors), "factors of \(type.typeName)")
        }
        // 256 is accepted for both, 257 refused for both, with the same words.
        for type in ["als", "bpr"] {
            #expect(parseError(experiment("type = \"\(type)\"\nfactors = 256\n")) == nil)
            #expect(names(parseError(experiment("type = \"\(type)\"\nfactors = 257\n")), key: "algorithms[0].factors", "257 is outside 1…256"))
        }
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "bpr", parameter: "factors", value: "257", allowed: "1…256")) {
            try Algorithm.bpr(BPRConfiguration(factors: 257)).validate()
        }
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "als", parameter: "factors", value: "257", allowed: "1…256")) {
            try ALSConfiguration(factors: 257).fit(blockFixture().trainDataset, seed: 1)
        }
        #expect(ConfigurationError.invalidHyperparameter(algorithm: "bpr", parameter: "factors", value: "257", allowed: "1…256").description
                == "bpr: factors = 257 is outside its allowed range (1…256)")
    }

    @Test func fitRefusesOutOfRangeValuesWithATypedErrorInsteadOfTrapping() throws {
        let train = try blockFixture().trainDataset
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "item-knn", parameter: "neighbors", value: "0", allowed: "1…10000000")) {
            try ItemKNNConfiguration(neighbors: 0).fit(train, seed: 1)
        }
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "bpr", parameter: "blocks", value: "0", allowed: "1…1024")) {
            try BPRConfiguration(blocks: 0).fit(train, seed: 1)
        }
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "dae", parameter: "dropout", value: "1.0", allowed: "0…0.99")) {
            try MultDAEConfiguration(dropout: 1).fit(train, seed: 1)
        }
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "vae", parameter: "layers", value: "0 layers", allowed: "1…16 layers")) {
            try MultVAEConfiguration(layers: []).fit(train, seed: 1)
        }
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "ease", parameter: "regularization", value: "nan", allowed: "0…1000000000000")) {
            try EASEConfiguration(regularization: .nan).fit(train, seed: 1)
        }
    }

    @Test func aBatchSizeNearIntMaxIsAnErrorInFilesAndInFit() throws {
        #expect(names(parseError(experiment("type = \"dae\"\nbatch_size = 9223372036854775807\n")),
                      key: "algorithms[0].batch_size", "9223372036854775807 is outside 1…1000000"))
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "dae", parameter: "batch_size", value: "\(Int.max)", allowed: "1…1000000")) {
            try MultDAEConfiguration(layers: [4], epochs: 1, batchSize: Int.max).fit(blockFixture().trainDataset, seed: 1)
        }
        // A batch larger than the users is one batch per epoch, as before.
        let one = try MultDAEConfiguration(layers: [4], epochs: 2, batchSize: 1_000_000).fit(blockFixture().trainDataset, seed: 1)
        let same = try MultDAEConfiguration(layers: [4], epochs: 2, batchSize: 30).fit(blockFixture().trainDataset, seed: 1)
        #expect(one.network.weights == same.network.weights)
    }

    @Test func aLatentOfTwoToTheSixtySecondIsAnErrorInFilesAndInFit() throws {
        #expect(names(parseError(experiment("type = \"vae\"\nlayers = [4611686018427387904]\n")),
                      key: "algorithms[0].layers", "layer widths are integers in 1…1000000"))
        #expect(throws: ConfigurationError.invalidHyperparameter(algorithm: "vae", parameter: "layers", value: "4611686018427387904", allowed: "1…1000000")) {
            try MultVAEConfiguration(layers: [1 << 62], epochs: 1).fit(blockFixture().trainDataset, seed: 1)
        }
    }
}

@Suite("Factor models beyond 256 factors")
struct WideFactorTests {
    @Test(arguments: [257, 300, 600])
    func singleScoresEqualTheBlockedGEMMBitForBit(factors: Int) {
        var rng = SeededGenerator(seed: UInt64(factors))
        let users = 3, items = 70
        let model = FactorModel(factors: factors, userFactors: (0..<(users * factors)).map { _ in Float(rng.nextUnit() - 0.5) },
                                itemFactors: (0..<(items * factors)).map { _ in Float(rng.nextUnit() - 0.5) })
        let block = model.scores(for: (0..<users).map(UserIndex.init))
        for user in 0..<users {
            for item in 0..<items { #expect(model.score(user: UserIndex(user), item: ItemIndex(item)) == block[user * items + item]) }
        }
    }

    @Test func bprWith256FactorsIsEvaluatedWithAUC() throws {
        let split = try blockFixture()
        let model = try BPRConfiguration(factors: 256, epochs: 2, blocks: 3).fit(split.trainDataset, seed: 1)
        #expect(model.factors == 257)
        let report = Evaluator(EvaluationConfiguration(metrics: [.ndcg(10), .auc], bootstrapResamples: 0)).evaluate(model, on: split)
        let auc = try #require(report.mean(.auc))
        #expect(auc >= 0 && auc <= 1)
    }
}

@Suite("Sweep sizes")
struct SweepSizeTests {
    static let hugeGrid = """
    type = "vae"
    epochs = { min = 0, max = 100000, steps = 1000 }
    batch_size = { min = 1, max = 100000, steps = 1000 }
    learning_rate = { min = 0.001, max = 1, steps = 1000 }
    regularization = { min = 0, max = 1, steps = 1000 }
    dropout = { min = 0, max = 0.9, steps = 1000 }

    """

    @Test func aGridOfTenToTheFifteenIsRefusedBeforeItIsBuilt() {
        let error = parseError(experiment(Self.hugeGrid))
        #expect(names(error, key: "algorithms[0]", "the sweep has 1000000000000000 configurations"), "\(String(describing: error))")
        #expect(error?.description.contains("more than the limit of 10000") == true)
        #expect(error?.description.contains("search.max_configurations (at most 1000000)") == true)
    }

    @Test func aCountThatOverflowsIsRefusedToo() {
        let text = experiment("""
            type = "vae"
            epochs = { min = 0, max = 100000, steps = 10000 }
            batch_size = { min = 1, max = 1000000, steps = 10000 }
            learning_rate = { min = 0.001, max = 1, steps = 10000 }
            regularization = { min = 0, max = 1, steps = 10000 }
            dropout = { min = 0, max = 0.9, steps = 10000 }
            anneal_cap = { min = 0, max = 1, steps = 10000 }

            """)
        let error = parseError(text)
        #expect(error?.description.contains("the sweep has more than \(Int.max) configurations") == true, "\(String(describing: error))")
        #expect(SearchStrategy.grid.configurationCount(["a": .values([.integer(1)]), "b": .values([])]) == 0)
    }

    @Test func tenThousandRandomSamplesNeedTheKeyThatLiftsTheCap() throws {
        let random = "[search]\nstrategy = \"random\"\nsamples = 20000\n"
        let algorithm = "type = \"als\"\nregularization = { min = 0.001, max = 10, scale = \"log\" }\nalpha = { min = 0.001, max = 10, scale = \"log\" }\n"
        let error = parseError(experiment(algorithm, before: random))
        #expect(names(error, key: "algorithms[0]", "the sweep has 20000 configurations"), "\(String(describing: error))")
        let lifted = try Experiment.parse(experiment(algorithm, before: random + "max_configurations = 20000\n"), file: "limits.toml")
        let planned = lifted.search.configurations(lifted.algorithms[0].spaces)
        #expect(planned.count > 19_990 && planned.count <= 20_000)
        #expect(names(parseError(experiment(algorithm, before: random + "max_configurations = 1000001\n")),
                      key: "search.max_configurations", "outside"))
        // A sweep whose spaces hold few combinations counts those, not the samples.
        let few = try Experiment.parse(experiment("type = \"als\"\nfactors = [8, 16]\n", before: random), file: "limits.toml")
        #expect(few.search.configurationCount(few.algorithms[0].spaces) == 2)
    }

    @Test func randomPlanningKeepsTheFirstDrawOfEachConfigurationInOrder() {
        let spaces: [String: ParameterSpace] = ["a": .range(min: 1, max: 6, scale: .linear, steps: nil, integer: true),
                                                "b": .values([.string("x"), .string("y"), .string("z")])]
        let strategy = SearchStrategy.random(samples: 300, seed: 9)
        // The quadratic reference the planner replaced.
        var rng = SeededGenerator(seed: 9)
        var reference: [[String: ParameterValue]] = []
        for _ in 0..<300 {
            var configuration: [String: ParameterValue] = [:]
            for name in spaces.keys.sorted() { configuration[name] = spaces[name]!.draw(using: &rng) }
            if !reference.contains(configuration) { reference.append(configuration) }
        }
        #expect(strategy.configurations(spaces) == reference)
        #expect(strategy.configurationCount(spaces) == 18 && reference.count == 18)
    }

    @Test func gridCountsAreTheGridsSizes() throws {
        let spaces: [String: ParameterSpace] = ["f": .range(min: 1, max: 3, scale: .linear, steps: 10, integer: true),
                                                "l": .range(min: 0.01, max: 1, scale: .log, steps: 4, integer: false),
                                                "s": .values([.string("cg"), .string("cholesky")])]
        #expect(SearchStrategy.grid.configurationCount(spaces) == SearchStrategy.grid.configurations(spaces).count)
        #expect(SearchStrategy.grid.configurationCount(spaces) == 3 * 4 * 2)
    }
}

@Suite("Metric cutoffs")
struct MetricCutoffTests {
    @Test func cutoffsAboveTheLimitAreRefusedWhereverANameIsParsed() throws {
        #expect(Metric(name: "NDCG@100000") == .ndcg(100_000))
        for name in ["NDCG@100001", "NDCG@100000000", "NDCG@9223372036854775807", "P@99999999999999999999999", "R@0"] {
            #expect(Metric(name: name) == nil)
            #expect(throws: MetricError.cutoffOutOfRange(name: name)) { try Metric.parse(name) }
        }
        #expect(throws: MetricError.unknown(name: "XYZ@10")) { try Metric.parse("XYZ@10") }
        #expect(MetricError.cutoffOutOfRange(name: "NDCG@100000000").description.contains("1…100000"))
        // Experiment files: a named metric, the selection and the cutoffs.
        let random = "type = \"random\"\n"
        #expect(names(parseError(experiment(random, before: "[evaluation]\nmetrics = [\"NDCG@100000000\"]\n")),
                      key: "evaluation.metrics[0]", "1…100000"))
        #expect(names(parseError(experiment(random, before: "[evaluation]\nmetrics = [\"NDCG@9223372036854775807\"]\n")),
                      key: "evaluation.metrics[0]", "1…100000"))
        #expect(names(parseError(experiment(random, before: "[evaluation]\nselect = \"P@100001\"\n")), key: "evaluation.select", "1…100000"))
        #expect(names(parseError(experiment(random, before: "[evaluation]\ncutoffs = [100001]\n")), key: "evaluation.cutoffs[0]", "1…100000"))
        #expect(parseError(experiment(random, before: "[evaluation]\ncutoffs = [5000]\nmetrics = [\"NDCG\", \"MAP@20000\"]\n")) == nil)
        // Records: a stored name beyond the limit does not decode.
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Metric].self, from: Data("[\"NDCG@100000000\"]".utf8)) }
    }

    @Test func theEvaluatorNeverRanksDeeperThanTheCatalogue() throws {
        let split = try blockFixture()
        let model = ItemScoreModel.popularity(split.train)
        let deep = Evaluator(EvaluationConfiguration(metrics: [.ndcg(Int.max), .recall(Int.max)], bootstrapResamples: 0)).evaluate(model, on: split)
        let catalogue = Evaluator(EvaluationConfiguration(metrics: [.ndcg(30), .recall(30)], bootstrapResamples: 0)).evaluate(model, on: split)
        #expect(deep.depth == 30 && catalogue.depth == 30)
        #expect(deep.perUser["NDCG@\(Int.max)"] == catalogue.perUser["NDCG@30"])
        #expect(deep.perUser["R@\(Int.max)"] == catalogue.perUser["R@30"])
        #expect(deep.rankings == catalogue.rankings)
    }

    @Test func theEvaluationsMemoryIsEstimatedAndRefusedWithTheFigure() throws {
        let split = try blockFixture()
        let configuration = EvaluationConfiguration(metrics: [.ndcg(100_000)], bootstrapResamples: 0, threads: 1)
        // 30 users, ranked 30 items deep (the catalogue), not 100,000.
        #expect(configuration.peakBytes(users: 30, items: 30) < 2_000_000)
        try Evaluator(configuration).checkMemory(for: split)
        // A million users ranked 100,000 deep is 800 GB of rankings.
        let needed = configuration.peakBytes(users: 1_000_000, items: 1_000_000)
        #expect(needed > 800_000_000_000)
        #expect(throws: MemoryError.insufficient(task: "ranking 1000000 users 100000 items deep (NDCG@100000)", bytesNeeded: needed,
                                                 bytesAvailable: 8_000_000_000, advice: "use smaller cutoffs")) {
            try MemoryBudget.$limitOverride.withValue(10_000_000_000) { try configuration.checkMemory(users: 1_000_000, items: 1_000_000) }
        }
    }
}

@Suite("Memory estimates")
struct MemoryEstimateTests {
    @Test func theLimitIsTheSmallestOfRAMTheRlimitAndTheCgroup() {
        #expect(MemoryBudget.limit(physical: 16_000_000_000, resourceLimits: [3_000_000_000, 5_000_000_000], cgroup: 8_000_000_000) == 3_000_000_000)
        #expect(MemoryBudget.limit(physical: 16_000_000_000, resourceLimits: [], cgroup: 2_000_000_000) == 2_000_000_000)
        #expect(MemoryBudget.limit(physical: 16_000_000_000, resourceLimits: [], cgroup: nil) == 16_000_000_000)
        #expect(MemoryBudget.limit(physical: UInt64.max, resourceLimits: [], cgroup: nil) == Int.max)
    }

    @Test func cgroupLimitsAreReadForVersionTwoAndOneAndTheirAncestors() throws {
        let folder = TemporaryFolder()
        let root = folder.path + "/cgroup"
        // v2: the process's group says max, its parent 3 GB, the namespace root nothing.
        try FileManager.default.createDirectory(atPath: root + "/user.slice/job", withIntermediateDirectories: true)
        folder.write("cgroup/user.slice/job/memory.max", "max\n")
        folder.write("cgroup/user.slice/memory.max", "3000000000\n")
        #expect(MemoryBudget.cgroupLimit(root: root, selfCgroup: "0::/user.slice/job\n") == 3_000_000_000)
        // A container: the group's path is not visible, the root's file holds the limit.
        folder.write("cgroup/memory.max", "2500000000\n")
        #expect(MemoryBudget.cgroupLimit(root: root, selfCgroup: "0::/kubepods/pod1/abc\n") == 2_500_000_000)
        // v1, with the unlimited value at the root.
        let v1 = folder.path + "/v1"
        try FileManager.default.createDirectory(atPath: v1 + "/memory/docker/abc", withIntermediateDirectories: true)
        folder.write("v1/memory/memory.limit_in_bytes", "9223372036854771712\n")
        folder.write("v1/memory/docker/abc/memory.limit_in_bytes", "1500000000\n")
        #expect(MemoryBudget.cgroupLimit(root: v1, selfCgroup: "12:pids:/docker/abc\n4:cpuacct,memory:/docker/abc\n") == 1_500_000_000)
        #expect(MemoryBudget.cgroupLimit(root: folder.path + "/none", selfCgroup: nil) == nil)
    }

    @Test func easeRefusesWithTheSharedBudgetAndNamesRealOptions() throws {
        let train = try blockFixture().trainDataset
        // 30 items need 12 · 30² = 10,800 bytes; a 10,000-byte limit leaves 8,000 usable.
        #expect(throws: AlgorithmError.tooManyItems(algorithm: "EASE", items: 30, limit: 30_000, bytesNeeded: 10_800, bytesAvailable: 8_000)) {
            try MemoryBudget.$limitOverride.withValue(10_000) { try EASEConfiguration(regularization: 1).fit(train, seed: 0) }
        }
        let memory = AlgorithmError.tooManyItems(algorithm: "EASE", items: 17_632, limit: 30_000, bytesNeeded: EASEConfiguration.peakBytes(items: 17_632),
                                                 bytesAvailable: 2_400_000_000).description
        #expect(memory.contains("3.7 GB") && memory.contains("2.4 GB usable") && memory.contains("rlimit") && memory.contains("container"))
        let items = AlgorithmError.tooManyItems(algorithm: "EASE", items: 40_000, limit: 30_000, bytesNeeded: EASEConfiguration.peakBytes(items: 40_000),
                                                bytesAvailable: 20_000_000_000).description
        for message in [memory, items] {
            #expect(message.contains("--min-item N") && message.contains("min_item_users") && !message.contains("--min-item-users"))
        }
        #expect(items.contains("max_items"))
        #expect(EASEConfiguration.peakBytes(items: 1 << 40) == Int.max)
    }

    @Test func aDAELayerOfAMillionUnitsIsRefusedWithTheBytesNeededAndAvailable() throws {
        let train = try blockFixture().trainDataset
        let dae = MultDAEConfiguration(layers: [1_000_000], epochs: 1)
        // Weights 30 × 10⁶ twice, four times over (network, two Adam moments, gradients), in floats.
        let needed = dae.peakBytes(items: 30, users: 30)
        #expect(needed > 4 * 4 * 2 * 30 * 1_000_000 && needed < 4 * 4 * 2 * 31 * 1_000_000 + 4 * 31 * 1_000_000 + 1_000_000_000)
        do {
            try MemoryBudget.$limitOverride.withValue(500_000_000) { _ = try dae.fit(train, seed: 1) }
            Issue.record("no error")
        } catch let error as MemoryError {
            #expect(error == .insufficient(task: "\(dae.label) on 30 items", bytesNeeded: needed, bytesAvailable: 400_000_000,
                                           advice: "use narrower layers, a smaller batch_size, or " + AlgorithmError.pruningAdvice))
            #expect(error.description.contains("0.4 GB usable") && error.description.contains("GB of memory"))
        }
        // The paper's VAE on a 20,000-item catalogue fits comfortably, by the same estimate.
        #expect(MultVAEConfiguration().peakBytes(items: 20_000, users: 100_000) < 2_000_000_000)
        #expect(MultVAEConfiguration(layers: [1_000_000, 1_000_000]).peakBytes(items: 1 << 62, users: 10) == Int.max)
    }

    @Test func itemKNNNeighbourListsAreEstimatedBeforeTheyAreAllocated() throws {
        let train = try blockFixture().trainDataset
        #expect(throws: MemoryError.self) {
            try MemoryBudget.$limitOverride.withValue(1_000) { _ = try ItemKNNConfiguration(neighbors: 20).fit(train, seed: 1) }
        }
        #expect(ItemKNNConfiguration.peakBytes(items: 1_000_000, neighbors: 10_000_000) >= 8_000_000_000_000)
    }
}

@Suite("Experiment values of the wrong kind")
struct ExperimentValueKindTests {
    @Test func aTOMLDateIsNeitherAStringNorANumber() {
        #expect(names(parseError("name = 1979-05-27\n[[algorithms]]\ntype = \"random\"\n"), key: "name", "must be a string, not a date or time"))
        #expect(names(parseError(experiment("type = \"random\"\n", before: "[search]\nstrategy = \"random\"\nsamples = 1979-05-27\n")),
                      key: "search.samples", "must be an integer, not a date or time"))
        #expect(names(parseError(experiment("type = \"als\"\nfactors = 07:32:00\n")), key: "algorithms[0].factors", "not a date or time"))
    }
}
