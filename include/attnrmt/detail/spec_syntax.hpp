// attnrmt/detail/spec_syntax.hpp -- the one syntax of specification strings.
//
// A specification is "head" or "head:args" (split at the first ':'); the args
// are either one free-form text (a file path, which may itself hold ':' or
// ',') or a comma-separated list of items ("latent:0.9,0.5", "atoms:1@1/2,4").
// Every parser of a "head:args" option (pooling schemes in weights.hpp, built-in
// integrands in spectral_integrals.hpp, correlation generators, population
// spectra) splits its text here, so the same input gets the same error
// everywhere. Errors are std::invalid_argument naming `what` (the mathematical
// parameter, e.g. "pooling" or "f"; the CLI adds the option's name), the
// offending text and what was expected.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace attnrmt::detail {

/// Splits on commas; empty items are kept (so that they can be reported).
inline std::vector<std::string> split_items(const std::string& text) {
  std::vector<std::string> items;
  std::string cur;
  for (char ch : text) {
    if (ch == ',') {
      items.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  items.push_back(cur);
  return items;
}

/// "head" or "head:args", split at the first ':'.
struct SpecSyntax {
  std::string text;       ///< the whole specification, as given
  std::string head;       ///< before the first ':' (all of it when there is none)
  bool has_args = false;  ///< a ':' was present (possibly followed by nothing)
  std::string args;       ///< after the first ':'

  /// Throws unless the spec is the bare head: "what: HEAD takes no argument".
  void require_no_args(const std::string& what) const {
    if (has_args)
      throw std::invalid_argument(what + ": " + head + " takes no argument (got '" + text + "')");
  }

  /// The args as one text (a path); throws when ':' or the text after it is missing.
  const std::string& require_args(const std::string& what, const std::string& form) const {
    if (!has_args || args.empty())
      throw std::invalid_argument(what + ": missing argument after '" + head + ":' (expected " +
                                  form + ", got '" + text + "')");
    return args;
  }

  /// The args as a comma-separated list of between min_items and max_items
  /// non-empty items; `form` (e.g. "latent-exp:A,L") goes into the errors.
  std::vector<std::string> require_items(const std::string& what, const std::string& form,
                                         std::size_t min_items, std::size_t max_items) const {
    require_args(what, form);
    std::vector<std::string> items = split_items(args);
    for (std::size_t i = 0; i < items.size(); ++i)
      if (items[i].empty())
        throw std::invalid_argument(what + ": item " + std::to_string(i + 1) + " of '" + args +
                                    "' is empty (expected " + form + ")");
    if (items.size() < min_items || items.size() > max_items) {
      std::string count = min_items == max_items
                              ? std::to_string(min_items)
                              : std::to_string(min_items) + " to " + std::to_string(max_items);
      throw std::invalid_argument(what + ": " + head + " takes " + count + " item" +
                                  (max_items == 1 ? "" : "s") + " (expected " + form + ", got '" +
                                  text + "')");
    }
    return items;
  }
};

/// Splits a specification at its first ':'.
inline SpecSyntax split_spec(const std::string& text) {
  SpecSyntax s;
  s.text = text;
  const std::size_t colon = text.find(':');
  s.head = text.substr(0, colon);
  if (colon != std::string::npos) {
    s.has_args = true;
    s.args = text.substr(colon + 1);
  }
  return s;
}

}  // namespace attnrmt::detail
