# Writes the SPSS (.sav) and Stata (.dta) copies of the synthetic citizen survey and the small test
# fixtures of SurveyKit's ReadStat reader. The data are synthetic (see samples/README.md).
#
#   Rscript samples/make_sav.R        # from the package root; needs R with haven (2.5.1) and yaml
#
# Outputs (all reproducible: the input is the committed CSV and codebook, nothing is random):
#   samples/citizen-survey-2019.sav                  the bundled sample with its codebook's labels
#   Tests/SurveyKitTests/Fixtures/sav/small.csv      the first 20 rows, with two defects (below)
#   Tests/SurveyKitTests/Fixtures/sav/small.sav      the same 20 rows as SPSS
#   Tests/SurveyKitTests/Fixtures/sav/small.zsav     ... as compressed SPSS
#   Tests/SurveyKitTests/Fixtures/sav/small.dta      ... as Stata 15
#   Tests/SurveyKitTests/Fixtures/sav/truncated.sav  small.sav cut off after 1,500 bytes
#   Tests/SurveyKitTests/Fixtures/sav/corrupt.sav    small.sav with its magic number overwritten
#   Tests/SurveyKitTests/Fixtures/sav/cp932.sav      3 cases in CP932 as older Japanese SPSS wrote
#                                                    them (code page 932, no encoding record)
#   Tests/SurveyKitTests/Fixtures/sav/cp932-declared.sav  the same with an encoding record
#
# Reproducible in content: haven stamps each .sav/.dta with the time it was written, so the bytes
# of a rerun differ in that stamp only. haven (through ReadStat's writer) always writes UTF-8, so
# the CP932 files are written byte by byte at the end of this script.
suppressPackageStartupMessages({
  library(haven)
  library(yaml)
})

codebook <- yaml::read_yaml("codebooks/citizen-survey-2019.yaml")
export <- read.csv("samples/citizen-survey-2019.csv", colClasses = "character",
                   na.strings = character(0), encoding = "UTF-8", check.names = FALSE)

`%||%` <- function(a, b) if (is.null(a)) b else a
ja <- function(text) if (is.list(text)) text$ja else text
global_missing <- as.numeric(names(codebook$missing))
string_columns <- c("Q4", "Q8")

# One column of the export as haven wants it: numbers (blank = system-missing) with labels,
# user-missing codes and the variable label, or strings as they are.
as_spss <- function(values, name, variable, member = NULL) {
  if (name %in% string_columns) {
    return(labelled(values, label = ja(variable$label)))
  }
  numbers <- ifelse(values == "", NA_real_, suppressWarnings(as.numeric(values)))
  label <- ja(variable$label)
  codes <- variable$values
  missing <- if (!is.null(variable$missing)) as.numeric(names(variable$missing)) else NULL
  if (variable$type == "single" && is.null(missing)) missing <- global_missing
  if (!is.null(member)) {
    # A dichotomy column: its label names the choice, its values are 0/1.
    label <- paste0(label, ": ", ja(codes[[member]]))
    codes <- list("0" = "非選択", "1" = "選択")
    missing <- NULL
  }
  labels <- NULL
  if (length(codes) > 0) {
    labels <- setNames(as.numeric(names(codes)), vapply(codes, ja, ""))
  }
  if (!is.null(missing) && variable$type %in% c("single", "numeric", "multi")) {
    kinds <- variable$missing %||% codebook$missing
    for (code in missing) {
      kind <- kinds[[as.character(code)]]
      text <- if (identical(kind, "dont-know")) "わからない" else "無回答"
      if (!(code %in% labels)) labels <- c(labels, setNames(code, text))
    }
    return(labelled_spss(numbers, labels = labels, na_values = missing, label = label))
  }
  if (!is.null(labels)) return(labelled(numbers, labels = labels, label = label))
  labelled(numbers, label = label)
}

columns <- list()
for (variable in codebook$variables) {
  names_in_file <- variable$columns %||% variable$name
  for (index in seq_along(names_in_file)) {
    name <- names_in_file[[index]]
    member <- if (identical(variable$shape, "dichotomy")) index else NULL
    columns[[name]] <- as_spss(export[[name]], name, variable, member)
  }
}
data <- as.data.frame(columns[names(export)], check.names = FALSE)
write_sav(data, "samples/citizen-survey-2019.sav")

dir.create("Tests/SurveyKitTests/Fixtures/sav", recursive = TRUE, showWarnings = FALSE)
fixtures <- "Tests/SurveyKitTests/Fixtures/sav/"
small_export <- export[1:20, ]
# Two defects for the diagnostics: case 12 answers Q5 with 7 (not a code), case 15 has no weight.
small_export$Q5[12] <- "7"
small_export$WEIGHT[15] <- ""
small <- data[1:20, ]
small$Q5 <- as_spss(small_export$Q5, "Q5", Filter(function(v) v$name == "Q5", codebook$variables)[[1]])
small$WEIGHT <- as_spss(small_export$WEIGHT, "WEIGHT",
                        Filter(function(v) v$name == "WEIGHT", codebook$variables)[[1]])
