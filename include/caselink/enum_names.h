// One name table for each enum whose values are written as text: in the
// store, in JSON, on the command line and in the audit log. The table says
// each value's name once; Name and Parse read it in the two directions, so
// what is written is what reads back.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace caselink {

template <typename E, size_t N>
struct EnumNames {
  std::array<std::pair<E, std::string_view>, N> table;

  // The value's name; every value of E is in the table.
  constexpr std::string_view Name(E value) const {
    for (const auto& [v, name] : table) {
      if (v == value) return name;
    }
    return {};
  }
  // The value named `name` exactly; nullopt for any other text.
  constexpr std::optional<E> Parse(std::string_view name) const {
    for (const auto& [v, n] : table) {
      if (n == name) return v;
    }
    return std::nullopt;
  }
  // Every name, in the table's order (a command line's choices).
  std::vector<std::string> Names() const {
    std::vector<std::string> out;
    for (const auto& [v, name] : table) out.emplace_back(name);
    return out;
  }
  // "new, in_review, linked, dismissed": what a message says is accepted.
  std::string List() const {
    std::string out;
    for (const auto& [v, name] : table) {
      if (!out.empty()) out += ", ";
      out += name;
    }
    return out;
  }
};

}  // namespace caselink
