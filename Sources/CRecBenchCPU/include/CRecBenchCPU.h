#ifndef CRECBENCH_CPU_H
#define CRECBENCH_CPU_H

/// Vector instruction levels that the CPU and the operating system both support.
/// Each returns 1 when usable, 0 otherwise; always 0 on non-x86 machines.
int recbench_cpu_has_avx2_fma(void);
int recbench_cpu_has_avx512(void);

/// Writes the CPU brand string (at most `capacity - 1` bytes, NUL-terminated) and returns its length.
int recbench_cpu_brand(char *buffer, int capacity);

#endif
