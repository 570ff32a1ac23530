import Dispatch
import Foundation
import RecBenchKernels
import Synchronization

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
}

/// How a sweep is run.
public struct RunOptions: Sendable {
    /// Runs at once (each then fits on one thread; results do not change).
    public var jobs: Int
    /// This process runs validation runs whose index ≡ `shard.index − 1` (mod `shard.count`).
    public var shard: (index: Int, count: Int)
    /// Remove the experiment's earlier run records first.
    public var fresh: Bool

    /// Creates the options.
    public init(jobs: Int = 1, shard: (index: Int, count: Int) = (1, 1), fresh: Bool = false) {
        self.jobs = jobs
        self.shard = shard
        self.fresh = fresh
    }
}

/// What a sweep left behind.
public struct ExperimentOutcome: Sendable {
    /// Records of this experiment's test runs in the store (finished now or before).
    public var testRecords: [RunRecord]
    /// Runs that failed, with their error.
    public var failures: [String]
    /// Algorithms whose test runs wait for validation runs of other shards.
    public var waiting: [String]
    /// What loading and preparation reported.
    public var notes: [String]
}

/// Runs an experiment: tunes each algorithm on validation, retrains the best configuration on
/// train (= train minus validation plus validation) and scores it on test, storing one record
/// per run.
///
/// Runs whose record exists are skipped, so an interrupted sweep resumes where it stopped. An
/// algorithm with a single configuration skips validation. With `shard` i/n, a process runs
/// every n-th validation run; any process that finds an algorithm's validation runs complete
/// in the store runs its missing test runs (a last unsharded `run` completes whatever is left).
public enum ExperimentRunner {
    /// Runs `experiment` into `store`.
    ///
    /// - Throws: ``DatasetError`` or ``SplitError`` when the data cannot be loaded or split;
    ///   a failing run is reported through `progress` and in the outcome instead.
    public static func run(_ experiment: Experiment, store: ResultStore, options: RunOptions = RunOptions(),
                           progress: @escaping @Sendable (ExperimentProgress) -> Void) throws -> ExperimentOutcome {
        if options.fresh { try store.removeRecords() }
        var clock = ContinuousClock.now
        let (source, name) = try DatasetCatalog.resolve(experiment.dataset)
        let loaded = try DatasetLoader.load(source, name: name)
        let dataset = try experiment.preparation.apply(to: loaded)
        let info = RunRecord.DatasetInfo(name: dataset.name, sha256: try FileDigest.sha256(source.files), users: dataset.userCount,
                                         items: dataset.itemCount, interactions: dataset.interactionCount)
        let loadSeconds = (ContinuousClock.now - clock).seconds
        clock = ContinuousClock.now
        let split = try Splitter.split(dataset, method: experiment.split, seed: experiment.splitSeed)
        let splitSeconds = (ContinuousClock.now - clock).seconds
        let notes = dataset.report.notes + ["\(dataset.name): \(dataset.userCount) users, \(dataset.itemCount) items, \(dataset.interactionCount) interactions"]
        let context = RunContext(experiment: experiment, store: store, dataset: info, loadSeconds: loadSeconds, splitSeconds: splitSeconds,
                                 environment: RunRecord.Environment.current(), jobs: max(1, options.jobs))

        // Validation: every configuration of every swept algorithm, sharded.
        var validationRuns: [PlannedRun] = []
        var configurations: [String: [[String: ParameterValue]]] = [:]
        for spec in experiment.algorithms {
            let list = experiment.search.configurations(spec.spaces)
            configurations[spec.name] = list
            guard list.count > 1 else { continue }
            for parameters in list { validationRuns += context.plan(.validation, spec: spec, parameters: parameters) }
        }
        let mine = validationRuns.enumerated().filter { $0.offset % options.shard.count == options.shard.index - 1 }.map(\.element)
        var failures: [String] = []
        if !mine.isEmpty {
            clock = ContinuousClock.now
            let validation = try Splitter.validation(of: split, method: experiment.validation, seed: experiment.validationSeed)
            let validationSplitSeconds = (ContinuousClock.now - clock).seconds + splitSeconds
            failures += context.execute(mine, on: validation, splitSeconds: validationSplitSeconds, notes: notes, progress: progress)
        }

        // Test: the best configuration of each algorithm whose validation is complete.
        var testRuns: [PlannedRun] = []
        var waiting: [String] = []
        for spec in experiment.algorithms {
            let list = configurations[spec.name]!
            var best = list[0]
            if list.count > 1 {
                var bestScore = -Double.infinity
                var complete = true
                for parameters in list {
                    let runs = context.plan(.validation, spec: spec, parameters: parameters)
                    let scores = runs.compactMap { try? store.record($0.id).mean(experiment.selection.name) }
                    if scores.count < runs.count { complete = false; break }
                    let mean = scores.reduce(0, +) / Double(scores.count)
                    if mean > bestScore { bestScore = mean; best = parameters }
                }
                if !complete { waiting.append(spec.name); continue }
            }
            testRuns += context.plan(.test, spec: spec, parameters: best)
        }
        failures += context.execute(testRuns, on: split, splitSeconds: splitSeconds, notes: notes, progress: progress)
        let testIDs = Set(testRuns.map(\.id))
        let testRecords = testIDs.sorted().compactMap { try? store.record($0) }
        return ExperimentOutcome(testRecords: testRecords, failures: failures, waiting: waiting, notes: notes)
    }
}

