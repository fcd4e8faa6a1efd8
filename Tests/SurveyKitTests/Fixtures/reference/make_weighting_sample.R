#!/usr/bin/env Rscript
# make_weighting_sample.R: extra reference values from R's `survey` package for SurveyKit's
# weighting feature (raking, calibration, post-stratification, trimming).
#
# Usage (from the repository root, or from anywhere: paths are taken from this script's location):
#   Rscript Tests/SurveyKitTests/Fixtures/reference/make_weighting_sample.R
# Needs:  R with the `survey` package (nothing else; JSON is written here). The committed files
#         were made with R 4.2.2 and survey 4.1-1.
# Reads:  samples/citizen-survey-2019.csv (the project's bundled sample);
#         the API data apistrat / apipop: from API_DIR (environment variable; default
#         /work/shared/reference/api, the team's shared reference folder) when apistrat.csv and
#         apipop.csv are there, else from data(api). The CSVs are make_reference.R's unchanged
#         copy of data(api); the script checks that the columns it uses are identical.
# Writes: r-survey/sample_weighting.json       (beside this script)
#         r-survey/api_bounded_weighting.json
# Every value is produced by evaluating the R call string stored beside it in the JSON (setup
# calls first, in order). The output is deterministic (no dates, no randomness).

suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")            # the package default, set explicitly

script_file <- normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)))
ref_dir  <- dirname(script_file)
repo_dir <- normalizePath(file.path(ref_dir, "..", "..", "..", ".."))
out_json <- file.path(ref_dir, "r-survey")
dir.create(out_json, recursive = TRUE, showWarnings = FALSE)
setwd(repo_dir)                                  # the sample's path in the calls is relative to the root
api_dir <- Sys.getenv("API_DIR", "/work/shared/reference/api")

# ---------------------------------------------------------------------------------------------
# JSON writer (the one in make_reference.R). Numbers are written with the fewest significant
# digits (15, 16 or 17) that read back to the identical double. NA, NaN and +-Inf become null.
# Named lists -> objects, unnamed lists -> arrays, atomic vectors of length 1 -> scalars
# (wrap in I() to force an array).
# ---------------------------------------------------------------------------------------------
json_num <- function(x) {
  if (is.na(x) || !is.finite(x)) return("null")
  if (x == round(x) && abs(x) < 2^53) return(sprintf("%.0f", x))
  for (d in 15:17) {
    s <- formatC(x, digits = d, format = "g")
    if (as.numeric(s) == x) break
  }
  s
}
json_str <- function(s) {
  if (is.na(s)) return("null")
  s <- enc2utf8(as.character(s))
  s <- gsub("\\", "\\\\", s, fixed = TRUE)
  s <- gsub("\"", "\\\"", s, fixed = TRUE)
  s <- gsub("\n", "\\n", s, fixed = TRUE)
  s <- gsub("\r", "\\r", s, fixed = TRUE)
  s <- gsub("\t", "\\t", s, fixed = TRUE)
  paste0("\"", s, "\"")
}
json_atom <- function(v) {
  if (is.factor(v)) v <- as.character(v)
  if (is.logical(v)) return(ifelse(is.na(v), "null", ifelse(v, "true", "false")))
  if (is.numeric(v)) return(vapply(as.numeric(v), json_num, ""))
  vapply(as.character(v), json_str, "", USE.NAMES = FALSE)
}
to_json <- function(x, indent = 0) {
  pad  <- strrep("  ", indent)
  pad1 <- strrep("  ", indent + 1)
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (!is.null(names(x))) {
      if (length(x) == 0) return("{}")
      body <- vapply(seq_along(x), function(i)
        paste0(pad1, json_str(names(x)[i]), ": ", to_json(x[[i]], indent + 1)), "")
      return(paste0("{\n", paste(body, collapse = ",\n"), "\n", pad, "}"))
    }
    if (length(x) == 0) return("[]")
    body <- vapply(x, function(e) paste0(pad1, to_json(e, indent + 1)), "")
    return(paste0("[\n", paste(body, collapse = ",\n"), "\n", pad, "]"))
  }
  a <- json_atom(unclass(x))
  if (length(x) == 1 && !inherits(x, "AsIs")) return(a)
  paste0("[", paste(a, collapse = ", "), "]")
}
write_json <- function(x, path) {
  con <- file(path, open = "w", encoding = "UTF-8")
  writeLines(to_json(x), con)
  close(con)
  cat("wrote", path, "\n")
}

# ---------------------------------------------------------------------------------------------
# Helpers (as in make_reference.R)
# ---------------------------------------------------------------------------------------------
num <- function(x) unname(as.numeric(x))

