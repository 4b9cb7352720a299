#include "base/metrics.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace aih::metrics {

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::Observe(double value) {
  // A linear scan: a dozen bounds, most observations land in the first few.
  size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

std::vector<double> LatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

std::vector<double> SizeBuckets() { return {1, 4, 16, 64, 256, 1024, 4096}; }

namespace {

enum Kind { kCounter, kGauge, kHistogram, kCounterFamily, kGaugeFamily, kHistogramFamily, kCallback };

const char* TypeName(int kind) {
  switch (kind) {
    case kCounter:
    case kCounterFamily: return "counter";
    case kHistogram:
    case kHistogramFamily: return "histogram";
    default: return "gauge";
  }
}

std::string Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

// A label value or HELP text as the text format escapes it: backslash, newline and (in label values)
// the double quote.
void AppendEscaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

// {a="x",b="y"} (with an extra label, e.g. le, when given); nothing when there are no labels.
std::string Labels(const std::vector<std::string>& names, const std::vector<std::string>& values,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return {};
  std::string out = "{";
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += names[i];
    out += "=\"";
    AppendEscaped(out, values[i], true);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
  return out;
}

void AppendHistogram(std::string& out, const std::string& name, const std::vector<std::string>& names,
                     const std::vector<std::string>& values, const Histogram& h) {
  const Histogram::Snapshot s = h.snapshot();
  const auto& bounds = h.upper_bounds();
  for (size_t i = 0; i <= bounds.size(); ++i) {
    out += name + "_bucket" + Labels(names, values, "le", i < bounds.size() ? Number(bounds[i]) : "+Inf") + " " +
           std::to_string(s.cumulative[i]) + "\n";
  }
  out += name + "_sum" + Labels(names, values) + " " + Number(s.sum) + "\n";
  out += name + "_count" + Labels(names, values) + " " + std::to_string(s.count) + "\n";
}

}  // namespace

struct Registry::Entry {
  int kind = kCounter;
  std::string help;
  std::vector<std::string> label_names;
  std::unique_ptr<Counter> counter;
  std::unique_ptr<Gauge> gauge;
  std::unique_ptr<Histogram> histogram;
  std::unique_ptr<Family<Counter>> counters;
  std::unique_ptr<Family<Gauge>> gauges;
  std::unique_ptr<Family<Histogram>> histograms;
  uint64_t callback_id = 0;
  std::function<double()> callback;  // null: no registration holds it now
};

Registry::Registry() = default;
Registry::~Registry() = default;

Registry& Registry::Default() {
  static Registry* registry = new Registry();  // never destroyed: metrics outlive every thread
  return *registry;
}

Registry::Entry& Registry::Find(const std::string& name, const std::string& help, int kind,
                                const std::vector<std::string>& labels) {
  auto& slot = entries_[name];
  if (!slot) {
    slot = std::make_unique<Entry>();
    slot->kind = kind;
    slot->help = help;
    slot->label_names = labels;
  } else if (slot->kind != kind || slot->label_names != labels) {
    std::fprintf(stderr, "aihistory: bug: the metric %s is registered twice, differently\n", name.c_str());
    std::abort();
  }
  return *slot;
}

Counter& Registry::AddCounter(const std::string& name, const std::string& help) {
  std::lock_guard lock(mu_);
  Entry& e = Find(name, help, kCounter, {});
  if (!e.counter) e.counter = std::make_unique<Counter>();
  return *e.counter;
}

Gauge& Registry::AddGauge(const std::string& name, const std::string& help) {
  std::lock_guard lock(mu_);
  Entry& e = Find(name, help, kGauge, {});
  if (!e.gauge) e.gauge = std::make_unique<Gauge>();
  return *e.gauge;
}

Histogram& Registry::AddHistogram(const std::string& name, const std::string& help, std::vector<double> upper_bounds) {
  std::lock_guard lock(mu_);
  Entry& e = Find(name, help, kHistogram, {});
  if (!e.histogram) e.histogram = std::make_unique<Histogram>(std::move(upper_bounds));
  return *e.histogram;
}

Family<Counter>& Registry::AddCounterFamily(const std::string& name, const std::string& help,
                                            std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  Entry& e = Find(name, help, kCounterFamily, label_names);
  if (!e.counters) {
    e.counters = std::make_unique<Family<Counter>>(std::move(label_names), [] { return std::make_unique<Counter>(); });
  }
  return *e.counters;
}

Family<Gauge>& Registry::AddGaugeFamily(const std::string& name, const std::string& help,
                                        std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  Entry& e = Find(name, help, kGaugeFamily, label_names);
  if (!e.gauges) {
    e.gauges = std::make_unique<Family<Gauge>>(std::move(label_names), [] { return std::make_unique<Gauge>(); });
  }
  return *e.gauges;
}

Family<Histogram>& Registry::AddHistogramFamily(const std::string& name, const std::string& help,
                                                std::vector<std::string> label_names,
                                                std::vector<double> upper_bounds) {
  std::lock_guard lock(mu_);
  Entry& e = Find(name, help, kHistogramFamily, label_names);
  if (!e.histograms) {
    e.histograms = std::make_unique<Family<Histogram>>(
        std::move(label_names), [bounds = std::move(upper_bounds)] { return std::make_unique<Histogram>(bounds); });
  }
  return *e.histograms;
}

CallbackRegistration Registry::AddCallbackGauge(const std::string& name, const std::string& help,
                                                std::function<double()> read) {
  std::lock_guard lock(mu_);
  Entry& e = Find(name, help, kCallback, {});
  e.callback_id = next_callback_id_++;
  e.callback = std::move(read);
  return CallbackRegistration(this, name, e.callback_id);
}

void Registry::RemoveCallback(const std::string& name, uint64_t id) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(name);
  if (it != entries_.end() && it->second->callback_id == id) it->second->callback = nullptr;
}