# The CSV beside it: the same cases as text.
small_csv <- small_export
write.csv(small_csv, paste0(fixtures, "small.csv"), row.names = FALSE, fileEncoding = "UTF-8",
          na = "")
write_sav(small, paste0(fixtures, "small.sav"))
write_sav(small, paste0(fixtures, "small.zsav"), compress = "zsav")
# Stata keeps no user-missing values: labelled_spss becomes plain labelled numbers (9 stays 9).
stata <- as.data.frame(lapply(small, function(column) {
  if (!inherits(column, "haven_labelled_spss")) return(column)
  labelled(vctrs::vec_data(column), labels = attr(column, "labels"), label = attr(column, "label"))
}), check.names = FALSE)
write_dta(stata, paste0(fixtures, "small.dta"), version = 15)

bytes <- readBin(paste0(fixtures, "small.sav"), "raw", file.info(paste0(fixtures, "small.sav"))$size)
writeBin(bytes[1:1500], paste0(fixtures, "truncated.sav"))
corrupt <- bytes
corrupt[1:4] <- charToRaw("XXXX")
writeBin(corrupt, paste0(fixtures, "corrupt.sav"))

# A CP932 .sav as older Japanese SPSS versions wrote it: no encoding record, only the code page
# (932) in the machine integer info record. haven cannot write one, so this writes the SPSS system
# file format directly (uncompressed, little-endian): 3 cases of ID, F1 (labelled) and Q8 (A24).
write_cp932_sav <- function(path, encoding_record = FALSE) {
  cp932 <- function(text) iconv(text, "UTF-8", "CP932", toRaw = TRUE)[[1]]
  out <- file(path, "wb")
  on.exit(close(out))
  int <- function(...) writeBin(as.integer(c(...)), out, size = 4, endian = "little")
  dbl <- function(...) writeBin(as.double(c(...)), out, size = 8, endian = "little")
  padded <- function(bytes, width) c(bytes, rep(charToRaw(" "), width - length(bytes)))
  raw_text <- function(text, width) writeBin(padded(charToRaw(text), width), out)
  # File header: 176 bytes.
  raw_text("$FL2", 4)
  raw_text("@(#) SPSS DATA FILE SurveyKit samples/make_sav.R", 60)
  int(2, 5, 0, 0, 3)            # layout, 5 slots per case (1 + 1 + 3), uncompressed, no weight, 3 cases
  dbl(100)
  raw_text("01 Oct 19", 9)
  raw_text("00:00:00", 8)
  writeBin(padded(cp932("市民意識調査（CP932）"), 64), out)
  writeBin(as.raw(c(0, 0, 0)), out)
  variable <- function(name, type, label, format) {
    int(2, type, if (is.null(label)) 0 else 1, 0, format, format)
    raw_text(name, 8)
    if (!is.null(label)) {
      bytes <- cp932(label)
      int(length(bytes))
      writeBin(c(bytes, rep(as.raw(0x20), (4 - length(bytes) %% 4) %% 4)), out)
    }
  }
  variable("ID", 0, "回答者番号", 0x050800)
  variable("F1", 0, "性別", 0x050800)
  variable("Q8", 24, "自由記述", 0x011800)
  for (i in 1:2) { int(2, -1, 0, 0, 0, 0); raw_text("", 8) }
  # Value labels of F1, then the variables they belong to (dictionary index 2).
  labels <- list(`1` = "男性", `2` = "女性", `9` = "無回答")
  int(3, length(labels))
  for (code in names(labels)) {
    dbl(as.numeric(code))
    bytes <- cp932(labels[[code]])
    block <- c(as.raw(length(bytes)), bytes)
    writeBin(c(block, rep(as.raw(0x20), (8 - length(block) %% 8) %% 8)), out)
  }
  int(4, 1, 2)
  # Machine integer info: IEEE doubles, little-endian, character code 932 (Windows-31J).
  int(7, 3, 4, 8, 16, 0, 0, -1, 1, 1, 2, 932)
  if (encoding_record) {
    int(7, 20, 1, nchar("windows-31j"))
    writeBin(charToRaw("windows-31j"), out)
  }
  int(999, 0)
  cases <- list(list(1, 1, "髙橋です、①番"), list(2, 2, ""), list(3, 9, "子育て支援"))
  for (case in cases) {
    dbl(case[[1]], case[[2]])
    writeBin(padded(cp932(case[[3]]), 24), out)
  }
}
write_cp932_sav(paste0(fixtures, "cp932.sav"))
write_cp932_sav(paste0(fixtures, "cp932-declared.sav"), encoding_record = TRUE)
