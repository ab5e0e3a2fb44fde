#!/usr/bin/env bash
# Test "cli_docs": the man page and bash completion that cmake/cli_docs.sh
# generates from the CLI's --help cover every command and option, and the
# packaging metadata carries the project version.
#   * commands: the registrations in solver/ (a second route, from the sources)
#     and the list in `attnrmt --help` must agree, and each must complete;
#   * options: `attnrmt CMD --<TAB>` offers exactly the options of `CMD --help`;
#   * values: a FILE option completes file names, a numeric option nothing;
#     plot's KIND completes to its four figure kinds;
#   * the man page has a section per command and renders with no groff warning;
#   * CITATION.cff's version is the project version; LICENSE is MIT.
# Usage: tests/test_cli_docs.sh CLI SOURCE_DIR VERSION
set -euo pipefail
cli="$1"
src="$2"
version="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

bash "$src/cmake/cli_docs.sh" "$cli" "$work" "$version"
# shellcheck disable=SC1091
source "$work/attnrmt.bash-completion"

complete_line() {  # words of a command line ending with the word being completed
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _attnrmt
  printf '%s\n' "${COMPREPLY[@]}" | sort
}
sorted_words() { tr ' ' '\n' | sed '/^$/d' | sort; }

# Commands, route 1: `attnrmt --help`.
# (awk reads a here-string, not a pipe from the CLI: awk stops early, and under
# pipefail the CLI's SIGPIPE would fail the line at random)
main_help="$("$cli" --help)"
help_commands="$(awk '/^commands:/ {on = 1; next} on && /^$/ {exit} on {print $1}' <<<"$main_help" | sort)"
# Route 2: every `CommandRegistrar NAME{Command{` in the sources, name on the same or next line.
source_commands="$(grep -rh -A2 --include='*.cpp' 'CommandRegistrar [A-Za-z_]*[{(]' "$src/solver" |
  awk '/CommandRegistrar/ {want = 1} want && match($0, /"[a-z][a-z-]*"/) {print substr($0, RSTART + 1, RLENGTH - 2); want = 0}' | sort)"
for c in $help_commands; do "$cli" "$c" --help >"$work/help.$c"; done
options_in_help() {  # the --options of a command's help text, one a line
  awk '/^options:/ {on = 1; next} on && match($0, /^  --[A-Za-z0-9-]+/) {print substr($0, 3, RLENGTH - 2)}' "$work/help.$1" | sort -u
}
[ -n "$source_commands" ] || fail "no command registrations found in $src/solver"
[ "$help_commands" = "$source_commands" ] ||
  fail "commands in --help ($(echo $help_commands)) differ from the sources ($(echo $source_commands))"
completed="$(complete_line attnrmt '')"
expected="$(printf '%s\n' $source_commands --help --version | sort)"
[ "$completed" = "$expected" ] || fail "attnrmt <TAB> gives '$(echo $completed)', expected '$(echo $expected)'"
[ "$(complete_line attnrmt thr)" = thresholds ] || fail "attnrmt thr<TAB> is not 'thresholds'"

# Options of every command.
for c in $help_commands; do
  opts="$(options_in_help "$c")"
  [ -n "$opts" ] || fail "$c --help lists no options"
  got="$(complete_line attnrmt "$c" --)"
  [ "$got" = "$opts" ] || fail "attnrmt $c --<TAB> gives '$(echo $got)', expected '$(echo $opts)'"
  grep -q "^\.SS \"attnrmt $c\"$" "$work/attnrmt.1" || fail "man page has no section for $c"
done

# Values: files after --out, nothing after a number, plot kinds, check FILE.
touch "$work/zz-probe.csv"
[ "$(cd "$work" && complete_line attnrmt thresholds --out zz-)" = zz-probe.csv ] ||
  fail "attnrmt thresholds --out zz-<TAB> does not complete the file name"
[ -z "$(complete_line attnrmt thresholds --delta '')" ] || fail "attnrmt thresholds --delta <TAB> offers words"
# --signal DIR is a direction of mu (generic | eigenvector:S), not a directory.
[ -z "$(cd "$work" && complete_line attnrmt check --signal zz-)" ] ||
  fail "attnrmt check --signal <TAB> offers file names (DIR is a direction, not a directory)"
[ "$(complete_line attnrmt plot '')" = "$(printf '%s\n' alignment density finite-t phase spectrum)" ] ||
  fail "attnrmt plot <TAB> gives '$(echo $(complete_line attnrmt plot ''))', expected the five kinds"
[ "$(cd "$work" && complete_line attnrmt check zz-)" = zz-probe.csv ] ||
  fail "attnrmt check zz-<TAB> does not complete the file name"

# Man page renders cleanly (groff warnings are errors) and names every option.
if command -v groff >/dev/null; then
  warnings="$(groff -man -Tutf8 -ww -z "$work/attnrmt.1" 2>&1 || true)"
  [ -z "$warnings" ] || fail "groff warnings: $warnings"
  rendered="$(groff -man -Tutf8 "$work/attnrmt.1" 2>/dev/null | sed 's/.\x08//g')"
  for c in $help_commands; do
    for o in $(options_in_help "$c"); do
      grep -qF -- "$o" <<<"$rendered" || fail "rendered man page lacks $c $o"
    done
  done
else
  fail "groff not found (Debian: groff-base), cannot render the man page"
fi

# Packaging metadata.
cff_version="$(sed -n 's/^version: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$src/CITATION.cff")"
[ "$cff_version" = "$version" ] || fail "CITATION.cff version '$cff_version' is not the project version '$version'"
head -n 1 "$src/LICENSE" | grep -qx 'MIT License' || fail "LICENSE is not the MIT license"
grep -q 'Copyright (c) .* The attnrmt authors' "$src/LICENSE" || fail "LICENSE lacks the copyright line"

if [ "$failures" -gt 0 ]; then
  echo "cli_docs: $failures failure(s)"
  exit 1
fi
echo "cli_docs: $(echo $help_commands | wc -w) commands, man page and completion consistent"
