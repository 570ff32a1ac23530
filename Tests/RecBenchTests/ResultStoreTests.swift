#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization
import Testing
@testable import RecBench

/// A generated implicit-feedback file: 60 users, 40 items, 12 items per user (a fixed pattern).
private func writeTinyData(in folder: TemporaryFolder, dropping dropped: Int? = nil) -> String {
    var lines: [String] = []
    for user in 0..<60 {
        for k in 0..<12 { lines.append("u\(user)\ti\((user * 7 + k * 3 + k * k) % 40)\t1") }
    }
    if let dropped { lines.remove(at: dropped) }
    return folder.write("data/events.tsv", lines.joined(separator: "\n") + "\n")
}

/// A small sweep on the generated file: two validation runs and two test runs.
private func tinyExperiment(data: String, splitSeed: Int = 3, name: String = "tiny") throws -> Experiment {
    try Experiment.parse("""
    name = "\(name)"
    [dataset]
    name = "\(data)"
    [split]
    method = "leave-one-out"
    seed = \(splitSeed)
    [evaluation]
    metrics = ["NDCG", "R"]
    cutoffs = [5]
    select = "NDCG@5"
    bootstrap = 10
    [[algorithms]]
    name = "Popularity"
    type = "popularity"
    [[algorithms]]
    name = "KNN"
    type = "item-knn"
    neighbors = [5, 10]
    """, file: "tiny.toml")
}

/// Runs `experiment` into `folder`, returning the outcome and the ids of the runs fitted (in order).
private func run(_ experiment: Experiment, in folder: String, options: RunOptions = RunOptions(),
                 onEvent: @escaping @Sendable (ExperimentProgress) -> Void = { _ in }) throws -> (ExperimentOutcome, fitted: [String], notices: [String]) {
    let fitted = Mutex<[String]>([]), notices = Mutex<[String]>([])
    let outcome = try ExperimentRunner.run(experiment, store: ResultStore(directory: folder), options: options) { event in
        if case .finished(let run, _, _, _) = event { fitted.withLock { $0.append(run.id) } }
        if case .notice(let text) = event { notices.withLock { $0.append(text) } }
        onEvent(event)
    }
    return (outcome, fitted.withLock { $0 }, notices.withLock { $0 })
}

@Suite("Results never mix experiments")
struct ExperimentIdentityTests {
    @Test func aLeaderboardAfterASplitSeedChangeRanksOnlyTheNewSplit() throws {
        let scratch = TemporaryFolder(), data = writeTinyData(in: scratch)
        let folder = scratch.path + "/results"
        let (old, _, _) = try run(tinyExperiment(data: data, splitSeed: 3), in: folder)
        // The file's split seed changes; the sweep runs again into the same folder, without --fresh.
        let (new, _, notices) = try run(tinyExperiment(data: data, splitSeed: 4), in: folder)
        #expect(old.identity != new.identity)
        #expect(notices.contains { $0.hasPrefix("not reused: \(old.identity)") && $0.contains("another split") }, "\(notices)")
        let records = try ResultStore.records(in: folder)
        let leaderboard = Leaderboard(records: records)
        // One seed per row (the old split's runs are not averaged in), the new split's figures.
        #expect(leaderboard.identity == new.identity)
        #expect(leaderboard.rows.map(\.seeds) == [[1], [1]])
        let alone = TemporaryFolder()
        _ = try run(tinyExperiment(data: data, splitSeed: 4), in: alone.path)
        #expect(leaderboard.rows.map(\.metrics) == Leaderboard(records: try ResultStore.records(in: alone.path)).rows.map(\.metrics))
        // The folder's other identity is stale, and can still be asked for.
        let (chosen, stale) = try ResultFolder.read(folder).select()
        #expect(chosen?.identity == new.identity && stale.map(\.identity) == [old.identity])
        let (asked, _) = try ResultFolder.read(folder).select(identity: String(old.identity.prefix(6)))
        #expect(asked?.records.allSatisfy { $0.splitSeed == 3 } == true)
        #expect(throws: ResultError.self) { try ResultFolder.read(folder).select(identity: "ffffffff") }
    }

