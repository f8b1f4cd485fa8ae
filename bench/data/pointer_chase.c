/* Walk a linked structure stored as an index array: every step waits for the last load. */
#ifndef N
#define N 16777216
#endif
static int next[N];
static double val[N];

double chase(void) {
    double s = 0.0;
    int p = 0;
    for (int i = 0; i < N; i++) {
        s += val[p];
        p = next[p];
    }
    return s;
}