/// What every run of one invocation shares.
struct RunContext: Sendable {
    let experiment: Experiment
    let store: ResultStore
    let dataset: RunRecord.DatasetInfo
    let loadSeconds: Double
    let splitSeconds: Double
    let environment: RunRecord.Environment
    let jobs: Int

    /// The runs of one configuration, one per fit seed.
    func plan(_ phase: RunPhase, spec: AlgorithmSpec, parameters: [String: ParameterValue]) -> [PlannedRun] {
        let algorithm = spec.kind.algorithm(parameters)
        return experiment.seeds.map { seed in
            PlannedRun(id: RunRecord.identifier(experiment: experiment, phase: phase, algorithm: algorithm, name: spec.name, seed: seed),
                       phase: phase, spec: spec, parameters: parameters, algorithm: algorithm, seed: seed)
        }
    }

    /// Runs those of `runs` without a record, `jobs` at a time; returns the failures.
    func execute(_ runs: [PlannedRun], on split: Split, splitSeconds: Double, notes: [String],
                 progress: @escaping @Sendable (ExperimentProgress) -> Void) -> [String] {
        let pending = runs.filter { !store.has($0.id) }
        guard let phase = runs.first?.phase else { return [] }
        progress(.planned(phase: phase, pending: pending.count, finished: runs.count - pending.count, notes: notes))
        let done = Atomic<Int>(0), next = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
        let workers = min(jobs, max(pending.count, 1))
        let body: @Sendable (Int) -> Void = { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < pending.count else { return }
                let run = pending[index]
                do {
                    let record = try self.execute(run, on: split, splitSeconds: splitSeconds, threads: workers > 1 ? 1 : nil)
                    try self.store.write(record)
                    let count = done.wrappingAdd(1, ordering: .relaxed).newValue
                    progress(.finished(run: run, record: record, done: count, pending: pending.count))
                } catch {
                    let message = "\(run.spec.name) \(run.algorithm.label) seed \(run.seed) (\(run.phase.rawValue)): \(error)"
                    failures.withLock { $0.append(message) }
                    progress(.failed(run: run, error: message))
                }
            }
        }
        if workers == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: body) }
        return failures.withLock { $0 }
    }

    /// Fits and scores one run.
    func execute(_ run: PlannedRun, on split: Split, splitSeconds: Double, threads: Int?) throws -> RunRecord {
        let start = ContinuousClock.now
        let model = try run.algorithm.withThreads(threads).fit(split.trainDataset, seed: run.seed)
        let fitSeconds = (ContinuousClock.now - start).seconds
        let evaluator = Evaluator(EvaluationConfiguration(metrics: experiment.metrics, bootstrapResamples: experiment.bootstrapResamples,
                                                          bootstrapSeed: run.seed, threads: threads ?? Parallel.defaultThreads))
        let evaluationStart = ContinuousClock.now
        let report = evaluator.evaluate(model, on: split, name: run.algorithm.label)
        let evaluateSeconds = (ContinuousClock.now - evaluationStart).seconds
        let selection = experiment.selection.name
        return RunRecord(
            id: run.id, experiment: experiment.name, phase: run.phase, dataset: dataset, preparation: experiment.preparation,
            split: experiment.split, splitSeed: experiment.splitSeed,
            validation: run.phase == .validation ? experiment.validation : nil,
            validationSeed: run.phase == .validation ? experiment.validationSeed : nil,
            algorithmName: run.spec.name, algorithm: run.algorithm, label: run.algorithm.label, parameters: run.parameters, seed: run.seed,
            evaluatedUsers: report.evaluatedUsers, metrics: report.summaries, selection: selection,
            perUser: run.phase == .test ? report.perUser[selection] : nil, users: run.phase == .test ? report.users : nil,
            timings: .init(load: loadSeconds, split: splitSeconds, fit: fitSeconds, evaluate: evaluateSeconds),
            environment: environment)
    }
}
