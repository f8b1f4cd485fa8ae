/* A transcendental-heavy map: option prices, several exp/log/sqrt per element. */
#include <math.h>
#ifndef N
#define N 16777216
#endif
static float S[N], K[N], T[N], call[N];

void price(float r, float v) {
    for (int i = 0; i < N; i++) {
        float sq = sqrtf(T[i]);
        float d1 = (logf(S[i] / K[i]) + (r + 0.5f * v * v) * T[i]) / (v * sq);
        float d2 = d1 - v * sq;
        float n1 = 0.5f * erfcf(-d1 * 0.70710678f);
        float n2 = 0.5f * erfcf(-d2 * 0.70710678f);
        call[i] = S[i] * n1 - K[i] * expf(-r * T[i]) * n2;
    }
}
