import CRecBenchCPU

/// Compares the vector level this binary was built for with what the CPU offers.
enum CPUCheck {
    /// The level the numeric modules were compiled for.
    ///
    /// This mirrors `KernelConfiguration.builtFor` on purpose: the check must not call into a
    /// module compiled for AVX-512 before it knows the CPU can run it.
    static var builtFor: String {
        #if RECBENCH_BUILT_AVX512
        return "avx512"
        #elseif RECBENCH_BUILT_AVX2
        return "avx2"
        #else
        return "baseline"
        #endif
    }

    /// The best level this CPU and operating system support.
    static var available: String {
        if recbench_cpu_has_avx512() != 0 { return "avx512" }
        if recbench_cpu_has_avx2_fma() != 0 { return "avx2" }
        return "baseline"
    }

    /// The CPU's brand string.
    static var brand: String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = recbench_cpu_brand(&buffer, 64)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A message for the user when the binary cannot run here, else `nil`.
    static func problem() -> String? {
        problem(builtFor: builtFor, available: available, brand: brand)
    }

    /// A message for the user when code built for `builtFor` cannot run on a CPU offering `available`.
    static func problem(builtFor: String, available: String, brand: String) -> String? {
        let order = ["baseline": 0, "avx2": 1, "avx512": 2]
        guard let needed = order[builtFor], let offered = order[available], needed > offered else { return nil }
        return """
        recbench: this binary was built for \(builtFor.uppercased()) vector instructions, but this CPU \
        (\(brand.isEmpty ? "unknown" : brand)) offers only \(available.uppercased()).
        Rebuild it on this machine with `swift build -c release` (the build picks this CPU's level), or build a \
        portable binary with `RECBENCH_VECTOR=\(available) swift build -c release`.
        """
    }
}
