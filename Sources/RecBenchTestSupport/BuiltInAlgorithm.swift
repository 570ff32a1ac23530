import RecBench

extension Algorithm {
    /// Runs one check of the conformance suite on this built-in algorithm's configuration.
    ///
    /// - Parameters:
    ///   - check: the check to run.
    ///   - ranking: what the algorithm's ranking promises on the block fixture.
    /// - Throws: ``ConformanceFailure`` when the check fails.
    public func conform(_ check: ConformanceCheck, ranking: ConformanceRanking = .personalised) throws {
        func run<C: RecommenderConfiguration>(_ configuration: C) throws {
            try ConformanceSuite(configuration, ranking: ranking).run(check)
        }
        try run(configuration)
    }
}
