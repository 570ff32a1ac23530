import ArgumentParser
import Foundation
import RecBench

/// `recbench download`: fetches, verifies and unpacks a public dataset.
struct Download: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Download a public dataset, verify its checksum and unpack it.",
        discussion: "Without internet, pass the archive you have with --archive.")

    @Argument(help: "The dataset: \(DatasetCatalog.entries.filter { $0.url != nil }.map(\.name).joined(separator: ", ")).")
    var name: String

    @Option(help: "A local archive (path or file:// URL) to use instead of downloading.")
    var archive: String?

    @Option(help: "The expected SHA-256 of the archive (overrides the catalogue's checksum).")
    var sha256: String?

    @Option(help: "Parent folder of the unpacked dataset (default $RECBENCH_DATASETS or ~/.cache/recbench/datasets).")
    var dir: String?

    func run() throws {
        try reportingErrors {
            let expected = sha256.map { Downloader.Checksum(algorithm: .sha256, hex: $0) }
            let result = try Downloader.fetch(name, from: archive, expected: expected, into: dir ?? Downloader.defaultDirectory)
            print("unpacked \(name) into \(result.directory)")
            print("sha256 \(result.sha256)" + (result.verified ? " (verified)" : " (no published checksum to verify against; compare it yourself)"))
        }
    }
}

/// `recbench datasets`: lists the named datasets and where each was found.
struct Datasets: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the datasets known by name and where they are.")

    func run() throws {
        for entry in DatasetCatalog.entries {
            let found = DatasetCatalog.searchPaths(for: entry.name).first(where: DatasetCatalog.isDirectory)
            print("\(entry.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(entry.title)")
            print("    licence: \(entry.licence)")
            print("    " + (found.map { "found at \($0)" } ?? (entry.url.map { "not here; recbench download \(entry.name)  (\($0))" } ?? "not here")))
        }
    }
}
