import Dispatch
import Foundation
import RecBenchKernels
import Synchronization
import RecBenchCore
import RecBenchSplits
import RecBenchMetrics
import RecBenchAlgorithms
import RecBenchEvaluation

/// A planned run: one configuration of one algorithm, one fit seed, one phase.
public struct PlannedRun: Sendable, Hashable {
    public var id: String
    public var phase: RunPhase
    public var spec: AlgorithmSpec
    public var parameters: [String: ParameterValue]
    public var algorithm: Algorithm
    public var seed: UInt64
}

/// What the runner tells its caller as it goes.
public enum ExperimentProgress: Sendable {
    /// The dataset is loaded and split; `pending` runs will execute now (`finished` were already done).
    case planned(phase: RunPhase, pending: Int, finished: Int, notes: [String])
    /// A run finished (`done` of `pending` in this phase).
    case finished(run: PlannedRun, record: RunRecord, done: Int, pending: Int)
    /// A run failed; the others go on.
    case failed(run: PlannedRun, error: String)
    /// Something the user should know: stale or unreadable records, files left by killed runs,
    /// runs claimed by another process.
    case notice(String)
}

/// How a sweep is run.
public struct RunOptions: Sendable {
    /// Runs at once (each then fits on one thread; results do not change).
    public var jobs: Int
    /// This process runs validation runs whose index ≡ `shard.index − 1` (mod `shard.count`).
    public var shard: (index: Int, count: Int)
    /// Remove the experiment's earlier run records first.
    public var fresh: Bool
    /// Keep finished runs made by another RecBench version or commit instead of running them
    /// again (they are still reported).
    public var reuseStale: Bool

    /// Creates the options.
    public init(jobs: Int = 1, shard: (index: Int, count: Int) = (1, 1), fresh: Bool = false, reuseStale: Bool = false) {
        self.jobs = jobs
        self.shard = shard
        self.fresh = fresh
        self.reuseStale = reuseStale
    }
}

/// What a sweep left behind.
public struct ExperimentOutcome: Sendable {
    /// The experiment identity of this run's records (``Experiment/identity(datasetSHA256:)``).
    public var identity: String
    /// Records of this experiment's test runs in the store (finished now or before).
    public var testRecords: [RunRecord]
    /// Runs that failed, with their error.
    public var failures: [String]
    /// Algorithms whose test runs wait for validation runs of other shards.
    public var waiting: [String]
    /// Runs left to processes of other hosts that claimed them.
    public var claimedElsewhere: [String]
    /// What loading and preparation reported.
    public var notes: [String]
    /// Algorithms the protocol does not apply to, with the reason (a model that cannot fold a
    /// user in, under the new-user protocol); nothing of theirs was run.
    public var notApplicable: [String] = []
}

