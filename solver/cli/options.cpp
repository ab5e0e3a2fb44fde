// solver/cli/options.cpp -- command-line parsing (options.hpp).
#include "cli/options.hpp"

#include <cstring>

namespace attnrmt::cli {

namespace {
// Escaped, shortened rendering of a token for messages.
std::string shown_token(const std::string& a) {
  return excerpt(a, 40);
}

// UTF-8 dashes that look like '-' (en dash, em dash, minus sign, hyphen,
// non-breaking hyphen, figure dash, horizontal bar, small/full-width hyphen-minus).
bool starts_with_typographic_dash(const std::string& a) {
  static const char* const dashes[] = {"\xE2\x80\x90", "\xE2\x80\x91", "\xE2\x80\x92",
                                       "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95",
                                       "\xE2\x88\x92", "\xEF\xB9\xA3", "\xEF\xBC\x8D"};
  for (const char* d : dashes)
    if (a.compare(0, std::strlen(d), d) == 0) return true;
  return false;
}
}  // namespace

Options::Options(std::string command, std::vector<OptionSpec> specs,
                 const std::vector<std::string>& args, int max_positional)
    : command_(std::move(command)), specs_(std::move(specs)) {
  auto find = [&](const std::string& name) -> const OptionSpec* {
    for (const auto& s : specs_)
      if (s.name == name) return &s;
    return nullptr;
  };
  const std::string see = " (see 'attnrmt " + command_ + " --help')";
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      help_ = true;
      continue;
    }
    if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
      std::string name = a.substr(2), value;
      bool inline_value = false;
      auto eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        inline_value = true;
      }
      const OptionSpec* spec = find(name);
      if (!spec)
        throw UsageError("unknown option '--" + shown_token(name) + "' for 'attnrmt " + command_ +
                         "'" + see);
      if (spec->value_name.empty()) {
        if (inline_value) throw UsageError("option '--" + name + "' takes no value");
        value = "1";
      } else if (!inline_value) {
        if (i + 1 >= args.size())
          throw UsageError("option '--" + name + "' needs a value (" + spec->value_name + ")");
        value = args[++i];
      }
      if (!spec->repeatable && values_.count(name))
        throw UsageError("option '--" + name + "' given more than once");
      values_[name].push_back(value);
      used_[name] = false;
      continue;
    }
    if (a == "--")
      throw UsageError("unexpected argument '--' for 'attnrmt " + command_ + "'" + see);
    if (a.size() > 1 && a[0] == '-')
      throw UsageError("unexpected argument '" + shown_token(a) + "' for 'attnrmt " + command_ +
                       "' (options start with two dashes: '-" + shown_token(a) + "'?)");
    if (starts_with_typographic_dash(a))
      throw UsageError("unexpected argument '" + shown_token(a) + "' for 'attnrmt " + command_ +
                       "' (it starts with a typographic dash; options start with two ASCII "
                       "hyphens '--')");
    positional_.push_back(a);
  }
  if (static_cast<int>(positional_.size()) > max_positional) {
    const std::string& extra = positional_[static_cast<std::size_t>(max_positional)];
    throw UsageError(
        "unexpected argument '" + shown_token(extra) + "' for 'attnrmt " + command_ + "'" +
        (max_positional == 0 ? std::string(" (it takes options only)")
                             : " (it takes " + std::to_string(max_positional) + " argument" +
                                   (max_positional > 1 ? "s" : "") + " besides options)") +
        see);
  }
}

bool Options::has(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return false;
  for (const auto& s : specs_)
    if (s.name == name && s.value_name.empty()) used_[name] = true;
  return true;
}

const std::string& Options::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end())
    throw UsageError("missing required option '--" + name + "' (see 'attnrmt " + command_ +
                     " --help')");
  used_[name] = true;
  return it->second.front();
}

std::string Options::get_or(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  used_[name] = true;
  return it->second.front();
}

std::vector<std::string> Options::all(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return {};
  used_[name] = true;
  return it->second;
}

std::vector<std::string> Options::all_values() const {
  std::vector<std::string> v;
  for (const auto& [name, values] : values_)
    if (name != "out") v.insert(v.end(), values.begin(), values.end());
  return v;
}

void Options::require_all_used() const {
  for (const auto& [name, used] : used_)
    if (!used)
      throw UsageError("option '--" + name + "' is not used by 'attnrmt " + command_ +
                       "' with the other options given (remove it, or see 'attnrmt " + command_ +
                       " --help')");
}

}  // namespace attnrmt::cli
