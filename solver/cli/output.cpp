// solver/cli/output.cpp -- table writers and the way out (output.hpp).
#include "cli/output.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

#include "cli/files.hpp"

namespace attnrmt::cli {

Format parse_format(const std::string& text, bool allow_document_formats) {
  if (text == "table") return Format::table;
  if (text == "csv") return Format::csv;
  if (text == "json") return Format::json;
  if (allow_document_formats && text == "md") return Format::md;
  if (allow_document_formats && text == "tex") return Format::tex;
  throw UsageError("--format must be one of table, csv, json" +
                   std::string(allow_document_formats ? ", md, tex" : "") + " (got '" + text +
                   "')");
}

namespace {
std::string json_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string json_value(const TextCell& c) {
  if (c.missing) return "null";
  if (c.numeric) return c.text;
  return "\"" + json_escape(c.text) + "\"";
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string tex_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '_' || c == '%' || c == '&' || c == '#' || c == '$')
      out += std::string("\\") + c;
    else
      out += c;
  }
  return out;
}
}  // namespace

void write_table(const TextTable& t, Format format, std::ostream& out) {
  const std::size_t nc = t.columns.size();
  switch (format) {
    case Format::csv: {
      for (const auto& n : t.notes) out << "# " << n << "\n";
      for (std::size_t j = 0; j < nc; ++j) out << (j ? "," : "") << csv_field(t.columns[j]);
      out << "\n";
      for (const auto& row : t.rows) {
        for (std::size_t j = 0; j < row.size(); ++j)
          out << (j ? "," : "") << (row[j].missing ? std::string() : csv_field(row[j].text));
        out << "\n";
      }
      break;
    }
    case Format::json: {
      out << "{\n";
      if (!t.meta.empty() || !t.notes.empty()) {
        out << "  \"meta\": {";
        bool first = true;
        for (const auto& [k, v] : t.meta) {
          out << (first ? "\n" : ",\n") << "    \"" << json_escape(k) << "\": " << json_value(v);
          first = false;
        }
        if (!t.notes.empty()) {
          out << (first ? "\n" : ",\n") << "    \"notes\": [";
          for (std::size_t i = 0; i < t.notes.size(); ++i)
            out << (i ? ", " : "") << "\"" << json_escape(t.notes[i]) << "\"";
          out << "]";
        }
        out << "\n  },\n";
      }
      out << "  \"columns\": [";
      for (std::size_t j = 0; j < nc; ++j)
        out << (j ? ", " : "") << "\"" << json_escape(t.columns[j]) << "\"";
      out << "],\n  \"rows\": [";
      for (std::size_t i = 0; i < t.rows.size(); ++i) {
        out << (i ? ",\n    {" : "\n    {");
        for (std::size_t j = 0; j < t.rows[i].size(); ++j) {
          const auto& c = t.rows[i][j];
          out << (j ? ", " : "") << "\"" << json_escape(t.columns[j]) << "\": " << json_value(c);
        }
        out << "}";
      }
      out << (t.rows.empty() ? "]\n}\n" : "\n  ]\n}\n");
      break;
    }
    case Format::md: {
      for (const auto& n : t.notes) out << "<!-- " << n << " -->\n";
      out << "|";
      for (const auto& c : t.columns) out << " " << c << " |";
      out << "\n|";
      for (std::size_t j = 0; j < nc; ++j) out << " ---: |";
      out << "\n";
      for (const auto& row : t.rows) {
        out << "|";
        for (const auto& c : row) out << " " << c.text << " |";
        out << "\n";
      }
      break;
    }
    case Format::tex: {
      for (const auto& n : t.notes) out << "% " << n << "\n";
      out << "\\begin{table}\n\\centering\n\\begin{tabular}{" << std::string(nc, 'r')
          << "}\n\\toprule\n";
      for (std::size_t j = 0; j < nc; ++j)
        out << (j ? " & " : "") << "\\texttt{" << tex_escape(t.columns[j]) << "}";
      out << " \\\\\n\\midrule\n";
      for (const auto& row : t.rows) {
        for (std::size_t j = 0; j < row.size(); ++j)
          out << (j ? " & " : "")
              << (row[j].numeric ? "$" + row[j].text + "$" : tex_escape(row[j].text));
        out << " \\\\\n";
      }
      out << "\\bottomrule\n\\end{tabular}\n";
      auto cap = t.meta.find("caption");
      if (cap != t.meta.end()) out << "\\caption{" << tex_escape(cap->second.text) << "}\n";
      out << "\\end{table}\n";
      break;
    }
    case Format::table: {
      std::vector<std::size_t> width(nc);
      for (std::size_t j = 0; j < nc; ++j) width[j] = t.columns[j].size();
      for (const auto& row : t.rows)
        for (std::size_t j = 0; j < row.size() && j < nc; ++j)
          width[j] = std::max(width[j], row[j].text.size());
      for (const auto& n : t.notes) out << "# " << n << "\n";
      auto line = [&](const std::vector<std::string>& cells) {
        std::string s;
        for (std::size_t j = 0; j < cells.size(); ++j) {
          if (j) s += "  ";
          s += cells[j];
          if (j + 1 < cells.size() && j < nc) s += std::string(width[j] - cells[j].size(), ' ');
        }
        out << s << "\n";
      };
      line(t.columns);
      for (const auto& row : t.rows) {
        std::vector<std::string> cells;
        for (const auto& c : row) cells.push_back(c.text);
        line(cells);
      }
      break;
    }
  }
}

void write_stdout(const std::string& contents) {
  std::cout << contents;
  std::cout.flush();
  if (!std::cout || std::fflush(stdout) != 0)
    throw std::runtime_error(std::string("cannot write to standard output (") +
                             std::strerror(errno ? errno : EIO) + ")");
}

void write_output(const Options& opts, const std::string& contents) {
  opts.require_all_used();
  if (opts.has("out"))
    write_file_atomically(opts.get("out"), contents);
  else
    write_stdout(contents);
}

void emit(const Options& opts, const TextTable& table, Format format) {
  std::ostringstream buf;
  write_table(table, format, buf);
  write_output(opts, buf.str());
}

}  // namespace attnrmt::cli
