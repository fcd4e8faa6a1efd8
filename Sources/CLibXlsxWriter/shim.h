#ifndef SURVEYKIT_CLIBXLSXWRITER_SHIM_H
#define SURVEYKIT_CLIBXLSXWRITER_SHIM_H
/* libxlsxwriter writes the council workbook (XLSX): cells, formats, native charts, conditional
   formats, print setup (Debian libxlsxwriter-dev). */
#include <xlsxwriter.h>
#endif
