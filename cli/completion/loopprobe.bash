# SPDX-License-Identifier: MIT
# bash completion for loopprobe.
#
# Completes the options, the formats after --format, the colour modes after
# --color, the finding kinds after --explain, file names after --output, and
# SPEC after --only and --require: comma-separated MECHANISM[@LAYER] items,
# the layers offered once an item has its '@'.  Every word list comes from
# the command being completed (loopprobe --complete-words LIST), so the
# completion offers what that binary accepts and cannot drift from it.
# Installed as share/bash-completion/completions/loopprobe, where
# bash-completion loads it the first time loopprobe is completed; it needs
# nothing from bash-completion itself.

# The word list $1 from the command being completed ($2), or from loopprobe.
_loopprobe_words()
{
    local cmd=$2
    case $cmd in
    "~/"*) cmd=$HOME/${cmd#"~/"} ;;
    esac
    if [[ -z $cmd || ! -x $cmd ]] && [[ $cmd == */* || -z $(type -P -- "$cmd") ]]; then
        cmd=loopprobe
    fi
    command "$cmd" --complete-words "$1" 2>/dev/null
}

# SPEC: complete the item after the last comma of $1.
_loopprobe_spec()
{
    local cur=$1 cmd=$2 head="" item=$1 w words=""
    if [[ $cur == *,* ]]; then
        head=${cur%,*},
        item=${cur##*,}
    fi
    if [[ $item == *@* ]]; then
        for w in $(_loopprobe_words layers "$cmd"); do
            words+=" ${item%%@*}@$w"
        done
    else
        words=$(_loopprobe_words mechanisms "$cmd")
    fi
    compgen -P "$head" -W "$words" -- "$item"
}

# The current word and the one before it, split at white space only: bash
# splits COMP_WORDS at '@', '=' and ':' as well (COMP_WORDBREAKS).
_loopprobe()
{
    local line=${COMP_LINE:0:COMP_POINT} cmd=${COMP_WORDS[0]} cur="" opt="" head="" i keep=0
    local -a w
    read -ra w <<<"$line"
    if [[ $line == *[[:space:]] ]]; then
        opt=${w[${#w[@]} - 1]}
    else
        cur=${w[${#w[@]} - 1]}
        ((${#w[@]} > 1)) && opt=${w[${#w[@]} - 2]}
    fi
    if [[ $cur == --*=* ]]; then # --option=VALUE
        opt=${cur%%=*}
        head=$opt=
        cur=${cur#*=}
    fi
    COMPREPLY=()
    case $opt in
    -f | --format) mapfile -t COMPREPLY < <(compgen -W "$(_loopprobe_words formats "$cmd")" -- "$cur") ;;
    --color) mapfile -t COMPREPLY < <(compgen -W "$(_loopprobe_words colors "$cmd")" -- "$cur") ;;
    --explain) mapfile -t COMPREPLY < <(compgen -W "$(_loopprobe_words kinds "$cmd")" -- "$cur") ;;
    -O | --only | -r | --require) mapfile -t COMPREPLY < <(_loopprobe_spec "$cur" "$cmd") ;;
    -o | --output | --baseline) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
    -t | --timeout | --width | --max-size | --library | --host-name) ;;
    *)
        if [[ -z $head && $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W "$(_loopprobe_words options "$cmd")" -- "$cur")
        fi
        ;;
    esac
    # Readline replaces only the end of the word, from its last word-break
    # character on: after it ("--color=al" -> "al"), or from it when it is
    # one of readline's special prefixes, '@' and '$' ("epoll@a" -> "@a").
    cur=$head$cur
    for ((i = ${#cur}; i > 0; i--)); do
        if [[ $COMP_WORDBREAKS == *"${cur:i-1:1}"* ]]; then
            keep=$i
            [[ ${cur:i-1:1} == [@$] ]] && keep=$((i - 1))
            break
        fi
    done
    for i in "${!COMPREPLY[@]}"; do
        COMPREPLY[i]=$head${COMPREPLY[i]}
        COMPREPLY[i]=${COMPREPLY[i]:keep}
    done
    return 0
}

complete -F _loopprobe loopprobe
