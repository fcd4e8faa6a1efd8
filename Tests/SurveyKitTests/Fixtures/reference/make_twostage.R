library(survey); data(api)
options(digits = 17)
write.csv(apiclus2[, c("cds","dnum","snum","pw","fpc1","fpc2","api00","enroll","stype")], "apiclus2.csv", row.names = FALSE, na = "")
d <- svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)
m <- svymean(~api00, d, deff = TRUE)
t <- svytotal(~enroll, d, na.rm = TRUE, deff = TRUE)
p <- svymean(~stype, d)
d1 <- svydesign(id = ~dnum + snum, data = apiclus2, weights = ~pw)
m1 <- svymean(~api00, d1)
out <- c(
  sprintf('"call_design": "svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)"'),
  sprintf('"degf": %.17g', degf(d)),
  sprintf('"mean_api00": {"estimate": %.17g, "se": %.17g, "deff": %.17g}', coef(m), SE(m), deff(m)),
  sprintf('"total_enroll": {"estimate": %.17g, "se": %.17g, "deff": %.17g}', coef(t), SE(t), deff(t)),
  sprintf('"mean_stype": {"estimate": [%s], "se": [%s]}', paste(sprintf("%.17g", coef(p)), collapse=", "), paste(sprintf("%.17g", SE(p)), collapse=", ")),
  sprintf('"call_nofpc": "svydesign(id = ~dnum + snum, data = apiclus2, weights = ~pw)"'),
  sprintf('"nofpc_mean_api00": {"estimate": %.17g, "se": %.17g}', coef(m1), SE(m1)))
writeLines(c("{", paste0("  ", out, collapse = ",\n"), "}"), "apiclus2_twostage.json")
