// Token and n-gram similarities: token sort / token set ratios and Jaccard.
#include <algorithm>
#include <string>
#include <vector>

#include "caselink/string_metrics.h"
#include "normalize/metric_symbols.h"

namespace caselink {
namespace {

// Byte length of the Unicode White_Space character at s[i], or 0. Tokens split
// on White_Space as Rust's split_whitespace (jellyfish 1.x) and rapidfuzz do;
// unlike Python's str.split, U+001C..U+001F are not separators.
size_t WhitespaceAt(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || (c >= 0x09 && c <= 0x0D)) return 1;
  if (c < 0xC2) return 0;
  auto byte = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
  if (c == 0xC2) return (byte(1) == 0x85 || byte(1) == 0xA0) ? 2 : 0;
  if (c == 0xE1) return (byte(1) == 0x9A && byte(2) == 0x80) ? 3 : 0;  // U+1680
  if (c == 0xE2 && byte(1) == 0x80) {
    const unsigned char t = byte(2);
    return ((t >= 0x80 && t <= 0x8A) || t == 0xA8 || t == 0xA9 || t == 0xAF) ? 3 : 0;
  }
  if (c == 0xE2) return (byte(1) == 0x81 && byte(2) == 0x9F) ? 3 : 0;  // U+205F
  if (c == 0xE3) return (byte(1) == 0x80 && byte(2) == 0x80) ? 3 : 0;  // U+3000
  return 0;
}

void Tokenize(std::string_view s, std::vector<std::string_view>* tokens) {
  tokens->clear();
  size_t start = 0;
  size_t i = 0;
  while (i < s.size()) {
    const size_t ws = WhitespaceAt(s, i);
    if (ws == 0) {
      ++i;
      continue;
    }
    if (i > start) tokens->push_back(s.substr(start, i - start));
    i += ws;
    start = i;
  }
  if (start < s.size()) tokens->push_back(s.substr(start));
}

void SortUnique(std::vector<std::string_view>* items) {
  std::sort(items->begin(), items->end());
  items->erase(std::unique(items->begin(), items->end()), items->end());
}

size_t IntersectionSize(const std::vector<std::string_view>& x, const std::vector<std::string_view>& y) {
  size_t count = 0;
  size_t i = 0;
  size_t j = 0;
  while (i < x.size() && j < y.size()) {
    if (x[i] < y[j]) {
      ++i;
    } else if (y[j] < x[i]) {
      ++j;
    } else {
      ++count;
      ++i;
      ++j;
    }
  }
  return count;
}

double JaccardOfSets(std::vector<std::string_view>* x, std::vector<std::string_view>* y) {
  SortUnique(x);
  SortUnique(y);
  const size_t common = IntersectionSize(*x, *y);
  const size_t union_size = x->size() + y->size() - common;
  if (union_size == 0) return 0.0;
  return static_cast<double>(common) / static_cast<double>(union_size);
}

void Join(const std::vector<std::string_view>& tokens, std::string* out) {
  out->clear();
  for (size_t k = 0; k < tokens.size(); ++k) {
    if (k) out->push_back(' ');
    out->append(tokens[k]);
  }
}

// Byte offsets of each code point's start in s (as the decoder splits it, so
// an invalid byte is a code point of its own), plus s.size() at the end.
void CodePointStarts(std::string_view s, std::vector<size_t>* starts) {
  starts->clear();
  size_t i = 0;
  while (i < s.size()) {
    starts->push_back(i);
    size_t length = 1;
    if (static_cast<unsigned char>(s[i]) >= 0x80) metrics::DecodeOne(s, i, &length);
    i += length;
  }
  starts->push_back(s.size());
}

void Grams(std::string_view s, int n, bool overlapping, std::vector<std::string_view>* grams) {
  thread_local std::vector<size_t> starts;
  grams->clear();
  if (s.empty()) return;
  CodePointStarts(s, &starts);
  const size_t count = starts.size() - 1;
  const auto size = static_cast<size_t>(n);
  if (overlapping) {
    if (count <= size) {
      grams->push_back(s);
      return;
    }
    for (size_t k = 0; k + size <= count; ++k) grams->push_back(s.substr(starts[k], starts[k + size] - starts[k]));
  } else {
    for (size_t k = 0; k < count; k += size) {
      const size_t end = std::min(k + size, count);
      grams->push_back(s.substr(starts[k], starts[end] - starts[k]));
    }
  }
}

double JaccardGrams(std::string_view a, std::string_view b, int n, bool overlapping) {
  if (n < 1) return 0.0;
  thread_local std::vector<std::string_view> x;
  thread_local std::vector<std::string_view> y;
  Grams(a, n, overlapping, &x);
  Grams(b, n, overlapping, &y);
  return JaccardOfSets(&x, &y);
}

}  // namespace

double TokenSortRatio(std::string_view a, std::string_view b) {
  thread_local std::vector<std::string_view> tokens;
  thread_local std::string sorted_a;
  thread_local std::string sorted_b;
  Tokenize(a, &tokens);
  std::sort(tokens.begin(), tokens.end());
  Join(tokens, &sorted_a);
  Tokenize(b, &tokens);
  std::sort(tokens.begin(), tokens.end());
  Join(tokens, &sorted_b);
  return IndelRatio(sorted_a, sorted_b);
}

double TokenSetRatio(std::string_view a, std::string_view b) {
  thread_local std::vector<std::string_view> x;
  thread_local std::vector<std::string_view> y;
  thread_local std::vector<std::string_view> common;
  thread_local std::vector<std::string_view> only_a;
  thread_local std::vector<std::string_view> only_b;
  Tokenize(a, &x);
  Tokenize(b, &y);
  if (x.empty() || y.empty()) return 0.0;
  SortUnique(&x);
  SortUnique(&y);
  common.clear();
  only_a.clear();
  only_b.clear();
  std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(common));
  std::set_difference(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(only_a));
  std::set_difference(y.begin(), y.end(), x.begin(), x.end(), std::back_inserter(only_b));
  if (!common.empty() && (only_a.empty() || only_b.empty())) return 1.0;

  thread_local std::string sect;
  thread_local std::string with_a;
  thread_local std::string with_b;
  thread_local std::string rest;
  Join(common, &sect);
  with_a = sect;
  Join(only_a, &rest);
  if (!sect.empty() && !rest.empty()) with_a.push_back(' ');
  with_a += rest;
  with_b = sect;
  Join(only_b, &rest);
  if (!sect.empty() && !rest.empty()) with_b.push_back(' ');
  with_b += rest;
  double best = IndelRatio(with_a, with_b);
  if (!sect.empty()) best = std::max({best, IndelRatio(sect, with_a), IndelRatio(sect, with_b)});
  return best;
}

double JaccardTokens(std::string_view a, std::string_view b) {
  thread_local std::vector<std::string_view> x;
  thread_local std::vector<std::string_view> y;
  Tokenize(a, &x);
  Tokenize(b, &y);
  return JaccardOfSets(&x, &y);
}

double JaccardNgrams(std::string_view a, std::string_view b, int n) { return JaccardGrams(a, b, n, true); }

double JaccardChunks(std::string_view a, std::string_view b, int n) { return JaccardGrams(a, b, n, false); }

}  // namespace caselink
