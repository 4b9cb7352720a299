#include "base/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace aih::metrics {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsTest, CountersAndGaugesAreExposedWithHelpAndType) {
  Registry registry;
  registry.AddCounter("aihistory_things_total", "Things done.").Add(3);
  registry.AddGauge("aihistory_level", "A level.").Set(-7);
  const std::string text = registry.Exposition();
  EXPECT_THAT(text, HasSubstr("# HELP aihistory_things_total Things done.\n# TYPE aihistory_things_total counter\n"
                              "aihistory_things_total 3\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE aihistory_level gauge\naihistory_level -7\n"));
  // Families come in name order, whatever the order of registration.
  EXPECT_LT(text.find("aihistory_level"), text.find("aihistory_things_total"));
}

TEST(MetricsTest, RegisteringANameAgainReturnsTheSameMetric) {
  Registry registry;
  Counter& a = registry.AddCounter("aihistory_x_total", "X.");
  Counter& b = registry.AddCounter("aihistory_x_total", "X.");
  EXPECT_EQ(&a, &b);
  auto& fa = registry.AddCounterFamily("aihistory_y_total", "Y.", {"reason"});
  auto& fb = registry.AddCounterFamily("aihistory_y_total", "Y.", {"reason"});
  EXPECT_EQ(&fa.With({"one"}), &fb.With({"one"}));
  EXPECT_NE(&fa.With({"one"}), &fa.With({"two"}));
}

TEST(MetricsTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Registry registry;
  Histogram& h = registry.AddHistogram("aihistory_wait_seconds", "Waits.", {0.1, 1, 10});
  for (double v : {0.05, 0.1, 0.5, 5.0, 50.0}) h.Observe(v);
  const std::string text = registry.Exposition();
  EXPECT_THAT(text, HasSubstr("# TYPE aihistory_wait_seconds histogram\n"));
  // A value equal to a bound is in that bound's bucket (le: less than or equal).
  EXPECT_THAT(text, HasSubstr("aihistory_wait_seconds_bucket{le=\"0.1\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("aihistory_wait_seconds_bucket{le=\"1\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("aihistory_wait_seconds_bucket{le=\"10\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("aihistory_wait_seconds_bucket{le=\"+Inf\"} 5\n"));
  EXPECT_THAT(text, HasSubstr("aihistory_wait_seconds_sum 55.65\n"));
  EXPECT_THAT(text, HasSubstr("aihistory_wait_seconds_count 5\n"));
}

TEST(MetricsTest, LabelledSeriesEscapeTheirValues) {
  Registry registry;
  auto& family = registry.AddCounterFamily("aihistory_requests_total", "Requests.", {"route", "status"});
  family.With({"/a/{id}", "200"}).Add(2);
  family.With({"quote\" back\\slash\nnewline", "500"}).Add();
  auto& histograms = registry.AddHistogramFamily("aihistory_d_seconds", "D.", {"route"}, {1});
  histograms.With({"/a"}).Observe(0.5);
  const std::string text = registry.Exposition();
  EXPECT_THAT(text, HasSubstr("aihistory_requests_total{route=\"/a/{id}\",status=\"200\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("aihistory_requests_total{route=\"quote\\\" back\\\\slash\\nnewline\",status=\"500\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("aihistory_d_seconds_bucket{route=\"/a\",le=\"1\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("aihistory_d_seconds_count{route=\"/a\"} 1\n"));
}

TEST(MetricsTest, HelpTextEscapesBackslashAndNewline) {
  Registry registry;
  registry.AddCounter("aihistory_h_total", "one\\two\nthree");
  EXPECT_THAT(registry.Exposition(), HasSubstr("# HELP aihistory_h_total one\\\\two\\nthree\n"));
}

TEST(MetricsTest, ACallbackGaugeIsReadAtScrapeAndGoesWithItsRegistration) {
  Registry registry;
  double value = 1.5;
  {
    CallbackRegistration registration =
        registry.AddCallbackGauge("aihistory_store_size_bytes", "Size.", [&] { return value; });
    EXPECT_THAT(registry.Exposition(), HasSubstr("aihistory_store_size_bytes 1.5\n"));
    value = 42;
    EXPECT_THAT(registry.Exposition(), HasSubstr("aihistory_store_size_bytes 42\n"));
    // A later registration replaces it; the earlier one ending does not remove the later.
    CallbackRegistration later = registry.AddCallbackGauge("aihistory_store_size_bytes", "Size.", [] { return 7.0; });
    registration = CallbackRegistration();
    EXPECT_THAT(registry.Exposition(), HasSubstr("aihistory_store_size_bytes 7\n"));
  }
  EXPECT_THAT(registry.Exposition(), Not(HasSubstr("aihistory_store_size_bytes")));
}

TEST(MetricsTest, ConcurrentUpdatesAreAllCounted) {
  Registry registry;
  Counter& counter = registry.AddCounter("aihistory_c_total", "C.");
  Histogram& histogram = registry.AddHistogram("aihistory_h", "H.", SizeBuckets());
  auto& family = registry.AddCounterFamily("aihistory_f_total", "F.", {"k"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        counter.Add();
        histogram.Observe(i % 100);
        family.With({std::to_string(i % 3)}).Add();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(counter.value(), 40000u);
  EXPECT_EQ(histogram.snapshot().count, 40000u);
  uint64_t total = 0;
  family.ForEach([&](const std::vector<std::string>&, const Counter& c) { total += c.value(); });
  EXPECT_EQ(total, 40000u);
}

}  // namespace
}  // namespace aih::metrics
