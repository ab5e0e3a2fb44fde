// solver/table_quantities.hpp -- the CLI side of the quantity catalogue
// (attnrmt/quantities.hpp): the quantities `attnrmt table` writes and
// `attnrmt check` reads back, looked up by the names users type, with library
// errors turned into usage errors that name the option or the file position,
// and their evaluation over many points on worker threads.
//
// Every row of a table carries every parameter its quantities depend on, so a
// row is self-contained and `check` can recompute it. corr may contain commas
// (latent-exp:0.9,4): CSV quotes it.
//
// The second half of this header is the input side of `check`: a parsed CSV is
// turned into checked rows (parameters and claimed values as exact rationals),
// with a message naming the line and column for every problem. It does no
// numerical work, so the fuzz target (tests/fuzz) exercises all of it.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "attnrmt/precision.hpp"
#include "attnrmt/quantities.hpp"
#include "attnrmt/rational.hpp"
#include "csv_reader.hpp"

namespace attnrmt::cli {

using QuantityInfo = Quantity<MpReal>;
using ParameterInfo = ParameterSpec;

/// Values of the text parameters (pooling, corr) at one point.
using TextParams = std::map<std::string, std::string>;

/// All quantities, in the order used for output columns (the catalogue).
const std::vector<QuantityInfo>& quantity_registry();
/// All parameters, in canonical column order.
const std::vector<ParameterInfo>& parameter_registry();
/// nullptr when unknown.
const QuantityInfo* find_quantity(const std::string& name);
const ParameterInfo* find_parameter(const std::string& name);
/// "tau1, tau2, ..." for messages.
std::string quantity_names();
std::string parameter_names();

/// Parses "tau1,tau2" into registry entries (usage error on unknown or
/// repeated names, with the list of valid names).
std::vector<const QuantityInfo*> parse_quantity_list(const std::string& text);

/// The union of the parameters `quantities` depend on, in canonical order.
std::vector<std::string> needed_parameters(const std::vector<const QuantityInfo*>& quantities);

/// Throws UsageError unless `value` is in the parameter's range.
void require_parameter_range(const ParameterInfo& p, const Rational& value,
                             const std::string& where);
/// Throws UsageError unless `value` is a valid value of the text parameter
/// (pooling: a scheme spec; corr: non-empty, checked fully at evaluation).
void require_text_parameter(const ParameterInfo& p, const std::string& value,
                            const std::string& where);

/// The population of a point from its text parameters population and signal
/// (docs/population.md): null when neither is given or when they are the
/// defaults (isotropic, generic), which keeps the isotropic engine. Throws
/// UsageError for a bad spec, naming it.
std::shared_ptr<const PopulationSpec> population_from_text(const TextParams& text);

/// Throws UsageError naming the first quantity of `quantities` that does not
/// support a population (option: how the user gave it, e.g. "--population").
void require_population_support(const std::vector<const QuantityInfo*>& quantities,
                                const std::string& option);
/// "tau1, tau2, ..." of the quantities that support a population.
std::string population_quantity_names();

/// One evaluated cell: a number, or text (regime).
using QuantityValue = attnrmt::QuantityValue<MpReal>;

/// Evaluates `quantities` at one parameter point at the current MpReal
/// precision. `params` maps every needed parameter name to its exact value.
/// Throws std::invalid_argument for out-of-range parameters.
std::vector<QuantityValue> evaluate_quantities(const std::vector<const QuantityInfo*>& quantities,
                                               const std::map<std::string, Rational>& params,
                                               const TextParams& text = {});

/// Evaluates `quantities` at every point on `threads` worker threads (at the
/// current MpReal precision, which all threads share; Boost 1.74 keeps it in
/// a process-wide static, so it must not change while this runs). The result
/// is in point order whatever the number of threads; when points fail, the
/// error of the first failing point is rethrown (its index in *failed_point). `progress(done)` is
/// called from the calling thread about ten times a second while workers run.
std::vector<std::vector<QuantityValue>> evaluate_points(
    const std::vector<const QuantityInfo*>& quantities,
    const std::vector<std::map<std::string, Rational>>& points, unsigned threads,
    const std::function<void(std::size_t)>& progress = {}, std::size_t* failed_point = nullptr,
    const std::vector<TextParams>* text_points = nullptr);

/// The catalogue's exact `moment` at `point` (which holds delta, gamma, kappa
/// and perhaps a population) for k = 1..order, in that order: one evaluation,
/// highest order first, so the exact moment sequence is computed once
/// (O(order^2) for the isotropic law). Throws std::invalid_argument for an
/// order outside 1..max_moment_order.
std::vector<Rational> exact_moment_list(const QuantityPoint& point, int order);

/// Worker threads to use: `requested` (0 = one per core), 1 when MPFR was
/// built without thread-local storage.
unsigned usable_threads(unsigned requested);

// ---- check: the input side --------------------------------------------------

struct CheckColumn {
  std::size_t index = 0;  ///< field index in the CSV
  const QuantityInfo* quantity = nullptr;
};

struct CheckRow {
  std::size_t line = 0;                    ///< line number in the file (1-based)
  std::map<std::string, Rational> params;  ///< every needed numeric parameter
  TextParams text_params;                  ///< every needed text parameter
  std::vector<Rational> claimed;           ///< per numeric quantity column (text: unused)
  std::vector<std::string> claimed_text;   ///< the cell as written
  /// Why the row cannot be computed (a parameter that is not a number, such
  /// as nan or inf); empty for a good row. Such a row fails with 0 digits.
  std::string unreadable;
  /// Per quantity column: false when the claimed value is not a number (nan,
  /// inf, text); that value fails with 0 digits, the run goes on.
  std::vector<bool> claimed_readable;
};

struct CheckInput {
  std::vector<CheckColumn> columns;            ///< quantity columns, file order
  std::vector<std::string> parameter_columns;  ///< parameters read from the file
  std::vector<std::string> defaulted;          ///< parameters given by --set
  std::vector<std::string> extra_columns;      ///< ignored columns
  std::size_t header_line = 0;
  std::vector<CheckRow> rows;
};

/// Validates a parsed CSV for `check`: known quantity columns (a column whose
/// name is close to a quantity name is an error, other unknown columns are
/// extra and ignored), every needed parameter present (or in `fixed`), every
/// cell parsable and in range. Throws UsageError naming the line and column.
CheckInput prepare_check_input(const CsvDocument& doc, const std::map<std::string, Rational>& fixed,
                               const TextParams& fixed_text = {});

}  // namespace attnrmt::cli
