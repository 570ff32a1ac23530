// CPU feature detection through CPUID and XGETBV. Compiled without any -march flag, so
// it runs on every x86-64 CPU and can report what the rest of the binary needs.
#include "CRecBenchCPU.h"
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static unsigned long long xgetbv0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

static int os_saves_ymm(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (!(c & (1u << 27))) return 0;            // OSXSAVE
    return (xgetbv0() & 0x6) == 0x6;              // XMM and YMM state
}

int recbench_cpu_has_avx2_fma(void) {
    unsigned int a, b, c, d;
    if (!os_saves_ymm()) return 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int fma = (c >> 12) & 1, avx = (c >> 28) & 1;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int avx2 = (b >> 5) & 1, bmi2 = (b >> 8) & 1;
    return fma && avx && avx2 && bmi2;
}

int recbench_cpu_has_avx512(void) {
    unsigned int a, b, c, d;
    if (!recbench_cpu_has_avx2_fma()) return 0;
    if ((xgetbv0() & 0xE6) != 0xE6) return 0;    // opmask, ZMM_Hi256, Hi16_ZMM state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int f = (b >> 16) & 1, dq = (b >> 17) & 1, cd = (b >> 28) & 1, bw = (b >> 30) & 1, vl = (b >> 31) & 1;
    return f && dq && cd && bw && vl;
}

int recbench_cpu_brand(char *buffer, int capacity) {
    unsigned int regs[12];
    if (capacity <= 0) return 0;
    buffer[0] = 0;
    if (__get_cpuid_max(0x80000000, 0) < 0x80000004) return 0;
    for (unsigned int i = 0; i < 3; i++) {
        __get_cpuid(0x80000002 + i, &regs[4 * i], &regs[4 * i + 1], &regs[4 * i + 2], &regs[4 * i + 3]);
    }
    char brand[49];
    memcpy(brand, regs, 48);
    brand[48] = 0;
    const char *start = brand;
    while (*start == ' ') start++;
    int n = (int)strlen(start);
    if (n > capacity - 1) n = capacity - 1;
    memcpy(buffer, start, (size_t)n);
    buffer[n] = 0;
    return n;
}
#else
int recbench_cpu_has_avx2_fma(void) { return 0; }
int recbench_cpu_has_avx512(void) { return 0; }
int recbench_cpu_brand(char *buffer, int capacity) {
    if (capacity > 0) buffer[0] = 0;
    return 0;
}
#endif