/// Runs an experiment: tunes each algorithm on validation, retrains the best configuration on
/// train (= train minus validation plus validation) and scores it on test, storing one record
/// per run.
///
/// Runs whose record exists are skipped, so an interrupted sweep resumes where it stopped; a
/// record made by another RecBench version or commit is stale and run again (unless
/// `reuseStale`), and run ids cover the dataset's content, so other data means other runs.
/// Before fitting a run the process claims it (``ResultStore/claim(_:)``): processes sharing a
/// folder split the runs, and each waits at the end of a phase for the runs others hold. An
/// algorithm with a single configuration skips validation. With `shard` i/n, a process runs
/// every n-th validation run; any process that finds an algorithm's validation runs complete
/// in the store runs its missing test runs (a last unsharded `run` completes whatever is left).
public enum ExperimentRunner {
    /// Runs `experiment` into `store`.
    ///
    /// - Throws: ``ResultError/notWritable(folder:reason:)`` before anything is loaded or fitted
    ///   when the folder is read-only or full; ``DatasetError`` or ``SplitError`` when the data
    ///   cannot be loaded or split; a failing run is reported through `progress` and in the
    ///   outcome instead.
    public static func run(_ experiment: Experiment, store: ResultStore, options: RunOptions = RunOptions(),
                           progress: @escaping @Sendable (ExperimentProgress) -> Void) throws -> ExperimentOutcome {
        try store.checkWritable()
        let leftovers = store.removeStaleFiles()
        if !leftovers.isEmpty {
            progress(.notice("removed \(leftovers.count) file(s) left in \(store.directory) by killed runs: \(leftovers.prefix(5).joined(separator: ", "))"
                             + (leftovers.count > 5 ? ", …" : "")))
        }
        if options.fresh { try store.removeRecords() }
        var clock = ContinuousClock.now
        let (resolved, name) = try DatasetCatalog.resolve(experiment.dataset)
        let source = resolved.reading(for: experiment.task)
        let loaded = try DatasetLoader.load(source, name: name)
        // Features before the preparation, which keeps the features of the items it keeps.
        let dataset = try experiment.preparation.apply(to: try experiment.itemFeatures.attach(to: loaded, source: source))
        let info = RunRecord.DatasetInfo(name: dataset.name, sha256: try FileDigest.sha256(source.files), users: dataset.userCount,
                                         items: dataset.itemCount, interactions: dataset.interactionCount)
        let loadSeconds = (ContinuousClock.now - clock).seconds
        clock = ContinuousClock.now
        var split = experiment.split == .given ? try Splitter.given(source, name: name)
            : try Splitter.split(dataset, method: experiment.split, seed: experiment.splitSeed)
        if experiment.split == .given { split.itemFeatures = try experiment.itemFeatures.load(items: split.items, dataset: source) }
        let splitSeconds = (ContinuousClock.now - clock).seconds
        let notes = dataset.report.notes + ["\(dataset.name): \(dataset.userCount) users, \(dataset.itemCount) items, \(dataset.interactionCount) interactions"]
        let identity = experiment.identity(datasetSHA256: info.sha256)
        let ratingScale = experiment.task == .rating ? experiment.ratingScale ?? RatingScale(spanning: dataset.interactions.values) : nil
        let context = RunContext(experiment: experiment, identity: identity, store: store, dataset: info, loadSeconds: loadSeconds,
                                 splitSeconds: splitSeconds, ratingScale: ratingScale, environment: RunRecord.Environment.current(), jobs: max(1, options.jobs),
                                 reuseStale: options.reuseStale)
        // Earlier records of this experiment made from other data, split, validation or metrics are not reused: say so.
        if let folder = try? ResultFolder.read(store.directory) {
            for group in folder.groups where group.identity != identity && group.records.contains(where: { $0.experiment == experiment.name }) {
                progress(.notice("not reused: \(group.summary) (another experiment identity than this run's \(identity): "
                                 + "\(Self.differences(group.records[0], experiment: experiment, datasetSHA256: info.sha256)))"))
            }
        }

        // Under the new-user protocol, an algorithm that cannot fold a user in is not applicable: it is not run.
        var notApplicable: [String] = []
        let algorithms = experiment.algorithms.filter { spec in
            guard split.foldIn != nil else { return true }
            let folds = experiment.search.configurations(spec.spaces).allSatisfy { (try? spec.algorithm($0))?.configuration.foldsInUsers ?? false }
            if !folds { notApplicable.append("\(spec.name): not applicable, it cannot fold in a new user without refitting") }
            return folds
        }

        // Validation: every configuration of every swept algorithm, sharded.
        var validationRuns: [PlannedRun] = []
        var configurations: [String: [[String: ParameterValue]]] = [:]
        for spec in algorithms {
            let list = experiment.search.configurations(spec.spaces)
            configurations[spec.name] = list
            guard list.count > 1 else { continue }
            for parameters in list { validationRuns += try context.plan(.validation, spec: spec, parameters: parameters) }
        }
        let mine = validationRuns.enumerated().filter { $0.offset % options.shard.count == options.shard.index - 1 }.map(\.element)
        var failures: [String] = []
        var elsewhere: [String] = []
        if !mine.isEmpty {
            clock = ContinuousClock.now
            let validation = try Splitter.validation(of: split, method: experiment.validation, seed: experiment.validationSeed)
            let validationSplitSeconds = (ContinuousClock.now - clock).seconds + splitSeconds
            let phase = context.execute(mine, on: validation, splitSeconds: validationSplitSeconds, notes: notes, progress: progress)
            failures += phase.failures
            elsewhere += phase.elsewhere
        }

        // Test: the best configuration of each algorithm whose validation is complete.
        var testRuns: [PlannedRun] = []
        var waiting: [String] = []
        for spec in algorithms {
            let list = configurations[spec.name]!
            var best = list[0]
            if list.count > 1 {
                // Best in the selection metric's direction; the first configuration wins ties.
                let direction = experiment.selection.direction
                var bestScore = direction.worst
                var complete = true
                for parameters in list {
                    let runs = try context.plan(.validation, spec: spec, parameters: parameters)
                    let scores = runs.compactMap { context.usableRecord($0.id)?.mean(experiment.selection.name) }
                    if scores.count < runs.count { complete = false; break }
                    let mean = scores.reduce(0, +) / Double(scores.count)
                    if direction.isBetter(mean, than: bestScore) { bestScore = mean; best = parameters }
                }
                if !complete { waiting.append(spec.name); continue }
            }
            testRuns += try context.plan(.test, spec: spec, parameters: best)
        }
        let phase = context.execute(testRuns, on: split, splitSeconds: splitSeconds, notes: notes, progress: progress)
        failures += phase.failures
        elsewhere += phase.elsewhere
        let testIDs = Set(testRuns.map(\.id))
        let testRecords = testIDs.sorted().compactMap { context.usableRecord($0) }
        return ExperimentOutcome(identity: identity, testRecords: testRecords, failures: failures, waiting: waiting, claimedElsewhere: elsewhere,
                                 notes: notes, notApplicable: notApplicable)
    }

