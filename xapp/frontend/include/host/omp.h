/* xapp: in system mode without a clang resource directory, GCC's own omp.h (beside its builtin
   headers) uses GCC-only attributes (__malloc__ with arguments) that clang refuses; xapp's stub
   declares the same routines. */
#include "../c/omp.h"