CallbackRegistration& CallbackRegistration::operator=(CallbackRegistration&& other) noexcept {
  if (this != &other) {
    if (registry_) registry_->RemoveCallback(name_, id_);
    registry_ = std::exchange(other.registry_, nullptr);
    name_ = std::move(other.name_);
    id_ = other.id_;
  }
  return *this;
}

CallbackRegistration::~CallbackRegistration() {
  if (registry_) registry_->RemoveCallback(name_, id_);
}

std::function<double()> Cached(std::function<std::optional<double>()> read, std::chrono::milliseconds cache_for) {
  struct State {
    std::mutex mu;
    std::chrono::steady_clock::time_point read_at{};
    bool read_once = false;
    double value = 0;
  };
  auto state = std::make_shared<State>();
  return [state, read = std::move(read), cache_for] {
    std::lock_guard lock(state->mu);
    const auto now = std::chrono::steady_clock::now();
    if (state->read_once && now - state->read_at < cache_for) return state->value;
    state->read_once = true;
    state->read_at = now;
    if (auto v = read()) state->value = *v;
    return state->value;
  };
}

std::string Registry::Exposition() const {
  // Callbacks run under the registry's lock, so that none runs once its registration has ended.
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& entry : entries_) {
    // Named, not structured bindings: clang (the fuzzers' compiler) cannot capture those in lambdas.
    const std::string& name = entry.first;
    const auto& e = entry.second;
    if (e->kind == kCallback && !e->callback) continue;  // its registration ended
    out += "# HELP " + name + " ";
    AppendEscaped(out, e->help, false);
    out += "\n# TYPE " + name + " " + TypeName(e->kind) + "\n";
    switch (e->kind) {
      case kCounter: out += name + " " + std::to_string(e->counter->value()) + "\n"; break;
      case kGauge: out += name + " " + std::to_string(e->gauge->value()) + "\n"; break;
      case kHistogram: AppendHistogram(out, name, {}, {}, *e->histogram); break;
      case kCounterFamily:
        e->counters->ForEach([&](const std::vector<std::string>& values, const Counter& c) {
          out += name + Labels(e->label_names, values) + " " + std::to_string(c.value()) + "\n";
        });
        break;
      case kGaugeFamily:
        e->gauges->ForEach([&](const std::vector<std::string>& values, const Gauge& g) {
          out += name + Labels(e->label_names, values) + " " + std::to_string(g.value()) + "\n";
        });
        break;
      case kHistogramFamily:
        e->histograms->ForEach([&](const std::vector<std::string>& values, const Histogram& h) {
          AppendHistogram(out, name, e->label_names, values, h);
        });
        break;
      case kCallback: out += name + " " + Number(e->callback()) + "\n"; break;
    }
  }
  return out;
}

}  // namespace aih::metrics