    /// Plans `experiment`'s sweep without loading data or fitting: builds every configuration
    /// of every algorithm and validates it as `fit` would.
    ///
    /// - Returns: each algorithm's name with its number of configurations.
    /// - Throws: ``ConfigurationError`` for a configuration out of its limits.
    /// - Complexity: O(configurations).
    public static func check(_ experiment: Experiment) throws -> [(algorithm: String, configurations: Int)] {
        try experiment.algorithms.map { spec in
            let configurations = experiment.search.configurations(spec.spaces)
            for parameters in configurations { try spec.algorithm(parameters).validate() }
            return (spec.name, configurations.count)
        }
    }

    /// The experiment identity `experiment`'s records get (``Experiment/identity(datasetSHA256:)``),
    /// from the SHA-256 of its dataset's source files as they are now.
    ///
    /// - Throws: ``DatasetError`` when the dataset cannot be found or read.
    public static func identity(of experiment: Experiment) throws -> String {
        let (source, _) = try DatasetCatalog.resolve(experiment.dataset)
        return experiment.identity(datasetSHA256: try FileDigest.sha256(source.files))
    }

    /// What differs between `record`'s experiment and `experiment` on the data with `datasetSHA256`.
    package static func differences(_ record: RunRecord, experiment: Experiment, datasetSHA256: String) -> String {
        var parts: [String] = []
        if record.dataset.sha256 != datasetSHA256 { parts.append("other data (sha256 \(record.dataset.sha256.prefix(12)), now \(datasetSHA256.prefix(12)))") }
        if record.preparation != experiment.preparation { parts.append("another preparation") }
        if record.split != experiment.split || record.splitSeed != experiment.splitSeed {
            parts.append("another split (\(record.split.description) seed \(record.splitSeed), now \(experiment.split.description) seed \(experiment.splitSeed))")
        }
        if record.metrics.map(\.metric) != experiment.metrics.map(\.name) || record.selection != experiment.selection.name { parts.append("other metrics") }
        if record.identity == nil { parts.append("a format-1 record, made before experiment identities") }
        return parts.isEmpty ? "another validation rule or bootstrap" : parts.joined(separator: ", ")
    }
}

