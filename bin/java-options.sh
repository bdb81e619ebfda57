# Sourced by bin/trapline and by the benchmarks (so that they run what a user runs): the JVM options of a
# subcommand, `launcher.java-options.<subcommand>=...` in trapline.properties. The JVM is started before
# Trapline reads its settings, so the launcher reads this one line itself.

# trapline_java_options CONF_DIR SUBCOMMAND: prints the options (nothing when none are set).
trapline_java_options() {
  local file="$1/trapline.properties"
  [[ -n "$2" && -f "$file" ]] || return 0
  sed -n "s/^[[:space:]]*launcher\.java-options\.$2[[:space:]]*[=:][[:space:]]*//p" "$file" | tail -n 1
}

# trapline_command_line ARGS...: sets TRAPLINE_SUBCOMMAND (the first word that is neither an option nor
# an option's value) and TRAPLINE_CONF_DIR (from --conf, which may stand before or after the subcommand;
# left as it was when absent).
trapline_command_line() {
  TRAPLINE_SUBCOMMAND=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --conf) TRAPLINE_CONF_DIR="${2:-}"; shift; [[ $# -gt 0 ]] && shift ;;
      --conf=*) TRAPLINE_CONF_DIR="${1#--conf=}"; shift ;;
      --data) shift; [[ $# -gt 0 ]] && shift ;;
      -*) shift ;;
      *) [[ -z "$TRAPLINE_SUBCOMMAND" ]] && TRAPLINE_SUBCOMMAND="$1"; shift ;;
    esac
  done
}
