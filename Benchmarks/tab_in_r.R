# The work of a banner table in R's survey package, for the time and memory comparison with
# `survey tab` in Benchmarks/README.md: 10 stub questions × Total + 4 break variables (F1, F2,
# DISTRICT and the multi-response Q7), column percentages with SEs by svyby, plus svychisq for
# every single × single pair. Usage:
#   /usr/bin/time -v Rscript Benchmarks/tab_in_r.R /tmp/large.csv
# With TAB_R_ESTIMATES=PATH it also writes the Q5 shares and SEs of the Total, F1 and F2 columns
# to PATH (`break,column_code,q5_code,share,se`), which Benchmarks/compare.sh checks against
# `survey tab`; they are kept from the table's own svymean/svyby calls, so no extra work is timed.
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
t0 <- Sys.time()
d <- read.csv(args[1], colClasses = c(ID = "character", Q4 = "character", Q8 = "character"))
for (v in c("F1", "F2", "Q5")) d[[v]] <- factor(ifelse(d[[v]] == 9, NA, d[[v]]))
d$Q6 <- factor(ifelse(d$Q6 %in% c(8, 9), NA, d$Q6))
for (v in c("Q1", "Q2")) d[[v]] <- factor(ifelse(d[[v]] == 99, NA, d[[v]]))
d$DISTRICT <- factor(d$DISTRICT)
q4 <- strsplit(chartr("０１２３４５６７８９、", "0123456789,", d$Q4), "[;,]")
for (k in c(1:7, 9)) d[[paste0("Q4_", k)]] <- ifelse(d$Q4 == "99", NA, sapply(q4, function(x) as.numeric(k %in% as.numeric(x))))
q7 <- as.matrix(d[, c("Q7_1", "Q7_2", "Q7_3")])
for (k in 1:7) d[[paste0("U", k)]] <- ifelse(d$Q7_1 == 99, NA, as.numeric(rowSums(q7 == k, na.rm = TRUE) > 0))
design <- svydesign(id = ~1, strata = ~DISTRICT, weights = ~WEIGHT, fpc = ~FPC, data = d)
t1 <- Sys.time()
stubs <- list(~F1, ~F2, ~Q1, ~Q2, ~Q5, ~Q6, ~DISTRICT,
              as.formula(paste0("~", paste0("Q3_", 1:8, collapse = "+"))),
              as.formula(paste0("~", paste0("Q4_", c(1:7, 9), collapse = "+"))),
              as.formula(paste0("~", paste0("U", 1:7, collapse = "+"))))
singles <- c("F1", "F2", "Q1", "Q2", "Q5", "Q6", "DISTRICT")
results <- 0
kept <- list()
for (stub in stubs) {
  m <- svymean(stub, design, na.rm = TRUE)                                          # Total
  results <- results + length(coef(m))
  if (identical(stub, ~Q5)) kept$Total <- m
  for (by in c("F1", "F2", "DISTRICT")) {
    m <- svyby(stub, as.formula(paste0("~", by)), design, svymean, na.rm = TRUE)
    results <- results + length(coef(m))
    if (identical(stub, ~Q5) && by %in% c("F1", "F2")) kept[[by]] <- m
  }
  for (k in 1:7) {                                                                  # multi-response banner
    results <- results + length(coef(svymean(stub, subset(design, !is.na(d[[paste0("U", k)]]) & d[[paste0("U", k)]] == 1), na.rm = TRUE)))
  }
}
tests <- 0
for (stub in singles) for (by in c("F1", "F2", "DISTRICT")) if (stub != by) {
  svychisq(as.formula(paste0("~", stub, "+", by)), design); tests <- tests + 1
}
t2 <- Sys.time()
if (nzchar(Sys.getenv("TAB_R_ESTIMATES"))) {
  lines <- sprintf("Total,,%s,%.17g,%.17g", sub("^Q5", "", names(coef(kept$Total))),
                   coef(kept$Total), sqrt(diag(vcov(kept$Total))))
  for (by in c("F1", "F2")) {
    m <- kept[[by]]                       # coef names "<column>:Q5<code>"
    parts <- do.call(rbind, strsplit(names(coef(m)), ":Q5", fixed = TRUE))
    lines <- c(lines, sprintf("%s,%s,%s,%.17g,%.17g", by, parts[, 1], parts[, 2], coef(m), sqrt(diag(suppressWarnings(vcov(m))))))
  }
  writeLines(lines, Sys.getenv("TAB_R_ESTIMATES"))
}
cat(sprintf("%d estimates, %d Rao-Scott tests; read + design %.1f s, tables %.1f s, total %.1f s\n",
            results, tests, as.numeric(t1 - t0, units = "secs"), as.numeric(t2 - t1, units = "secs"),
            as.numeric(t2 - t0, units = "secs")))
