// RecBench: the whole library in one import. Each part is its own module with one-way
// dependencies (see README, "Modules"); a client may import just the parts it uses.
@_exported import RecBenchCore
@_exported import RecBenchSplits
@_exported import RecBenchMetrics
@_exported import RecBenchAlgorithms
@_exported import RecBenchEvaluation
@_exported import RecBenchExperiments
@_exported import RecBenchReporting
@_exported import RecBenchLab
@_exported import RecBenchBenchmarks
