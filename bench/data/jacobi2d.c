/* Jacobi relaxation: TSTEPS sweeps of a 5-point stencil over an N x N grid. */
#ifndef N
#define N 4096
#endif
#ifndef TSTEPS
#define TSTEPS 100
#endif
static double A[N][N], B[N][N];

void jacobi(void) {
    for (int t = 0; t < TSTEPS; t++) {
        for (int i = 1; i < N - 1; i++)
            for (int j = 1; j < N - 1; j++)
                B[i][j] = 0.2 * (A[i][j] + A[i][j - 1] + A[i][j + 1] + A[i - 1][j] + A[i + 1][j]);
        for (int i = 1; i < N - 1; i++)
            for (int j = 1; j < N - 1; j++)
                A[i][j] = B[i][j];
    }
}