    @Test func aRecordThatNoLongerDecodesIsReportedByName() throws {
        let scratch = TemporaryFolder(), data = writeTinyData(in: scratch)
        let folder = scratch.path + "/results"
        _ = try run(tinyExperiment(data: data), in: folder)
        let records = try ResultStore.records(in: folder)
        let broken = folder + "/" + records[0].id + ".json", newer = folder + "/" + records[1].id + ".json"
        try Data("{\"format\": 1, \"id\": ".utf8).write(to: URL(fileURLWithPath: broken))
        var text = try String(contentsOfFile: newer, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"format\" : \(RunRecord.currentFormat)", with: "\"format\" : 9")
        try text.write(toFile: newer, atomically: true, encoding: .utf8)
        let contents = try ResultFolder.read(folder)
        #expect(contents.records.count == records.count - 2)
        #expect(contents.unreadable.map(\.path) == [broken, newer].sorted())
        #expect(contents.unreadable.first { $0.path == newer }?.reason.contains("record format 9") == true)
        #expect(throws: ResultError.self) { try ResultStore.records(in: folder) }
        // Resuming says so and runs them again.
        let (_, fitted, notices) = try run(tinyExperiment(data: data), in: folder)
        #expect(Set(fitted) == [records[0].id, records[1].id])
        #expect(notices.filter { $0.contains("is not a readable run record") }.count == 2, "\(notices)")
    }

    @Test func resumingRunsAgainWhatAnotherVersionMadeUnlessAskedToReuseIt() throws {
        let scratch = TemporaryFolder(), data = writeTinyData(in: scratch)
        let folder = scratch.path + "/results"
        let (_, first, _) = try run(tinyExperiment(data: data), in: folder)
        let store = try ResultStore(directory: folder)
        func age(to version: String) throws {
            for var record in try ResultStore.records(in: folder) {
                record.environment.version = version
                try store.write(record)
            }
        }
        try age(to: "0.0.1")
        let (_, again, notices) = try run(tinyExperiment(data: data), in: folder)
        #expect(Set(again) == Set(first))
        #expect(notices.contains { $0.contains("are stale and run again") && $0.contains("made by RecBench 0.0.1") }, "\(notices)")
        try age(to: "0.0.2")
        let (_, reused, reuseNotices) = try run(tinyExperiment(data: data), in: folder, options: RunOptions(reuseStale: true))
        #expect(reused.isEmpty)
        #expect(reuseNotices.contains { $0.hasPrefix("reusing") })
    }

    @Test func runIdsCoverTheDatasetContentNotOnlyItsName() throws {
        let scratch = TemporaryFolder(), data = writeTinyData(in: scratch)
        let folder = scratch.path + "/results"
        let (before, first, _) = try run(tinyExperiment(data: data), in: folder)
        // The same file name, one line less.
        _ = writeTinyData(in: scratch, dropping: 100)
        let (after, again, notices) = try run(tinyExperiment(data: data), in: folder)
        #expect(before.identity != after.identity)
        #expect(again.count == first.count && Set(again).isDisjoint(with: first))
        #expect(notices.contains { $0.contains("other data") }, "\(notices)")
        #expect(try ExperimentRunner.identity(of: tinyExperiment(data: data)) == after.identity)
    }

