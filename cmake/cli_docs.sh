#!/usr/bin/env bash
# Generates the man page attnrmt.1 and the bash completion script
# attnrmt.bash-completion in OUT_DIR from the CLI's own --help text, so both
# follow the commands and options the binary really has.
# Usage: cmake/cli_docs.sh CLI OUT_DIR VERSION   (run by the build; see CMakeLists.txt)
set -euo pipefail
cli="$1"
out_dir="$2"
version="$3"
export LC_ALL=C.UTF-8

main_help="$("$cli" --help)"
# "commands:" block: "  NAME        summary", up to the first empty line.
# No pipeline here ends its reader early: under pipefail a writer killed by
# SIGPIPE (bash's printf writes line by line) would fail it at random.
commands_block="$(awk '/^commands:/ {on = 1; next} on && /^$/ {exit} on' <<<"$main_help")"
commands=()
while read -r name _; do commands+=("$name"); done <<<"$commands_block"
[ ${#commands[@]} -gt 0 ] || { echo "cli_docs: no commands in '$cli --help'" >&2; exit 1; }
declare -A help_of
for c in "${commands[@]}"; do help_of[$c]="$("$cli" "$c" --help)"; done

# Option lines of a command's help: "  --name VALUE   help" (VALUE absent for a flag).
options_of() { awk '/^options:/ {on = 1; next} on && match($0, /^  --[A-Za-z0-9-]+/) {
  name = substr($0, 5, RLENGTH - 4); rest = substr($0, RLENGTH + 1)
  value = (rest ~ /^ [^ ]/) ? substr(rest, 2) : ""; sub(/ .*/, "", value)
  print name, value }'; }

# ---- man page ------------------------------------------------------------------
# Backslashes as \e, '-' as \- (an ASCII minus, so options copy and paste), a
# leading . or ' guarded by \&, non-ASCII characters as groff's \[uXXXX] (so
# no preconv is needed; perl-base is essential in Debian).
roff_escape() {
  sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e 's/^\([.'"'"']\)/\\\&\1/' |
    perl -CS -pe 's/([^\x00-\x7f])/sprintf("\\[u%04X]", ord($1))/ge'
}
tagline="$(sed 's/^attnrmt [^ ]* -- //' <<<"${main_help%%$'\n'*}")"
tmp_man="$(mktemp "$out_dir/.attnrmt.1.XXXXXX")"
tmp_bash="$(mktemp "$out_dir/.attnrmt.bash.XXXXXX")"
trap 'rm -f "$tmp_man" "$tmp_bash"' EXIT
{
  echo "'\\\" -*- coding: utf-8 -*-"
  echo ".\\\" Generated from 'attnrmt --help' by cmake/cli_docs.sh; do not edit."
  echo ".TH ATTNRMT 1 \"\" \"attnrmt $version\" \"User Commands\""
  echo ".SH NAME"
  echo "attnrmt \\- $(printf '%s\n' "$tagline" | roff_escape)"
  echo ".SH SYNOPSIS"
  echo ".B attnrmt"
  echo ".I COMMAND"
  echo "[options]"
  echo ".br"
  echo ".B attnrmt"
  echo ".I COMMAND"
  echo ".B \\-\\-help"
  echo ".SH DESCRIPTION"
  echo ".nf"
  printf '%s\n' "$main_help" | roff_escape
  echo ".fi"
  echo ".SH COMMANDS"
  for c in "${commands[@]}"; do
    echo ".SS \"attnrmt $c\""
    echo ".nf"
    printf '%s\n' "${help_of[$c]}" | roff_escape
    echo ".fi"
  done
  # The exit codes of solver/main.cpp.
  echo ".SH EXIT STATUS"
  echo "0 success; 1 a numerical outcome or check failed; 2 bad input (one line on standard error)."
  echo ".SH SEE ALSO"
  echo "README.md and docs/ in the attnrmt sources."
} >"$tmp_man"

# ---- bash completion --------------------------------------------------------------
{
  echo "# bash completion for attnrmt; generated from 'attnrmt --help' by cmake/cli_docs.sh; do not edit."
  echo "_attnrmt_commands='${commands[*]}'"
  echo "# Options of a command (\$1)."
  echo "_attnrmt_options() {"
  echo "  case \"\$1\" in"
  for c in "${commands[@]}"; do
    opts="$(printf '%s\n' "${help_of[$c]}" | options_of | awk '{printf "%s--%s", (NR > 1 ? " " : ""), $1}')"
    echo "    $c) echo '$opts' ;;"
  done
  echo "  esac"
  echo "}"
  echo "# Options of a command (\$1) that take a value; 'file' when the value is a file name."
  echo "_attnrmt_value_kind() {"
  echo "  case \"\$1 \$2\" in"
  for c in "${commands[@]}"; do
    while read -r name value; do
      [ -n "$value" ] || continue
      # FILE and PATH name files; DIR is --signal's direction of mu, a value.
      case "$value" in *FILE* | *PATH*) kind=file ;; *) kind=value ;; esac
      echo "    '$c --$name') echo $kind ;;"
    done < <(printf '%s\n' "${help_of[$c]}" | options_of)
  done
  echo "  esac"
  echo "}"
  echo "# First positional argument of a command: its words (from the usage lines), or 'file'."
  echo "_attnrmt_positional() {"
  echo "  case \"\$1\" in"
  for c in "${commands[@]}"; do
    help="${help_of[$c]}"
    words="$(printf '%s\n' "$help" | awk -v c="$c" '$1 == c && $2 ~ /^[a-z][a-z-]*$/ {print $2}' | sort -u | tr '\n' ' ' | sed 's/ $//')"
    if [ -n "$words" ]; then
      echo "    $c) echo '$words' ;;"
    elif [[ "${help%%$'\n'*}" == "usage: attnrmt $c FILE"* ]]; then
      echo "    $c) echo file ;;"
    fi
  done
  echo "  esac"
  echo "}"
  cat <<'BODY'
_attnrmt() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD - 1]}"
  COMPREPLY=()
  if [ "$COMP_CWORD" -eq 1 ]; then
    mapfile -t COMPREPLY < <(compgen -W "$_attnrmt_commands --help --version" -- "$cur")
    return 0
  fi
  local cmd="${COMP_WORDS[1]}"
  case "$(_attnrmt_value_kind "$cmd" "$prev")" in
    file)
      compopt -o filenames 2>/dev/null || true
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return 0 ;;
    value) return 0 ;;
  esac
  if [[ "$cur" == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_attnrmt_options "$cmd")" -- "$cur")
  elif [ "$COMP_CWORD" -eq 2 ]; then
    local words
    words="$(_attnrmt_positional "$cmd")"
    if [ "$words" = file ]; then
      compopt -o filenames 2>/dev/null || true
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    elif [ -n "$words" ]; then
      mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
    fi
  fi
  return 0
}
complete -F _attnrmt attnrmt
BODY
} >"$tmp_bash"

chmod 644 "$tmp_man" "$tmp_bash"
mv -f "$tmp_man" "$out_dir/attnrmt.1"
mv -f "$tmp_bash" "$out_dir/attnrmt.bash-completion"
trap - EXIT
