// Interned: a short string from a small set (a schema, property or source
// name) kept once per process and referred to by pointer.
//
// A million records repeat the same few dozen names; as std::string each copy
// cost 32 bytes (more past 15 characters) in every record and value held in
// memory. An Interned costs 8, compares for equality by pointer, and reads as
// a const std::string& wherever text is wanted. Interning takes a lock only
// the first time a thread meets a name.
#pragma once

#include <compare>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace caselink {

class Interned {
 public:
  Interned() noexcept : text_(&Empty()) {}
  // Implicit, so that a name is assigned from text as a string was.
  Interned(std::string_view text);                                         // NOLINT(google-explicit-constructor)
  Interned(const std::string& text) : Interned(std::string_view(text)) {}  // NOLINT
  Interned(const char* text) : Interned(std::string_view(text)) {}         // NOLINT

  const std::string& str() const noexcept { return *text_; }
  operator const std::string&() const noexcept { return *text_; }  // NOLINT
  operator std::string_view() const noexcept { return *text_; }    // NOLINT
  const char* c_str() const noexcept { return text_->c_str(); }
  const char* data() const noexcept { return text_->data(); }
  size_t size() const noexcept { return text_->size(); }
  bool empty() const noexcept { return text_->empty(); }

  // Equal text is one pointer: equality needs no string compare.
  friend bool operator==(Interned a, Interned b) noexcept { return a.text_ == b.text_; }
  friend bool operator==(Interned a, std::string_view b) noexcept { return *a.text_ == b; }
  friend bool operator==(Interned a, const std::string& b) noexcept { return *a.text_ == b; }
  friend bool operator==(Interned a, const char* b) noexcept { return *a.text_ == b; }
  // Ordered as the text is.
  friend std::strong_ordering operator<=>(Interned a, Interned b) noexcept {
    return a.text_ == b.text_ ? std::strong_ordering::equal : a.text_->compare(*b.text_) <=> 0;
  }
  friend std::strong_ordering operator<=>(Interned a, std::string_view b) noexcept {
    return std::string_view(*a.text_).compare(b) <=> 0;
  }
  friend std::strong_ordering operator<=>(Interned a, const std::string& b) noexcept {
    return a.text_->compare(b) <=> 0;
  }
  friend std::strong_ordering operator<=>(Interned a, const char* b) noexcept { return a.text_->compare(b) <=> 0; }

  friend std::string operator+(const std::string& a, Interned b) { return a + *b.text_; }
  friend std::string operator+(std::string&& a, Interned b) { return std::move(a) + *b.text_; }
  friend std::string operator+(const char* a, Interned b) { return a + *b.text_; }
  friend std::string operator+(Interned a, const std::string& b) { return *a.text_ + b; }
  friend std::string operator+(Interned a, const char* b) { return *a.text_ + b; }

 private:
  static const std::string& Empty() noexcept;
  const std::string* text_;
};

}  // namespace caselink

template <>
struct std::hash<caselink::Interned> {
  size_t operator()(caselink::Interned s) const noexcept { return std::hash<std::string>()(s.str()); }
};
