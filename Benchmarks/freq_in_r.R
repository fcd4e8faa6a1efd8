# The same estimates as `survey freq` on all questions of a generated file, in R's survey package,
# for the time and memory comparison in Benchmarks/README.md. Usage:
#   /usr/bin/time -v Rscript Benchmarks/freq_in_r.R /tmp/large.csv
# Reads the CSV, builds the stratified design with fpc, and computes svymean (with deff) of every
# single-choice question as a factor (missing codes excluded), of the numeric questions, and of
# each option of the multi-response questions over those who answered, plus svytotal of the
# category counts.
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
t0 <- Sys.time()
d <- read.csv(args[1], colClasses = c(ID = "character", Q4 = "character", Q8 = "character"))
single <- c(F1 = 9, F2 = 9, Q5 = 9, Q6 = c(8, 9))
for (v in c("F1", "F2", "Q5")) d[[v]] <- factor(ifelse(d[[v]] == 9, NA, d[[v]]))
d$Q6 <- factor(ifelse(d$Q6 %in% c(8, 9), NA, d$Q6))
for (v in c("Q1", "Q2")) d[[v]] <- ifelse(d[[v]] == 99, NA, d[[v]])
d$Q1f <- factor(d$Q1)
# Q3 dichotomies: asked only when Q2 < Q1
for (k in 1:8) d[[paste0("Q3_", k)]] <- as.numeric(d[[paste0("Q3_", k)]])
# Q4 delimited: split into indicators (half-width and full-width separators)
q4 <- chartr("０１２３４５６７８９、", "0123456789,", d$Q4)
q4 <- strsplit(q4, "[;,]")
for (k in c(1:7, 9)) d[[paste0("Q4_", k)]] <- ifelse(d$Q4 == "99", NA, sapply(q4, function(x) as.numeric(k %in% as.numeric(x))))
design <- svydesign(id = ~1, strata = ~DISTRICT, weights = ~WEIGHT, fpc = ~FPC, data = d)
t1 <- Sys.time()
out <- list()
for (v in c("F1", "F2", "Q5", "Q6", "Q1f")) {
  out[[v]] <- svymean(as.formula(paste0("~", v)), design, na.rm = TRUE, deff = TRUE)
  out[[paste0(v, "_n")]] <- svytotal(as.formula(paste0("~", v)), design, na.rm = TRUE)
}
for (v in c("Q1", "Q2")) out[[v]] <- svymean(as.formula(paste0("~", v)), design, na.rm = TRUE, deff = TRUE)
out$Q3 <- svymean(as.formula(paste0("~", paste0("Q3_", 1:8, collapse = "+"))), design, na.rm = TRUE, deff = TRUE)
out$Q4 <- svymean(as.formula(paste0("~", paste0("Q4_", c(1:7, 9), collapse = "+"))), design, na.rm = TRUE, deff = TRUE)
t2 <- Sys.time()
print(out$Q5)
cat(sprintf("read + design: %.1f s, estimates: %.1f s, total %.1f s\n",
            as.numeric(t1 - t0, units = "secs"), as.numeric(t2 - t1, units = "secs"),
            as.numeric(t2 - t0, units = "secs")))
