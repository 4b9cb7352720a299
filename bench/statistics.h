// Summaries of repeated measurements for the benchmarks: each figure a bench prints is a median
// over alternating rounds (this VM's host moves single runs by 20-30%).
#pragma once

#include <algorithm>
#include <vector>

namespace aih::bench {

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
