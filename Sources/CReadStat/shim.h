#ifndef SURVEYKIT_CREADSTAT_SHIM_H
#define SURVEYKIT_CREADSTAT_SHIM_H
/* ReadStat reads SPSS (.sav, .zsav) and Stata (.dta) files: variables, labels, missing values
   and cases through parser callbacks (Debian libreadstat-dev). */
#include <readstat.h>
#endif