    @Test func formatOneRecordsOfTheCommittedResultsStillMakeTheirLeaderboard() throws {
        let folder = DatasetCatalog.repositoryRoot + "/results/sweep-lastfm"
        let contents = try ResultFolder.read(folder)
        #expect(contents.unreadable.isEmpty)
        #expect(contents.groups.count == 1 && contents.groups[0].identity.hasPrefix("v1-"))
        let committed = try JSONDecoder().decode(Leaderboard.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/leaderboard.json")))
        let now = Leaderboard(records: contents.records)
        #expect(now.rows.map(\.algorithm) == committed.rows.map(\.algorithm))
        #expect(now.rows.map(\.metrics) == committed.rows.map(\.metrics))
        // A leaderboard.json written before identities has none; one written since has the folder's.
        #expect((committed.identity == nil || committed.identity == contents.groups[0].identity) && now.identity == contents.groups[0].identity)
    }
}

@Suite("Results never lose data")
struct ResultSafetyTests {
    @Test func unsafeExperimentNamesAreRefusedNamingTheKey() throws {
        let data = writeTinyData(in: TemporaryFolder())
        for name in ["..", ".", ".hidden"] {
            do {
                _ = try ResultStore.defaultFolder(for: tinyExperiment(data: data, name: name), file: "x.toml")
                Issue.record("no error for \(name)")
            } catch let error as ExperimentError {
                guard case .invalidValue(let file, let key, _) = error else { Issue.record("\(error)"); continue }
                #expect(file == "x.toml" && key == "name")
            }
        }
        #expect(try ResultStore.defaultFolder(for: tinyExperiment(data: data, name: "a.b-c_d"), file: "x.toml") == "results/a.b-c_d")
    }

    @Test func aReadOnlyFolderFailsBeforeTheFirstFit() throws {
        let data = writeTinyData(in: TemporaryFolder())
        let scratch = TemporaryFolder()
        let folder: String
        if geteuid() == 0 {
            #if os(Linux)
            folder = "/proc/self"  // no file can be created here, not even by root
            #else
            return
            #endif
        } else {
            folder = scratch.path + "/read-only"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            chmod(folder, 0o555)
        }
        defer { if geteuid() != 0 { chmod(folder, 0o755) } }
        let events = Mutex<Int>(0)
        do {
            _ = try ExperimentRunner.run(tinyExperiment(data: data), store: ResultStore(directory: folder)) { _ in events.withLock { $0 += 1 } }
            Issue.record("no error")
        } catch let error as ResultError {
            guard case .notWritable(let named, _) = error else { Issue.record("\(error)"); return }
            #expect(named == folder)
            #expect(error.description.contains("not writable"))
        }
        #expect(events.withLock { $0 } == 0)
    }

    #if os(Linux)
    @Test func aFullDiskFailsNamingThePath() throws {
        let fd = open("/dev/full", O_WRONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(throws: ResultError.writeFailed(path: "/dev/full", reason: "No space left on device")) {
            try AtomicFile.writeAll(Data(repeating: 1, count: 100_000), to: fd, path: "/dev/full")
        }
    }
    #endif

    @Test func aWriteThatCannotHappenNamesThePathAndLeavesNoTemporaryFile() throws {
        let scratch = TemporaryFolder()
        let target = scratch.path + "/leaderboard.md"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)  // a folder in the way
        do {
            try AtomicFile.write("x", to: target)
            Issue.record("no error")
        } catch {
            guard case .writeFailed(let path, let reason) = error else { Issue.record("\(error)"); return }
            #expect(path == target && !reason.isEmpty)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["leaderboard.md"])
    }

    @Test func filesLeftByKilledRunsAreRemovedWhenARunStarts() throws {
        let scratch = TemporaryFolder(), data = writeTinyData(in: scratch)
        let folder = scratch.path + "/results"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let host = ResultStore.ClaimHolder.current.host
        let old = Date(timeIntervalSinceNow: -600)
        let dead = ".recbench-tmp.999999999.1a.test-x.json", foundation = ".dat.nosync3B9AC9FF.Ab12Cd"
        let young = ".recbench-tmp.999999999.2b.test-y.json", live = ".recbench-tmp.\(getpid()).3c.test-z.json"
        for name in [dead, foundation, young, live] { _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: Data("{".utf8)) }
        for name in [dead, foundation, live] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: folder + "/" + name)
        }
        _ = FileManager.default.createFile(atPath: folder + "/validation-gone.claim", contents: Data("pid 999999999\nhost \(host)\n".utf8))
        let (_, _, notices) = try run(tinyExperiment(data: data), in: folder)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(!left.contains(dead) && !left.contains(foundation) && !left.contains("validation-gone.claim"))
        #expect(left.contains(young) && left.contains(live))
        #expect(notices.contains { $0.hasPrefix("removed 3 file(s)") }, "\(notices)")
        #expect(!left.contains { $0.hasSuffix(".claim") })
    }
}

