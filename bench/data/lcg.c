/* A linear congruential generator filling an array: the state carries from each draw to the next. */
#ifndef N
#define N 16777216
#endif
static unsigned int out[N];

void fill(unsigned int seed) {
    unsigned int s = seed;
    for (int i = 0; i < N; i++) {
        s = s * 1664525u + 1013904223u;
        out[i] = s;
    }
}
