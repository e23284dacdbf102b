# One row of bench/run.sh's table: the medians of scenario s at c connections over the rounds of bench/run.sh's rows
# ("<target> <round> <scenario> <connections> <req/s> <p50 ms> <p99 ms> <max ms> <errors>"), with the target of
# bench/README.md ("Targets") and whether it was met. Errors are summed over the rounds.
function median(a, n,    i, j, t) {
  for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
  return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
$3 == s && $4 == c && $1 == "service" { n++; rate[n] = $5; p50[n] = $6; p99[n] = $7; max[n] = $8; errors += $9 }
$3 == s && $4 == c && $1 == "ceiling" { m++; ceiling[m] = $5 }
END {
  if (n == 0) exit
  r = median(rate, n); q99 = median(p99, n); top = median(max, n); ceil = m ? median(ceiling, m) : 0
  ratio = ceil ? r / ceil : 0
  met = errors == 0; goal = "0 errors"
  if (c == 32 && s == "list") { goal = ">= 0.6x, p99 <= 5 ms"; met = met && ratio >= 0.6 && q99 <= 5 }
  if (c == 32 && s == "signon") { goal = ">= 0.3x, p99 <= 20 ms, max <= 100 ms"; met = met && ratio >= 0.3 && q99 <= 20 && top <= 100 }
  if (c == 32 && (s == "activity" || s == "mix")) { goal = ">= 0.5x"; met = met && ratio >= 0.5 }
  printf "| %s | %d | %.0f | %.2f | %.2f | %.2f | %d | %.0f | %.2fx | %s | %s |\n", s, c, r, median(p50, n), q99, top, errors, ceil, ratio, goal, met ? "yes" : "**no**"
}
