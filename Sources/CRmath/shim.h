#ifndef SURVEYKIT_CRMATH_SHIM_H
#define SURVEYKIT_CRMATH_SHIM_H
/* R's standalone math library (Debian r-mathlib): t, F, chi-square, normal and beta
   distributions computed exactly as R computes them. */
#define MATHLIB_STANDALONE 1
#include <Rmath.h>
#endif
