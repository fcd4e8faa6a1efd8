# Raking in R's survey package on a generated file, for the time and memory comparison with
# SurveyKit's weighting. Usage:
#   python3 Benchmarks/generate_large.py --rows 1000000 --out /tmp/large.csv
#   /usr/bin/time -v Rscript Benchmarks/rake_in_r.R /tmp/large.csv [base]
# Reads the CSV (data.table::fread when installed, else read.csv; `base` forces read.csv), builds
# the stratified design with fpc, and rakes on F1 (sex), F2 (age group) and DISTRICT with
# control = list(maxit = 100, epsilon = 1e-10). The margins are those of
# Tests/SurveyKitTests/Fixtures/reference/make_weighting_sample.R (the resident register's shares)
# scaled to the file's population total, the sum of the district populations
# 145000 * ceil(rows / 1200) (generate_large.py multiplies the sample's N_h by ceil(rows / 1200)).
# No-answer (code 9) of F1 / F2 is its own raking class ("own-class" rule): class 9 gets
# t9 = the design-weighted total of the rows coded 9, every other class count * (N - t9) / N.
# Prints rows, passes, the elapsed time of each step and svymean(~I(Q5 == 1), na.rm = TRUE).
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: Rscript Benchmarks/rake_in_r.R FILE.csv [base]")
use_fread <- !(length(args) >= 2 && args[2] == "base") && requireNamespace("data.table", quietly = TRUE)
cols <- c("ID", "DISTRICT", "WEIGHT", "FPC", "F1", "F2", "Q5")
elapsed <- function(t) unname(t["elapsed"])

t_read <- system.time({
  if (use_fread) {
    d <- as.data.frame(data.table::fread(args[1], select = cols, encoding = "UTF-8", showProgress = FALSE,
                                         colClasses = list(integer = c("ID", "DISTRICT", "F1", "F2", "Q5"),
                                                           numeric = c("WEIGHT", "FPC"))))
  } else {
    header <- names(read.csv(args[1], nrows = 1, check.names = FALSE))
    cc <- ifelse(header %in% cols, ifelse(header %in% c("WEIGHT", "FPC"), "numeric", "integer"), "NULL")
    d <- read.csv(args[1], colClasses = cc, fileEncoding = "UTF-8")
  }
  d$Q5[d$Q5 %in% 9] <- NA
  d$DISTRICT <- factor(d$DISTRICT, levels = 1:5)
  d$F1 <- factor(d$F1, levels = c(1, 2, 9))
  d$F2 <- factor(d$F2, levels = c(1:6, 9))
})
rows <- nrow(d)
mult <- max(1, ceiling(rows / 1200))
stopifnot(!anyNA(d$DISTRICT), !anyNA(d$F1), !anyNA(d$F2),
          all(tapply(d$FPC, d$DISTRICT, function(x) all(x == x[1]))))

t_design <- system.time(
  design <- svydesign(id = ~1, strata = ~DISTRICT, weights = ~WEIGHT, fpc = ~FPC, data = d))

# Margins: the register's counts (N = 145000) times mult; own class for code 9.
N <- 145000 * mult
pop_sex <- c(69600, 75400) * mult
pop_age <- c(20300, 20300, 24650, 23200, 24650, 31900) * mult
pop_district <- c(38000, 42000, 35000, 18000, 12000) * mult
fpc_h <- tapply(d$FPC, d$DISTRICT, `[`, 1)
if (!isTRUE(all.equal(unname(as.numeric(fpc_h)), pop_district)))
  warning("the file's per-district FPC differs from 145000-register populations * ceil(rows / 1200)")
t9_F1 <- sum(weights(design)[d$F1 == "9"])
t9_F2 <- sum(weights(design)[d$F2 == "9"])
pop_F1 <- data.frame(F1 = factor(c(1, 2, 9), levels = c(1, 2, 9)), Freq = c(pop_sex * (N - t9_F1) / N, t9_F1))
pop_F2 <- data.frame(F2 = factor(c(1:6, 9), levels = c(1:6, 9)), Freq = c(pop_age * (N - t9_F2) / N, t9_F2))
pop_DISTRICT <- data.frame(DISTRICT = factor(1:5, levels = 1:5), Freq = pop_district)
# A class with no respondents (possible for code 9 in a tiny file) is dropped from its margin.
pop_F1 <- pop_F1[pop_F1$Freq > 0, ]
pop_F2 <- pop_F2[pop_F2$Freq > 0, ]

# Passes: with control$verbose, rake prints the table of the margins once before the loop and once
# after each full pass; each printed 3-way table starts with the slice header ", , DISTRICT = 1".
rake_warnings <- character(0)
t_rake <- system.time({
  out <- capture.output(raked <- withCallingHandlers(
    rake(design, list(~F1, ~F2, ~DISTRICT), list(pop_F1, pop_F2, pop_DISTRICT),
         control = list(maxit = 100, epsilon = 1e-10, verbose = TRUE)),
    warning = function(w) { rake_warnings <<- c(rake_warnings, conditionMessage(w)); invokeRestart("muffleWarning") }))
})
passes <- sum(out == ", , DISTRICT = 1") - 1

t_mean <- system.time(m <- svymean(~I(Q5 == 1), raked, na.rm = TRUE))
w <- weights(raked)

cat(sprintf("file: %s (reader: %s)\n", args[1], if (use_fread) "data.table::fread" else "read.csv"))
cat(sprintf("rows: %d; population N = %.0f (145000 x %d); t9_F1 = %.10g (%d rows), t9_F2 = %.10g (%d rows)\n",
            rows, N, mult, t9_F1, sum(d$F1 == "9"), t9_F2, sum(d$F2 == "9")))
cat(sprintf("rake: %d passes, %s\n", passes,
            if (length(rake_warnings)) paste("WARNING:", paste(rake_warnings, collapse = "; ")) else "converged"))
cat(sprintf("raked weights: sum %.10g, min %.10g, max %.10g\n", sum(w), min(w), max(w)))
cat(sprintf("svymean(~I(Q5 == 1), raked, na.rm = TRUE): TRUE = %.15g, SE = %.15g\n", coef(m)[2], SE(m)[2]))
cat(sprintf("time (elapsed s): read %.2f, svydesign %.2f, rake %.2f, svymean %.2f, total %.2f\n",
            elapsed(t_read), elapsed(t_design), elapsed(t_rake), elapsed(t_mean),
            elapsed(t_read) + elapsed(t_design) + elapsed(t_rake) + elapsed(t_mean)))