/// What every run of one invocation shares.
package struct RunContext: Sendable {
    package let experiment: Experiment
    package let identity: String
    package let store: ResultStore
    package let dataset: RunRecord.DatasetInfo
    package let loadSeconds: Double
    package let splitSeconds: Double
    /// On a rating task, the scale predictions are clipped to (the experiment's, or the data's).
    package let ratingScale: RatingScale?
    package let environment: RunRecord.Environment
    package let jobs: Int
    package let reuseStale: Bool

    /// What one phase left undone.
    package struct PhaseResult {
        package var failures: [String] = []
        /// Runs claimed by processes of other hosts (not waited for).
        package var elsewhere: [String] = []
    }

    /// Run `id`'s record if it can be used: finished by this version, or stale and `reuseStale`.
    package func usableRecord(_ id: String) -> RunRecord? {
        switch store.status(of: id, identity: identity, environment: environment) {
        case .finished(let record): return record
        case .stale(let record, _): return reuseStale ? record : nil
        case .missing, .unreadable: return nil
        }
    }

    /// The runs of one configuration, one per fit seed.
    ///
    /// - Throws: ``ConfigurationError`` (experiment files check every value first, so only a
    ///   spec built in code can fail here).
    package func plan(_ phase: RunPhase, spec: AlgorithmSpec, parameters: [String: ParameterValue]) throws(ConfigurationError) -> [PlannedRun] {
        let algorithm = try spec.algorithm(parameters)
        return experiment.seeds.map { seed in
            PlannedRun(id: RunRecord.identifier(identity: identity, phase: phase, type: algorithm.typeName, parameters: algorithm.nonDefaultParameters,
                                                name: spec.name, seed: seed),
                       phase: phase, spec: spec, parameters: parameters, algorithm: algorithm, seed: seed)
        }
    }

    /// Runs those of `runs` without a usable record, `jobs` at a time, each after claiming it;
    /// then waits for the runs that processes of this host claimed and runs those they gave up.
    package func execute(_ runs: [PlannedRun], on split: Split, splitSeconds: Double, notes: [String],
                 progress: @escaping @Sendable (ExperimentProgress) -> Void) -> PhaseResult {
        guard let phase = runs.first?.phase else { return PhaseResult() }
        var planned: [PlannedRun] = []
        var stale: [String] = [], reused: [String] = []
        for run in runs {
            let name = "\(run.spec.name) \(run.algorithm.label) seed \(run.seed)"
            switch store.status(of: run.id, identity: identity, environment: environment) {
            case .finished: continue
            case .missing: planned.append(run)
            case .unreadable(let reason):
                progress(.notice("\(reason); running \(name) (\(phase.rawValue)) again"))
                planned.append(run)
            case .stale(_, let reason):
                if reuseStale { reused.append("\(run.id) (\(name)): \(reason)") } else { stale.append("\(run.id) (\(name)): \(reason)"); planned.append(run) }
            }
        }
        let pending = planned
        let list = { (items: [String]) in items.prefix(5).joined(separator: "; ") + (items.count > 5 ? "; …" : "") }
        if !stale.isEmpty {
            progress(.notice("\(stale.count) finished \(phase.rawValue) run(s) are stale and run again (--reuse-stale keeps them): \(list(stale))"))
        }
        if !reused.isEmpty { progress(.notice("reusing \(reused.count) stale \(phase.rawValue) run(s), as asked: \(list(reused))")) }
        progress(.planned(phase: phase, pending: pending.count, finished: runs.count - pending.count, notes: notes))
        let done = Atomic<Int>(0), next = Atomic<Int>(0)
        let failures = Mutex<[String]>([]), deferred = Mutex<[PlannedRun]>([])
        let workers = min(jobs, max(pending.count, 1))
        // Claims `run`, fits and stores it; returns the holder when another process has it.
        let perform: @Sendable (PlannedRun, Int?) -> ResultStore.ClaimHolder? = { run, threads in
            do {
                if case .held(let holder) = try self.store.claim(run.id) { return holder }
                defer { self.store.release(run.id) }
                // Finished by another process between the plan and the claim.
                if self.usableRecord(run.id) != nil { return nil }
                let record = try self.execute(run, on: split, splitSeconds: splitSeconds, threads: threads)
                try self.store.write(record)
                let count = done.wrappingAdd(1, ordering: .relaxed).newValue
                progress(.finished(run: run, record: record, done: count, pending: pending.count))
            } catch {
                let message = "\(run.spec.name) \(run.algorithm.label) seed \(run.seed) (\(run.phase.rawValue)): \(error)"
                failures.withLock { $0.append(message) }
                progress(.failed(run: run, error: message))
            }
            return nil
        }
        let body: @Sendable (Int) -> Void = { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < pending.count else { return }
                let run = pending[index]
                if perform(run, workers > 1 ? 1 : nil) != nil { deferred.withLock { $0.append(run) } }
            }
        }
        if workers == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: body) }

        // Runs other processes claimed: wait for those of this host (running any they give up),
        // leave those of other hosts to them.
        var result = PhaseResult()
        var waiting = deferred.withLock { $0 }
        var announced = false
        while !waiting.isEmpty {
            var still: [PlannedRun] = []
            var holders: Set<String> = []
            for run in waiting where usableRecord(run.id) == nil {
                guard let holder = perform(run, nil) else { continue }
                if holder.isLocal || holder.pid == nil {
                    still.append(run)
                    holders.insert(holder.description)
                } else {
                    result.elsewhere.append("\(run.spec.name) \(run.algorithm.label) seed \(run.seed) (\(run.phase.rawValue)), claimed by \(holder)")
                }
            }
            waiting = still
            if !waiting.isEmpty {
                if !announced {
                    progress(.notice("waiting for \(waiting.count) \(phase.rawValue) run(s) claimed by \(holders.sorted().joined(separator: ", "))"))
                    announced = true
                }
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
        result.failures = failures.withLock { $0 }
        return result
    }

    /// Fits and scores one run.
    package func execute(_ run: PlannedRun, on split: Split, splitSeconds: Double, threads: Int?) throws -> RunRecord {
        let ranks = experiment.metrics.contains { $0.definition.needs != .predictedRatings }
        let threshold = experiment.task == .rating && ranks ? experiment.relevanceThreshold ?? ratingScale?.defaultRelevanceThreshold : nil
        let evaluator = Evaluator(EvaluationConfiguration(metrics: experiment.metrics, bootstrapResamples: experiment.bootstrapResamples,
                                                          bootstrapSeed: run.seed, threads: threads ?? Parallel.defaultThreads,
                                                          ratingScale: ratingScale, relevanceThreshold: threshold,
                                                          buckets: run.phase == .test ? experiment.buckets : nil))
        let outcome = try Benchmark.fitAndEvaluate(run.algorithm, on: split, seed: run.seed, threads: threads, evaluator: evaluator)
        let report = outcome.report
        let selection = experiment.selection.name
        return RunRecord(
            id: run.id, identity: identity, experiment: experiment.name, phase: run.phase, dataset: dataset, preparation: experiment.preparation,
            split: experiment.split, splitSeed: experiment.splitSeed,
            validation: run.phase == .validation ? experiment.validation : nil,
            validationSeed: run.phase == .validation ? experiment.validationSeed : nil,
            algorithmName: run.spec.name, algorithm: run.algorithm, label: run.algorithm.label, parameters: run.parameters, seed: run.seed,
            evaluatedUsers: report.evaluatedUsers, metrics: report.summaries, selection: selection,
            perUser: run.phase == .test ? report.perUser[selection] : nil, users: run.phase == .test ? report.users : nil,
            timings: .init(load: loadSeconds, split: splitSeconds, fit: outcome.fitSeconds, evaluate: outcome.evaluateSeconds),
            environment: environment, fallback: report.fallback, buckets: report.buckets)
    }
}
