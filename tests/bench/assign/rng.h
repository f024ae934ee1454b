/*
 * rng.h - the benchmarks' seeded random numbers: xoshiro256** seeded
 * through splitmix64, so a seed gives the same instance on every machine.
 * Small enough to live in the header (static inline), shared by the
 * instance generator (gen.c) and the slot benchmark (bench_slots.c).
 */
#ifndef FSD_BENCH_RNG_H
#define FSD_BENCH_RNG_H

#include <stdint.h>

struct rng {
    uint64_t s[4];
};

static inline uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static inline void rng_seed(struct rng *r, uint64_t seed)
{
    for (int k = 0; k < 4; k++)
        r->s[k] = splitmix64(&seed);
}

static inline uint64_t rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(struct rng *r) /* xoshiro256** */
{
    uint64_t *s = r->s, out = rng_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl(s[3], 45);
    return out;
}

static inline double unit(struct rng *r) /* [0, 1) */
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static inline int below(struct rng *r, int n) /* [0, n) */
{
    return (int)(unit(r) * n);
}

/* An index drawn with probabilities p[0..n-1] (summing to 1). */
static inline int pick(struct rng *r, const double *p, int n)
{
    double u = unit(r);

    for (int i = 0; i < n - 1; i++)
        if ((u -= p[i]) < 0)
            return i;
    return n - 1;
}

#endif
