// Summaries of repeated measurements for the benchmarks: each figure a bench prints is a median
// over alternating rounds (this VM's host moves single runs by 20-30%), or a percentile of latencies.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace aih::bench {

// The p-th percentile (0..100, nearest rank) of `values`; 0 when there are none.
inline double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
  const size_t index = rank < 1 ? 0 : std::min(values.size() - 1, static_cast<size_t>(rank) - 1);
  return values[index];
}

// The middle value (the upper one of an even count); 0 when there are none.
inline double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// The median of one field over rounds: MedianOf(rounds, [](const Round& r) { return r.rate; }).
template <class Rounds, class Field>
double MedianOf(const Rounds& rounds, Field field) {
  std::vector<double> values;
  for (const auto& round : rounds) values.push_back(static_cast<double>(field(round)));
  return Median(std::move(values));
}

}  // namespace aih::bench
