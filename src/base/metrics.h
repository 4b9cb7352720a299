// Metrics: counters, gauges and histograms, with or without labels, and their Prometheus text
// exposition (the /metrics endpoint).
//
// A metric is registered once, by name, in a Registry (usually Registry::Default(), the process's),
// and kept by reference: registering a name again returns the same metric, so a module may register
// what it updates in a function-local static. Updating a Counter, Gauge or Histogram is a few relaxed
// atomic adds (no lock, no lookup), cheap enough for every item of an export. Looking up a labelled
// series (Family::With) takes a shared lock and a map lookup: do it per request or once, never per
// item. Gauges that are cheaper to read than to maintain (a queue's depth, the store's size) are
// callbacks, run when the registry is scraped; a callback is registered for the life of its
// CallbackRegistration.
//
// Names follow Prometheus: an `aihistory_` prefix, the unit in the name (_seconds, _bytes), counters
// end in _total. Label values are any UTF-8 text (escaped in the exposition); keep their number
// small: route templates, never raw paths or ids.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace aih::metrics {

class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void Set(int64_t v) { value_.store(v, std::memory_order_relaxed); }
  void Add(int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

// Counts observations into buckets with the given upper bounds (ascending; +Inf is implied), and
// keeps their sum. The exposition writes the buckets cumulatively, as Prometheus expects.
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void Observe(double value);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf (== count)
    uint64_t count = 0;
    double sum = 0;
  };
  Snapshot snapshot() const;
  const std::vector<double>& upper_bounds() const { return bounds_; }

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
  std::atomic<double> sum_{0};
};

// Bucket bounds: seconds from 1 ms to 60 s (request and commit latencies), and powers of 4 from 1
// to 4096 (batch sizes).
std::vector<double> LatencyBuckets();
std::vector<double> SizeBuckets();

// Series of one metric told apart by label values (in the order of the family's label names).
template <class Metric>
class Family {
 public:
  using Factory = std::function<std::unique_ptr<Metric>()>;
  Family(std::vector<std::string> label_names, Factory make)
      : label_names_(std::move(label_names)), make_(std::move(make)) {}

  // The series with these label values (as many as label names), created on first use.
  Metric& With(const std::vector<std::string>& values) {
    {
      std::shared_lock lock(mu_);
      auto it = series_.find(values);
      if (it != series_.end()) return *it->second;
    }
    std::unique_lock lock(mu_);
    auto& slot = series_[values];
    if (!slot) slot = make_();
    return *slot;
  }

  const std::vector<std::string>& label_names() const { return label_names_; }
  // Calls f(values, metric) for every series, in label order.
  template <class F>
  void ForEach(F&& f) const {
    std::shared_lock lock(mu_);
    for (const auto& [values, metric] : series_) f(values, *metric);
  }

 private:
  const std::vector<std::string> label_names_;
  const Factory make_;
  mutable std::shared_mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> series_;
};

class Registry;

// Keeps a callback gauge registered; unregisters it when destroyed (so a callback never outlives
// what it reads).
class CallbackRegistration {
 public:
  CallbackRegistration() = default;
  CallbackRegistration(Registry* registry, std::string name, uint64_t id)
      : registry_(registry), name_(std::move(name)), id_(id) {}
  CallbackRegistration(CallbackRegistration&& other) noexcept { *this = std::move(other); }
  CallbackRegistration& operator=(CallbackRegistration&& other) noexcept;
  ~CallbackRegistration();

 private:
  Registry* registry_ = nullptr;
  std::string name_;
  uint64_t id_ = 0;
};

class Registry {
 public:
  Registry();
  ~Registry();
  // The process's registry: what /metrics exposes.
  static Registry& Default();

  // Each returns the metric registered under `name`, registering it first if needed. Registering
  // a name again with another type or other labels is a bug: it aborts.
  Counter& AddCounter(const std::string& name, const std::string& help);
  Gauge& AddGauge(const std::string& name, const std::string& help);
  Histogram& AddHistogram(const std::string& name, const std::string& help, std::vector<double> upper_bounds);
  Family<Counter>& AddCounterFamily(const std::string& name, const std::string& help,
                                    std::vector<std::string> label_names);
  Family<Gauge>& AddGaugeFamily(const std::string& name, const std::string& help, std::vector<std::string> label_names);
  Family<Histogram>& AddHistogramFamily(const std::string& name, const std::string& help,
                                        std::vector<std::string> label_names, std::vector<double> upper_bounds);

  // A gauge whose value `read` computes at each scrape (on the scraping thread, under the registry's
  // lock: keep it cheap or cached, and register nothing from it). A later registration of the same name replaces an earlier one until it ends.
  [[nodiscard]] CallbackRegistration AddCallbackGauge(const std::string& name, const std::string& help,
                                                      std::function<double()> read);

  // Every metric in the Prometheus text format (version 0.0.4), families in name order.
  std::string Exposition() const;

 private:
  friend class CallbackRegistration;
  struct Entry;
  Entry& Find(const std::string& name, const std::string& help, int kind, const std::vector<std::string>& labels);
  void RemoveCallback(const std::string& name, uint64_t id);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Entry>> entries_;
  uint64_t next_callback_id_ = 1;
};

// A callback for AddCallbackGauge that calls `read` at most once per `cache_for` and answers the
// last value in between (a scrape then costs no query when scrapes come fast or several at once).
// `read` answering nullopt (it could not tell) keeps the previous value.
std::function<double()> Cached(std::function<std::optional<double>()> read, std::chrono::milliseconds cache_for);

// The content type of Exposition().
inline constexpr std::string_view kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace aih::metrics
