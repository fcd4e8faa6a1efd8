#ifndef SURVEYKIT_CLIBCSV_SHIM_H
#define SURVEYKIT_CLIBCSV_SHIM_H
#include <csv.h>
#endif