@Suite("Processes sharing a results folder")
struct ClaimTests {
    @Test func aRunClaimedByALiveProcessIsLeftToItAndWaitedFor() throws {
        let scratch = TemporaryFolder(), data = writeTinyData(in: scratch)
        let reference = scratch.path + "/reference", shared = scratch.path + "/shared"
        _ = try run(tinyExperiment(data: data), in: reference)
        let records = try ResultStore.records(in: reference)
        let claimed = try #require(records.first { $0.phase == .test && $0.algorithmName == "KNN" })
        // The other "process" (this one's pid: alive) holds the KNN test run.
        let store = try ResultStore(directory: shared)
        #expect(try store.claim(claimed.id) == .claimed)
        #expect(try store.claim(claimed.id) == .held(by: .current))
        let (_, fitted, notices) = try run(tinyExperiment(data: data), in: shared) { event in
            // When the runner waits for it, the other process finishes it.
            if case .notice(let text) = event, text.hasPrefix("waiting for 1 test run(s)") {
                try? store.write(claimed)
                store.release(claimed.id)
            }
        }
        #expect(!fitted.contains(claimed.id))
        #expect(Set(fitted) == Set(records.map(\.id)).subtracting([claimed.id]))
        #expect(notices.contains { $0.hasPrefix("waiting for 1 test run(s) claimed by process \(getpid())") }, "\(notices)")
        #expect(try ResultStore.records(in: shared).map(\.id) == records.map(\.id))
    }

    @Test func aClaimOfADeadProcessIsTakenOver() throws {
        let scratch = TemporaryFolder(), data = writeTinyData(in: scratch)
        let reference = scratch.path + "/reference", shared = scratch.path + "/shared"
        _ = try run(tinyExperiment(data: data), in: reference)
        let ids = try ResultStore.records(in: reference).map(\.id)
        let store = try ResultStore(directory: shared)
        let host = ResultStore.ClaimHolder.current.host
        _ = FileManager.default.createFile(atPath: store.claimPath(of: ids[0]), contents: Data("pid 999999999\nhost \(host)\n".utf8))
        #expect(try store.claim(ids[0]) == .claimed)
        store.release(ids[0])
        #expect(!FileManager.default.fileExists(atPath: store.claimPath(of: ids[0])))
        // A claim of another host is never taken over (its process cannot be seen from here).
        _ = FileManager.default.createFile(atPath: store.claimPath(of: ids[1]), contents: Data("pid 999999999\nhost elsewhere\n".utf8))
        #expect(try store.claim(ids[1]) == .held(by: ResultStore.ClaimHolder(pid: 999_999_999, host: "elsewhere")))
    }

    @Test func twoRunnersOnOneFolderFitEachRunOnce() throws {
        let scratch = TemporaryFolder(), data = writeTinyData(in: scratch)
        let folder = scratch.path + "/shared"
        let experiment = try tinyExperiment(data: data)
        let fitted = Mutex<[String]>([]), errors = Mutex<[String]>([])
        let planned = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
        let group = DispatchGroup()
        for index in 0..<2 {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                let waited = Mutex<Bool>(false)
                do {
                    _ = try ExperimentRunner.run(experiment, store: ResultStore(directory: folder)) { event in
                        if case .finished(let run, _, _, _) = event { fitted.withLock { $0.append(run.id) } }
                        // Both runners have planned the validation phase before either fits anything.
                        if case .planned = event, !waited.withLock({ $0 }) {
                            waited.withLock { $0 = true }
                            planned[index].signal()
                            _ = planned[1 - index].wait(timeout: .now() + 300)
                        }
                    }
                } catch {
                    errors.withLock { $0.append("\(error)") }
                }
            }
            thread.start()
        }
        group.wait()
        #expect(errors.withLock { $0 }.isEmpty)
        let records = try ResultStore.records(in: folder)
        #expect(records.count == 4)
        #expect(fitted.withLock { $0 }.sorted() == records.map(\.id).sorted())
    }
}

