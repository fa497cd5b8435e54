// censusqa SDK: the one statistical test the rules share (SDK 8), so that "far from similar schools"
// means the same in every plugin (PN010's needs, MV002's unexplained exits), and the words its findings use.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace censusqa {

/// Two-sided exact binomial test of k successes in n trials with success probability p: the sum of the
/// probabilities of every outcome no more likely than k, ties up to rounding included (the method of
/// R's binom.test), at most 1. n <= 0 gives 1; p <= 0 gives 1 when k is 0, else 0; p >= 1 gives 1 when
/// k is n, else 0.
inline double binomial_two_sided_p(int k, int n, double p) {
  if (n <= 0) return 1.0;
  if (p <= 0.0) return k == 0 ? 1.0 : 0.0;
  if (p >= 1.0) return k == n ? 1.0 : 0.0;
  auto log_pmf = [&](int i) {
    return std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) + i * std::log(p) +
           (n - i) * std::log1p(-p);
  };
  const double observed = log_pmf(k);
  const double tolerance = std::log1p(1e-7); // outcomes as likely as k, up to rounding, count too
  double total = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double l = log_pmf(i);
    if (l <= observed + tolerance) total += std::exp(l);
  }
  return std::min(1.0, total);
}

/// A share (0.231) as the percentage messages quote, to one decimal place: "23.1".
inline std::string pct_text(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", share * 100.0);
  return buf;
}

/// A p-value in words a head teacher can read: "less than 1 in 10,000", "about 1 in 2,500".
inline std::string chance_words(double p) {
  if (p < 0.0001) return "less than 1 in 10,000";
  const auto one_in = static_cast<long long>(1.0 / p + 0.5);
  std::string digits = std::to_string(one_in), grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return "about 1 in " + grouped;
}

} // namespace censusqa