# Evaluate an R call string in `env`, collecting warnings; an error is returned, not raised.
ev <- function(code, env) {
  warns <- character(0)
  val <- withCallingHandlers(
    tryCatch(eval(parse(text = code), envir = env),
             error = function(e) structure(list(message = conditionMessage(e)), class = "ref_error")),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  if (is.null(val)) val <- list()               # e.g. a for loop in a setup call
  attr(val, "ref_warnings") <- unique(warns)
  val
}
failed <- function(v) inherits(v, "ref_error")
warnings_of <- function(v) { w <- attr(v, "ref_warnings"); if (length(w)) I(w) else NULL }
with_warnings <- function(entry, v) { w <- warnings_of(v); if (!is.null(w)) entry$warnings <- w; entry }
error_entry <- function(code, v) list(call = code, error = v$message)
# Run setup calls in order; any error or warning stops the script (the setup must be clean).
run_setup <- function(calls, env) for (s in calls) {
  v <- ev(s, env)
  if (failed(v)) stop("setup call failed: ", s, ": ", v$message)
  if (length(attr(v, "ref_warnings"))) stop("setup call warned: ", s, ": ", attr(v, "ref_warnings"))
}
value_entry <- function(code, env) {
  v <- ev(code, env)
  if (failed(v)) stop(code, ": ", v$message)
  x <- unclass(v); attributes(x) <- NULL
  e <- list(call = code, value = if (length(v) > 1) I(num(x)) else num(x))
  if (!is.null(names(v))) e$names <- I(names(v))
  with_warnings(e, v)
}

meta <- function(generated_by) list(
  generated_by   = generated_by,
  r_version      = R.version.string,
  survey_version = as.character(packageVersion("survey")),
  options        = list(survey.lonely.psu          = getOption("survey.lonely.psu"),
                        survey.ultimate.cluster    = getOption("survey.ultimate.cluster"),
                        survey.adjust.domain.lonely = getOption("survey.adjust.domain.lonely")),
  conventions    = "se = linearization (Taylor) standard error; proportions in 0..1")

weights_summary <- function(w) list(n = length(w), sum = sum(w), min = min(w), max = max(w),
                                    mean = mean(w), cv = sd(w) / mean(w),
                                    kish_ess = sum(w)^2 / sum(w^2))

# g = final weight / base weight, with the number of rows at each bound (within 1e-9 relative).
g_summary <- function(w, w0, bounds = NULL) {
  g <- w / w0
  e <- list(min = min(g), max = max(g))
  if (!is.null(bounds)) {
    e$n_at_lower <- sum(abs(g - bounds[1]) <= 1e-9 * bounds[1])
    e$n_at_upper <- sum(abs(g - bounds[2]) <= 1e-9 * bounds[2])
  }
  e
}

# Number of full passes rake() makes: the smallest maxit for which it reports convergence
# (make_reference.R's rake_passes). rake() stops after the first pass whose table of the margins
# changed by less than epsilon (epsilon < 1: epsilon * sum of the base weights) in every cell.
rake_passes <- function(env, margins_code, pops_code, epsilon, maxit) {
  for (k in seq_len(maxit)) {
    code <- sprintf("rake(design, %s, %s, control = list(maxit = %d, epsilon = %s))",
                    margins_code, pops_code, k, format(epsilon))
    r <- ev(code, env)
    if (failed(r)) stop(code, ": ", r$message)
    if (!any(grepl("did not converge", attr(r, "ref_warnings")))) return(list(passes = k, converged = TRUE))
  }
  list(passes = maxit, converged = FALSE)
}

# The terms of a svystat result (svymean / svytotal): term, level (factor / logical terms),
# estimate, se, and deff when the call asks for it.
stat_entry <- function(code, env, var = NULL) {
  s <- ev(code, env)
  if (failed(s)) return(error_entry(code, s))
  de <- attr(s, "deff")
  if (!is.null(de)) de <- diag(as.matrix(de))
  nm <- names(coef(s))
  terms <- lapply(seq_along(nm), function(i) {
    t <- list(term = nm[i])
    if (!is.null(var) && startsWith(nm[i], var) && nchar(nm[i]) > nchar(var))
      t$level <- substring(nm[i], nchar(var) + 1)
    t$estimate <- num(coef(s)[i]); t$se <- num(SE(s)[i])
    if (!is.null(de)) t$deff <- num(de[i])
    t
  })
  with_warnings(list(call = code, terms = terms), s)
}

# svyby with one grouping variable: one row per (group, statistic).
svyby_entry <- function(code, env) {
  b <- ev(code, env)
  if (failed(b)) return(error_entry(code, b))
  info <- attr(b, "svyby")
  k <- info$nstats; nby <- length(info$margins)
  byvars <- names(b)[seq_len(nby)]
  est_cols <- names(b)[nby + seq_len(k)]
  se_cols <- names(b)[nby + k + seq_len(k)]
  deff_cols <- if (isTRUE(info$deffs)) grep("^DEff", names(b), value = TRUE) else NULL
  rows <- list()
  for (g in seq_len(nrow(b))) for (j in seq_len(k)) {
    r <- lapply(byvars, function(v) as.character(b[[v]][g])); names(r) <- byvars
    r <- c(r, list(term = est_cols[j], estimate = num(b[g, est_cols[j]]), se = num(b[g, se_cols[j]])))
    if (!is.null(deff_cols)) r$deff <- num(b[g, deff_cols[j]])
    rows[[length(rows) + 1]] <- r
  }
  with_warnings(list(call = code, by = I(byvars), results = rows), b)
}

# Evaluate every estimate call on `weighted`; kinds: "stat" (svymean / svytotal) or "by" (svyby).
estimates_on <- function(est_calls, env) {
  out <- lapply(est_calls, function(e)
    if (e$kind == "by") svyby_entry(e$call, env) else stat_entry(e$call, env, e$var))
  names(out) <- names(est_calls)
  out
}

# The SEs of the same estimates from `plain_call` (a fresh design carrying the weights of
# `weighted` and no calibration information), added to each term / row as se_plain_weights.
add_plain_se <- function(est, est_calls, env, plain_call) {
  env$weighted_saved <- env$weighted
  env$weighted <- ev(plain_call, env)
  if (failed(env$weighted)) stop(plain_call, ": ", env$weighted$message)
  for (k in names(est_calls)) {
    p <- if (est_calls[[k]]$kind == "by") svyby_entry(est_calls[[k]]$call, env)
         else stat_entry(est_calls[[k]]$call, env, est_calls[[k]]$var)
    if (!is.null(p$error)) stop(est_calls[[k]]$call, " (plain): ", p$error)
    if (est_calls[[k]]$kind == "by") {
      for (i in seq_along(est[[k]]$results)) est[[k]]$results[[i]]$se_plain_weights <- p$results[[i]]$se
    } else {
      for (i in seq_along(est[[k]]$terms)) est[[k]]$terms[[i]]$se_plain_weights <- p$terms[[i]]$se
    }
  }
  env$weighted <- env$weighted_saved
  rm("weighted_saved", envir = env)
  est
}

# One weighting method on `design`: its weights, summaries, estimates.
# m: list(id, call, control = rake control or NULL, bounds = calibration bounds or NULL,
#         plain = plain-design call or NULL, extra = fields to add)
method_entry <- function(m, env, margins, est_calls, id_col, rake_codes = NULL) {
  cat("  method", m$id, "\n")
  wd <- ev(m$call, env)
  e <- list(id = m$id, call = m$call)
  if (!is.null(m$control)) e$control <- m$control
  if (!is.null(m$bounds)) e$bounds <- I(m$bounds)
  e <- c(e, m$extra)
  if (failed(wd)) return(c(e, list(error = wd$message)))
  env$weighted <- wd
  w  <- weights(wd)
  w0 <- weights(env$design)
  if (!is.null(m$control)) {
    p <- rake_passes(env, rake_codes$margins, rake_codes$pops, m$control$epsilon, m$control$maxit)
    e$passes <- p$passes
    e$converged <- !any(grepl("did not converge", attr(wd, "ref_warnings")))
    stopifnot(e$converged == p$converged)
  } else if (grepl("^calibrate", m$call)) {
    e$converged <- !any(grepl("Failed to converge", attr(wd, "ref_warnings")))
  }
  margins_after <- lapply(margins, function(v) {
    t <- svytable(as.formula(paste0("~", v)), wd)
    as.list(setNames(num(t), names(t)))
  })
  names(margins_after) <- margins
  est <- estimates_on(est_calls, env)
  if (!is.null(m$plain)) {
    env$wdata <- cbind(env[[m$data]], w = w)
    est <- add_plain_se(est, est_calls, env, m$plain)
    e$plain_design_setup <- sprintf("wdata <- cbind(%s, w = weights(weighted))", m$data)
    e$plain_design_call <- m$plain
    rm("wdata", envir = env)
  }
  e$margins_after <- margins_after
  e$weights_summary <- weights_summary(w)
  e$g_summary <- g_summary(w, w0, m$bounds)
  if (length(attr(wd, "ref_warnings"))) e$warnings <- I(attr(wd, "ref_warnings"))
  e$estimates <- est
  ids <- env[[m$data]][[id_col]]
  id_key <- if (id_col == "ID") "id" else id_col
  e$weights <- lapply(seq_along(w), function(i) {
    r <- list(row = i); r[[id_key]] <- ids[i]; r$weight <- num(w[i]); r
  })
  rm("weighted", envir = env)
  e
}

# trimWeights(strict = TRUE) in survey 4.1-1 stores prob = 1/w and reads weights back as 1/(1/w);
# a clipped weight then lies outside its bound again (and the recursion never stops, C stack
# overflow) when 1/(1/lower) < lower or 1/(1/upper) > upper. Bounds here must not do that.
# (A clipped weight reads back as 1/(1/b), e.g. 255.39999999999998 for upper = 255.4.)
safe_bounds <- function(lower, upper) 1 / (1 / lower) >= lower && 1 / (1 / upper) <= upper

# =============================================================================================
# A. The project's bundled sample: samples/citizen-survey-2019.csv
# =============================================================================================
cat("sample_weighting\n")
senv <- new.env()
sample_setup <- c(
  "sample <- read.csv(\"samples/citizen-survey-2019.csv\", colClasses = \"character\", fileEncoding = \"UTF-8\")",
  "for (v in c(\"ID\", \"DISTRICT\", \"F1\", \"F2\", \"Q5\", \"Q6\")) sample[[v]] <- as.integer(sample[[v]])",
  "for (v in c(\"WEIGHT\", \"FPC\")) sample[[v]] <- as.numeric(sample[[v]])",
  "sample$Q5[sample$Q5 %in% 9] <- NA",
  "sample$Q6[sample$Q6 %in% c(8, 9)] <- NA",
  "sample$Q6rev <- 6 - sample$Q6",
  "sample$DISTRICT <- factor(sample$DISTRICT, levels = 1:5)",
  "sample$F1 <- factor(sample$F1, levels = c(1, 2, 9))",
  "sample$F2 <- factor(sample$F2, levels = c(1:6, 9))",
  "design <- svydesign(id = ~1, strata = ~DISTRICT, weights = ~WEIGHT, fpc = ~FPC, data = sample)",
  "N <- 145000",
  "pop_sex <- c(`1` = 69600, `2` = 75400)",
  "pop_age <- c(`1` = 20300, `2` = 20300, `3` = 24650, `4` = 23200, `5` = 24650, `6` = 31900)",
  "pop_district <- c(`1` = 38000, `2` = 42000, `3` = 35000, `4` = 18000, `5` = 12000)",
  "t9_F1 <- sum(weights(design)[sample$F1 == \"9\"])",
  "t9_F2 <- sum(weights(design)[sample$F2 == \"9\"])",
  "pop_F1 <- data.frame(F1 = factor(c(1, 2, 9), levels = c(1, 2, 9)), Freq = c(pop_sex * (N - t9_F1) / N, t9_F1))",
  "pop_F2 <- data.frame(F2 = factor(c(1:6, 9), levels = c(1:6, 9)), Freq = c(pop_age * (N - t9_F2) / N, t9_F2))",
  "pop_DISTRICT <- data.frame(DISTRICT = factor(1:5, levels = 1:5), Freq = unname(pop_district))",
  paste0("pop_cal <- c(`(Intercept)` = N, ",
         "setNames(pop_F1$Freq[-1], paste0(\"F1\", pop_F1$F1[-1])), ",
         "setNames(pop_F2$Freq[-1], paste0(\"F2\", pop_F2$F2[-1])), ",
         "setNames(pop_DISTRICT$Freq[-1], paste0(\"DISTRICT\", pop_DISTRICT$DISTRICT[-1])))"),
  "cells_valid <- expand.grid(F1 = c(\"1\", \"2\"), F2 = as.character(1:6), stringsAsFactors = FALSE)",
  "cells_valid$Freq <- round(unname(pop_sex[cells_valid$F1] * pop_age[cells_valid$F2] / N))",
  "cells_sample <- as.data.frame(svytable(~F1 + F2, design), stringsAsFactors = FALSE)",
  "cells_9 <- cells_sample[(cells_sample$F1 == \"9\" | cells_sample$F2 == \"9\") & cells_sample$Freq > 0, ]",
  "pop_F1_F2 <- rbind(cells_valid, cells_9)",
  "pop_F1_F2 <- data.frame(F1 = factor(pop_F1_F2$F1, levels = c(1, 2, 9)), F2 = factor(pop_F1_F2$F2, levels = c(1:6, 9)), Freq = pop_F1_F2$Freq)")
run_setup(sample_setup, senv)
stopifnot(nrow(senv$sample) == 1200, !anyDuplicated(senv$sample$ID),
          identical(names(senv$pop_cal), colnames(model.matrix(~F1 + F2 + DISTRICT, senv$sample))),
          abs(sum(senv$pop_F1$Freq) - senv$N) < 1e-6, abs(sum(senv$pop_F2$Freq) - senv$N) < 1e-6,
          sum(senv$pop_district) == senv$N, sum(senv$pop_sex) == senv$N, sum(senv$pop_age) == senv$N,
          sum(senv$cells_valid$Freq) == senv$N)

s_margins <- c("F1", "F2", "DISTRICT")
s_rake_codes <- list(margins = "list(~F1, ~F2, ~DISTRICT)", pops = "list(pop_F1, pop_F2, pop_DISTRICT)")
s_rake_default <- sprintf("rake(design, %s, %s)", s_rake_codes$margins, s_rake_codes$pops)
s_rake_tight <- sprintf("rake(design, %s, %s, control = list(maxit = 100, epsilon = 1e-10))",
                        s_rake_codes$margins, s_rake_codes$pops)
s_est_calls <- list(
  livability_top_box       = list(kind = "stat", var = "I(Q5 == 1)",
                                  call = "svymean(~I(Q5 == 1), weighted, na.rm = TRUE, deff = TRUE)"),
  satisfaction_reversed    = list(kind = "stat", var = "Q6rev",
                                  call = "svymean(~Q6rev, weighted, na.rm = TRUE, deff = TRUE)"),
  sex                      = list(kind = "stat", var = "F1", call = "svymean(~F1, weighted, deff = TRUE)"),
  age                      = list(kind = "stat", var = "F2", call = "svymean(~F2, weighted, deff = TRUE)"),
  livability_top_box_by_sex = list(kind = "by",
                                  call = "svyby(~I(Q5 == 1), ~F1, weighted, svymean, na.rm = TRUE, deff = TRUE)"),
  livability_top_box_total = list(kind = "stat", var = "I(Q5 == 1)",
                                  call = "svytotal(~I(Q5 == 1), weighted, na.rm = TRUE, deff = TRUE)"))

# Trimming bounds: the 5th and 95th percentiles of the tightly raked weights, rounded to 1 decimal.
trim_code <- sprintf("round(unname(quantile(weights(%s), c(0.05, 0.95))), 1)", s_rake_tight)
trim_LU <- ev(trim_code, senv)
stopifnot(!failed(trim_LU), length(attr(trim_LU, "ref_warnings")) == 0, safe_bounds(trim_LU[1], trim_LU[2]))
trim_LU <- as.numeric(trim_LU)
s_plain <- "svydesign(id = ~1, strata = ~DISTRICT, weights = ~w, fpc = ~FPC, data = wdata)"

# Bounded raking calibration: c(0.5, 2) first; when R fails ("Calibration failed"), the upper bound
# is raised in steps of 0.25 (lower kept at 0.5), then c(0.4, 2.5). c(0.5, 2) has no solution: the
# class F2 = 1 needs an average g of 2.12 (see class_ratios), so R cannot converge.
bounds_tried <- list(c(0.5, 2), c(0.5, 2.25), c(0.5, 2.5), c(0.4, 2.5))
cal_bounded <- NULL; bounds_failed <- list()
for (b in bounds_tried) {
  code <- sprintf("calibrate(design, ~F1 + F2 + DISTRICT, population = pop_cal, calfun = \"raking\", bounds = c(%s, %s))",
                  format(b[1]), format(b[2]))
  v <- ev(code, senv)
  if (!failed(v) && !any(grepl("Failed to converge", attr(v, "ref_warnings")))) { cal_bounded <- list(code = code, bounds = b); break }
  bounds_failed[[length(bounds_failed) + 1]] <- list(bounds = I(b), call = code,
    error = if (failed(v)) v$message else NULL, warnings = warnings_of(v))
}
stopifnot(!is.null(cal_bounded))

s_methods <- list(
  list(id = "rake_default", call = s_rake_default, control = list(maxit = 10, epsilon = 1)),
  list(id = "rake_tight", call = s_rake_tight, control = list(maxit = 100, epsilon = 1e-10)),
  list(id = "calibrate_raking", call = "calibrate(design, ~F1 + F2 + DISTRICT, population = pop_cal, calfun = \"raking\")"),
  list(id = "calibrate_linear", call = "calibrate(design, ~F1 + F2 + DISTRICT, population = pop_cal)"),
  list(id = "poststratify_F1_F2", call = "postStratify(design, ~F1 + F2, pop_F1_F2)"),
  list(id = "trim_rake_tight",
       call = sprintf("trimWeights(%s, lower = %s, upper = %s)", s_rake_tight, format(trim_LU[1]), format(trim_LU[2])),
       plain = s_plain, extra = list(trim = list(lower = trim_LU[1], upper = trim_LU[2], strict = FALSE))),
  list(id = "trim_rake_tight_strict",
       call = sprintf("trimWeights(%s, lower = %s, upper = %s, strict = TRUE)", s_rake_tight, format(trim_LU[1]), format(trim_LU[2])),
       plain = s_plain, extra = list(trim = list(lower = trim_LU[1], upper = trim_LU[2], strict = TRUE))),
  list(id = "calibrate_raking_bounded", call = cal_bounded$code, bounds = cal_bounded$bounds,
       extra = c(list(bounds_requested = I(c(0.5, 2))),
                 if (length(bounds_failed)) list(bounds_failed = bounds_failed) else NULL)),
  # Added: both bounds active (rows at the lower and at the upper cap).
  list(id = "calibrate_raking_bounded_both",
       call = "calibrate(design, ~F1 + F2 + DISTRICT, population = pop_cal, calfun = \"raking\", bounds = c(0.6, 2.25))",
       bounds = c(0.6, 2.25)))
s_methods <- lapply(s_methods, function(m) { m$data <- "sample"; m })
s_out_methods <- lapply(s_methods, method_entry, env = senv, margins = s_margins,
                        est_calls = s_est_calls, id_col = "ID", rake_codes = s_rake_codes)

# Rows trimmed at each bound (on the tightly raked weights).
w_tight <- weights(ev(s_rake_tight, senv))
for (i in seq_along(s_out_methods)) if (!is.null(s_out_methods[[i]]$trim)) {
  s_out_methods[[i]]$trim$n_below_lower_before <- sum(w_tight < trim_LU[1])
  s_out_methods[[i]]$trim$n_above_upper_before <- sum(w_tight > trim_LU[2])
}

cells_tab <- senv$pop_F1_F2
t9_entries <- lapply(c(F1 = "F1", F2 = "F2"), function(v) {
  e <- value_entry(sprintf("sum(weights(design)[sample$%s == \"9\"])", v), senv)
  stopifnot(identical(e$value, senv[[paste0("t9_", v)]]))
  c(e, list(n_respondents = sum(senv$sample[[v]] == "9")))
})
sample_json <- c(meta("make_weighting_sample.R"), list(
  id = "sample_weighting",
  dataset = "citizen-survey-2019",
  data_file = "samples/citizen-survey-2019.csv",
  codebook = "codebooks/citizen-survey-2019.yaml",
  note = paste(
    "Paths are relative to the repository root. F1 (sex) and F2 (age group) keep the no-answer code 9",
    "as a level of their own (its own raking class); Q5 = 9 and Q6 = 8, 9 (codebook missing codes) are NA.",
    "Calls run in order: setup_calls, then each method's call with `design` = design_call's value;",
    "`weighted` is the method's result and the estimate calls run on it."),
  setup_calls = I(sample_setup),
  design_call = "svydesign(id = ~1, strata = ~DISTRICT, weights = ~WEIGHT, fpc = ~FPC, data = sample)",
  base_weights_summary = weights_summary(weights(senv$design)),
  unweighted_counts = list(
    F1 = as.list(setNames(num(table(senv$sample$F1)), levels(senv$sample$F1))),
    F2 = as.list(setNames(num(table(senv$sample$F2)), levels(senv$sample$F2))),
    DISTRICT = as.list(setNames(num(table(senv$sample$DISTRICT)), levels(senv$sample$DISTRICT)))),
  population = list(
    source = "resident register (aged 18 and over), total N = 145000",
    N = senv$N,
    sex = as.list(senv$pop_sex), age = as.list(senv$pop_age), district = as.list(senv$pop_district),
    missing_class_rule = paste(
      "own-class: the no-answer class 9 of a margin gets t9 = the design-weighted total of the respondents",
      "coded 9; every other category's count is multiplied by (N - t9) / N (evaluated as count * (N - t9) / N),",
      "so the margin still sums to N. DISTRICT has no code 9."),
    t9 = t9_entries,
    targets = list(
      F1 = list(call = sample_setup[grep("^pop_F1 <-", sample_setup)],
                values = as.list(setNames(num(senv$pop_F1$Freq), senv$pop_F1$F1))),
      F2 = list(call = sample_setup[grep("^pop_F2 <-", sample_setup)],
                values = as.list(setNames(num(senv$pop_F2$Freq), senv$pop_F2$F2))),
      DISTRICT = list(call = sample_setup[grep("^pop_DISTRICT <-", sample_setup)],
                      values = as.list(setNames(num(senv$pop_DISTRICT$Freq), senv$pop_DISTRICT$DISTRICT)))),
    calibration_totals = list(call = sample_setup[grep("^pop_cal <-", sample_setup)],
                              values = as.list(senv$pop_cal)),
    poststratify_cells = list(
      calls = I(sample_setup[grep("^(cells_|pop_F1_F2)", sample_setup)]),
      note = paste("F1 {1,2} x F2 {1..6}: round(sex count * age count / N) from the register (unscaled);",
                   "cells with F1 or F2 = 9 that have respondents: their design-weighted sample total",
                   "(svytable), so their weights stay unchanged. The cell total is N + the 9-cells' total."),
      total = sum(cells_tab$Freq),
      cells = lapply(seq_len(nrow(cells_tab)), function(i) list(
        F1 = as.character(cells_tab$F1[i]), F2 = as.character(cells_tab$F2[i]), Freq = num(cells_tab$Freq[i]),
        source = if (cells_tab$F1[i] == "9" || cells_tab$F2[i] == "9") "sample" else "register")))),
  class_ratios = list(
    note = paste("target / base-weighted sample total of each class: calibration with bounds c(L, U) on g",
                 "can only succeed when L <= the smallest and U >= the largest ratio (necessary, not sufficient)"),
    F1 = value_entry("pop_F1$Freq / as.vector(svytable(~F1, design))", senv),
    F2 = value_entry("pop_F2$Freq / as.vector(svytable(~F2, design))", senv),
    DISTRICT = value_entry("pop_DISTRICT$Freq / as.vector(svytable(~DISTRICT, design))", senv)),
  trim_bounds = list(call = trim_code, lower = trim_LU[1], upper = trim_LU[2],
                     note = "5th and 95th percentiles (quantile type 7) of the rake_tight weights, rounded to 1 decimal"),
  estimate_calls = lapply(s_est_calls, `[[`, "call"),
  methods = s_out_methods))
write_json(sample_json, file.path(out_json, "sample_weighting.json"))

# =============================================================================================
# B. API data, stratified design: bounded calibration and trimming of the base weights
# =============================================================================================
cat("api_bounded_weighting\n")
data(api)
api_ref <- list(apistrat = apistrat, apipop = apipop)
api_files <- file.path(api_dir, c("apistrat.csv", "apipop.csv"))
aenv <- new.env()
if (all(file.exists(api_files))) {
  # Read as make_reference.R reads its CSVs back; factors with R's (alphabetical) levels.
  read_api <- function(path) read.csv(path, na.strings = "", fileEncoding = "UTF-8", stringsAsFactors = FALSE)
  aenv$apistrat <- read_api(api_files[1])
  aenv$apipop   <- read_api(api_files[2])
  for (n in c("apistrat", "apipop")) {
    d <- aenv[[n]]
    d$stype    <- factor(d$stype, levels = c("E", "H", "M"))
    d$sch.wide <- factor(d$sch.wide, levels = c("No", "Yes"))
    d$comp.imp <- factor(d$comp.imp, levels = c("No", "Yes"))
    d$awards   <- factor(d$awards, levels = c("No", "Yes"))
    aenv[[n]] <- d
  }
  cat("  API data from", api_dir, "\n")
} else {
  aenv$apistrat <- apistrat; aenv$apipop <- apipop
  cat("  API data from data(api) (", api_dir, "has no apistrat.csv / apipop.csv )\n")
}
# The columns used must be identical to data(api)'s, whichever source was read.
for (n in c("apistrat", "apipop")) for (v in c("snum", "stype", "sch.wide", "comp.imp", "awards", "pw", "fpc", "api00", "enroll")) {
  if (!(v %in% names(api_ref[[n]]))) next
  a <- aenv[[n]][[v]]; b <- api_ref[[n]][[v]]
  same <- if (is.factor(b)) identical(as.character(a), as.character(b)) && identical(levels(a), levels(b))
          else identical(as.numeric(a), as.numeric(b))
  if (!same) stop(n, "$", v, " differs from data(api)")
}

api_setup <- c("design <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)",
               "pop_cal <- colSums(model.matrix(~stype + sch.wide + comp.imp, apipop))")
run_setup(api_setup, aenv)
a_margins <- c("stype", "sch.wide", "comp.imp")
narm <- if (anyNA(aenv$apistrat$enroll)) ", na.rm = TRUE" else ""
a_est_calls <- list(
  svymean_api00   = list(kind = "stat", var = "api00", call = "svymean(~api00, weighted)"),
  svymean_awards  = list(kind = "stat", var = "awards", call = "svymean(~awards, weighted)"),
  svytotal_enroll = list(kind = "stat", var = "enroll", call = sprintf("svytotal(~enroll, weighted%s)", narm)))
a_plain <- "svydesign(id = ~1, strata = ~stype, weights = ~w, data = wdata, fpc = ~fpc)"

bounded_method <- function(id, calfun_arg, tries) {
  failed_tries <- list()
  for (b in tries) {
    code <- sprintf("calibrate(design, ~stype + sch.wide + comp.imp, population = pop_cal, calfun = \"%s\", bounds = c(%s, %s))",
                    calfun_arg, format(b[1]), format(b[2]))
    v <- ev(code, aenv)
    if (!failed(v) && !any(grepl("Failed to converge", attr(v, "ref_warnings"))))
      return(list(id = id, call = code, bounds = b,
                  extra = c(list(bounds_requested = I(tries[[1]])),
                            if (length(failed_tries)) list(bounds_failed = failed_tries) else NULL)))
    failed_tries[[length(failed_tries) + 1]] <- list(bounds = I(b), call = code,
      error = if (failed(v)) v$message else NULL, warnings = warnings_of(v))
  }
  stop(id, ": no bounds converged")
}
# c(0.8, 1.25) first; when R fails ("Calibration failed": grake did not converge in maxit = 50),
# the lower bound is loosened in steps of 0.05, the upper bound kept at 1.25.
a_tries <- lapply(c(0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4), function(l) c(l, 1.25))
stopifnot(safe_bounds(20, 40))
a_methods <- list(
  bounded_method("calibrate_raking_bounded", "raking", a_tries),
  bounded_method("calibrate_linear_bounded", "linear", a_tries),
  list(id = "trim_base", call = "trimWeights(design, lower = 20, upper = 40)", plain = a_plain,
       extra = list(trim = list(lower = 20, upper = 40, strict = FALSE))),
  list(id = "trim_base_strict", call = "trimWeights(design, lower = 20, upper = 40, strict = TRUE)", plain = a_plain,
       extra = list(trim = list(lower = 20, upper = 40, strict = TRUE))))
a_methods <- lapply(a_methods, function(m) { m$data <- "apistrat"; m })
a_out_methods <- lapply(a_methods, method_entry, env = aenv, margins = a_margins,
                        est_calls = a_est_calls, id_col = "snum")

api_json <- c(meta("make_weighting_sample.R"), list(
  id = "api_bounded_weighting",
  dataset = "apistrat",
  data_file = "api/apistrat.csv",
  note = paste(
    "Calls run in an environment holding apistrat and apipop (make_reference.R's api/*.csv, identical to",
    "data(api)): setup_calls first, then each method's call with `design` = design_call's value;",
    "`weighted` is the method's result and the estimate calls run on it. Bounded calibration caps",
    "g = final weight / base weight; with bounds, calfun = \"linear\" also goes through grake (not regcalibrate).",
    "se_plain_weights: the SE from plain_design_call, a fresh design carrying the final weights."),
  setup_calls = I(api_setup),
  design_call = "svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)",
  base_weights_summary = weights_summary(weights(aenv$design)),
  population = list(source = "apipop (api/apipop.csv): all 6194 California schools",
                    N = nrow(aenv$apipop),
                    calibration_totals = list(call = api_setup[2], values = as.list(aenv$pop_cal))),
  class_ratios = c(list(
    note = paste("target / base-weighted sample total of each class: calibration with bounds c(L, U) on g",
                 "can only succeed when L <= the smallest and U >= the largest ratio (necessary, not sufficient)")),
    sapply(a_margins, function(v) value_entry(sprintf(
      "as.vector(table(apipop$%s)) / as.vector(svytable(~%s, design))", v, v), aenv), simplify = FALSE)),
  bounds_note = paste("c(0.8, 1.25) was asked for; R fails on it for both calfuns (grake does not converge in",
                      "maxit = 50, so calibrate stops with \"Calibration failed\"). The lower bound was loosened in",
                      "steps of 0.05 (upper kept at 1.25) until R converged; each method lists bounds_failed."),
  estimate_calls = lapply(a_est_calls, `[[`, "call"),
  methods = a_out_methods))
write_json(api_json, file.path(out_json, "api_bounded_weighting.json"))