@Suite("Leaderboard files")
struct LeaderboardFileTests {
    static func leaderboard() throws -> (Leaderboard, [RunRecord]) {
        let scratch = TemporaryFolder(), data = writeTinyData(in: scratch)
        _ = try run(tinyExperiment(data: data), in: scratch.path + "/results")
        let records = try ResultStore.records(in: scratch.path + "/results")
        return (Leaderboard(records: records), records)
    }

    @Test func namesInTheMarkdownAreLiteralText() throws {
        var (board, records) = try Self.leaderboard()
        let hostile = "<img src=x onerror=alert(1)> | *bold* _it_ [link](http://x) `code` & \\ ~~s~~ $x$ #h !\n2"
        board.rows[0].algorithm = hostile
        board.rows[0].label = hostile
        board.experiment = "<b>exp</b>"
        let markdown = board.markdown
        #expect(!markdown.contains("<img") && !markdown.contains("<b>") && markdown.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(markdown.contains("\\*bold\\* \\_it\\_ \\[link\\](http://x) \\`code\\` &amp; \\\\ \\~\\~s\\~\\~ \\$x\\$ \\#h \\! 2"))
        // Every table line keeps its columns: unescaped pipes are the cell borders only.
        let tableLines = markdown.split(separator: "\n").filter { $0.hasPrefix("|") }
        let borders = { (line: Substring) in
            var count = 0, escaped = false
            for character in line {
                if character == "|" && !escaped { count += 1 }
                escaped = character == "\\" && !escaped
            }
            return count
        }
        #expect(Set(tableLines.map(borders)).count == 1)
        _ = records
    }

    @Test func pValuesReadTheSameInTheMarkdownAndTheHTML() throws {
        var (board, records) = try Self.leaderboard()
        board.rows[1].pValue = 0.00002
        let html = LeaderboardPage.html(board, records: records)
        #expect(html.contains("<td>&lt;0.0001</td>") && !html.contains("<td>0.0000</td>"))
        #expect(board.markdown.contains("| <0.0001 |"))          // RecBench's own text: readable on a terminal
        board.rows[1].pValue = 0.0123
        #expect(LeaderboardPage.html(board, records: records).contains("<td>0.0123</td>") && board.markdown.contains("| 0.0123 |"))
        #expect(Leaderboard.formatPValue(0.00002) == "<0.0001" && Leaderboard.formatPValue(0.5) == "0.5000")
    }
}

@Suite("Durable records")
struct DurableRecordTests {
    /// `record` rewritten in the format-2 layout: the algorithm as `{"case": {"_0": fields}}` and
    /// each swept value as `{"kind": {"_0": value}}`, under an id of the old kind.
    static func legacyJSON(_ record: RunRecord, algorithm: [String: Any], oldID: String) throws -> Data {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder.records.encode(record)) as! [String: Any]
        object["format"] = 2
        object["id"] = oldID
        object["algorithm"] = algorithm
        var parameters: [String: Any] = [:]
        for (name, value) in record.parameters {
            switch value {
            case .integer(let i): parameters[name] = ["integer": ["_0": i]]
            case .double(let d): parameters[name] = ["double": ["_0": d]]
            case .string(let s): parameters[name] = ["string": ["_0": s]]
            case .integers(let l): parameters[name] = ["integers": ["_0": l]]
            case .boolean: Issue.record("no booleans in format 2")
            }
        }
        object["parameters"] = parameters
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    @Test func recordsWriteTheAlgorithmAsTypeAndParametersWithoutSynthesisedLayout() throws {
        let scratch = TemporaryFolder(), data = writeTinyData(in: scratch)
        let folder = scratch.path + "/results"
        _ = try run(tinyExperiment(data: data), in: folder)
        for record in try ResultStore.records(in: folder) {
            let text = try String(contentsOfFile: folder + "/" + record.id + ".json", encoding: .utf8)
            #expect(!text.contains("\"_0\""))
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
            let algorithm = object["algorithm"] as! [String: Any]
            #expect(algorithm["type"] as? String == record.algorithm.typeName)
            #expect((algorithm["parameters"] as? [String: Any])?.keys.sorted() == record.algorithm.parameters.keys.sorted())
            #expect(record.id == record.canonicalIdentifier)
        }
    }

