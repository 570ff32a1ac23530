import CRecBenchCPU
import Foundation

// Checked before any vector code runs: this file is compiled for baseline x86-64.
if let problem = CPUCheck.problem() {
    FileHandle.standardError.write(Data((problem + "\n").utf8))
    exit(3)
}
RecBenchCommand.main()
