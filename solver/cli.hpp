// solver/cli.hpp -- the command-line framework shared by every `attnrmt`
// command: one header that includes the parts, each in solver/cli/.
//
// * cli/errors.hpp    UsageError (exit 2), excerpt() of user data in messages
// * cli/options.hpp   Options: `--name value`, `--name=value`, flags
// * cli/values.hpp    exact rationals, lists, grids, integers, --digits
// * cli/certify.hpp   certified digits at two working precisions, format_number
// * cli/output.hpp    tables as aligned text, CSV, JSON, Markdown, LaTeX
// * cli/files.hpp     atomic output files, whole-file input
// * cli/progress.hpp  a progress bar on stderr
// * cli/registry.hpp  the command registry, help, invocation
// * cli/dispatch.hpp  running a command line (the program and the Python module)
#pragma once

#include "cli/certify.hpp"
#include "cli/dispatch.hpp"
#include "cli/errors.hpp"
#include "cli/files.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "cli/registry.hpp"
#include "cli/values.hpp"
