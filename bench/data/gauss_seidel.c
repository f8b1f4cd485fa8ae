/* Gauss-Seidel sweeps in place: each point reads neighbours updated in the same sweep. */
#ifndef N
#define N 4096
#endif
#ifndef TSTEPS
#define TSTEPS 20
#endif
static double A[N][N];

void gauss_seidel(void) {
    for (int t = 0; t < TSTEPS; t++)
        for (int i = 1; i < N - 1; i++)
            for (int j = 1; j < N - 1; j++)
                A[i][j] = 0.2 * (A[i][j] + A[i][j - 1] + A[i][j + 1] + A[i - 1][j] + A[i + 1][j]);
}