    @Test func migrateRewritesLegacyRecordsUnderTheirNewIdsWithTheSameValues() throws {
        let scratch = TemporaryFolder(), data = writeTinyData(in: scratch)
        let folder = scratch.path + "/results"
        _ = try run(tinyExperiment(data: data), in: folder)
        let records = try ResultStore.records(in: folder)
        let knn = try #require(records.first { $0.algorithmName == "KNN" })
        guard case .itemKNN(let c) = knn.algorithm else { Issue.record("not item-kNN"); return }
        let legacyAlgorithm: [String: Any] = ["itemKNN": ["_0": ["neighbors": c.neighbors, "weighting": ["none": [String: Any]()],
                                                                 "shrinkage": c.shrinkage, "similarity": "cosine"]]]
        try FileManager.default.removeItem(atPath: folder + "/" + knn.id + ".json")
        let oldPath = folder + "/" + knn.phase.rawValue + "-00000000000000aa.json"
        try Self.legacyJSON(knn, algorithm: legacyAlgorithm, oldID: knn.phase.rawValue + "-00000000000000aa")
            .write(to: URL(fileURLWithPath: oldPath))
        // The legacy record reads as the same run.
        let legacy = try #require(try ResultFolder.read(folder).records.first { $0.id.hasSuffix("00000000000000aa") })
        #expect(legacy.algorithm == knn.algorithm && legacy.parameters == knn.parameters && legacy.metrics == knn.metrics)

        let migration = try ResultStore.migrate(folder)
        #expect(migration.rewritten.map(\.to) == [knn.id] && migration.unchanged == records.count - 1)
        #expect(!FileManager.default.fileExists(atPath: oldPath))
        #expect(try ResultStore.records(in: folder) == records)
        // Running it again changes nothing.
        #expect(try ResultStore.migrate(folder).rewritten.isEmpty)
    }

    @Test func aRecordThatDoesNotDecodeStopsTheMigrationBeforeAnythingIsWritten() throws {
        let scratch = TemporaryFolder()
        let folder = scratch.path + "/results"
        let broken = scratch.write("results/test-0000000000000001.json", "{\"format\": 2, \"id\": ")
        #expect(throws: ResultError.self) { try ResultStore.migrate(folder) }
        #expect(FileManager.default.fileExists(atPath: broken))
    }

    @Test func runIdsLeaveOutParametersAtTheirDefault() throws {
        func id(_ parameters: [String: ParameterValue]) throws -> String {
            let algorithm = try Algorithm(type: "als", parameters: parameters)
            return RunRecord.identifier(identity: "x", phase: .test, type: algorithm.typeName, parameters: algorithm.nonDefaultParameters,
                                        name: "ALS", seed: 1)
        }
        #expect(try id([:]) == id(["factors": .integer(64), "compute_loss": .boolean(false), "solver": .string("cg")]))
        #expect(try id(["factors": .integer(32)]) != id([:]))
        #expect(try id(["regularization": .integer(1)]) == id(["regularization": .double(1)]))
    }
}
