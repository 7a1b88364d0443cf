# SPDX-License-Identifier: GPL-2.0
# bash completion for benchtrace(8): options, subcommands, PIDs after -p,
# functions after -u (from `benchtrace functions` of the command on the
# line, or of the -p process), run directories after `report`.  Needs
# nothing from the bash-completion package.

_benchtrace_runs()
{
	local d
	for d in "$1"*/; do
		[ -f "$d/meta.json" ] && printf '%s\n' "${d%/}"
	done
}

_benchtrace()
{
	local cur prev i cmd="" pid="" sub=""
	local opts="-p --pid -a --all -o --output -i --interval -d --duration -u --uprobe --usdt --metrics --no-logs
		--min-duration -z --gzip --perfetto --user --no-children --no-chown
		--max-procs --max-threads --btf --kill-command -q --quiet -v --verbose
		-h --help -V --version"

	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	if [ "$COMP_CWORD" -eq 1 ] && [[ $cur != -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "functions report perfetto help" -- "$cur")
		return
	fi
	sub=${COMP_WORDS[1]}
	case $sub in
	report)
		if [ "$prev" = -o ] || [ "$prev" = --output ]; then
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		elif [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "-o --output --merge -h --help" -- "$cur")
		else
			mapfile -t COMPREPLY < <(_benchtrace_runs "$cur")
			[ ${#COMPREPLY[@]} -eq 0 ] && mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		fi
		return
		;;
	perfetto)
		mapfile -t COMPREPLY < <(_benchtrace_runs "$cur")
		return
		;;
	help)
		mapfile -t COMPREPLY < <(compgen -W "functions report perfetto" -- "$cur")
		return
		;;
	functions)
		if [ "$prev" = -p ] || [ "$prev" = --pid ]; then
			mapfile -t COMPREPLY < <(compgen -W "$(ls /proc | grep '^[0-9]')" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
		return
		;;
	esac

	# the command after -- (anywhere on the line) and the -p target, for -u
	for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
		case ${COMP_WORDS[i]} in
		--)
			[ "$i" -ne "$COMP_CWORD" ] && [ $((i + 1)) -ne "$COMP_CWORD" ] &&
				cmd=${COMP_WORDS[i + 1]}
			break
			;;
		-p | --pid) pid=${COMP_WORDS[i + 1]%%,*} ;;
		esac
	done
	for ((i = 1; i < COMP_CWORD; i++)); do
		[ "${COMP_WORDS[i]}" = -- ] || continue
		# completing the command itself or its arguments
		if [ $((i + 1)) -eq "$COMP_CWORD" ]; then
			mapfile -t COMPREPLY < <(compgen -c -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
		return
	done

	case $prev in
	-p | --pid)
		mapfile -t COMPREPLY < <(compgen -W "$(ls /proc | grep '^[0-9]')" -- "$cur")
		return
		;;
	-u | --uprobe)
		local src
		if [ -n "$pid" ]; then
			src=(-p "$pid")
		elif [ -n "$cmd" ]; then
			src=("$cmd")
		else
			return
		fi
		# a library function is LIB:NAME; a bare word may be either
		mapfile -t COMPREPLY < <(
			benchtrace functions "${src[@]}" "$cur*" 2>/dev/null
			[[ $cur == *:* ]] || benchtrace functions "${src[@]}" "*:$cur*" 2>/dev/null
		)
		return
		;;
	-o | --output | --btf)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	--user)
		mapfile -t COMPREPLY < <(compgen -u -- "$cur")
		return
		;;
	-i | --interval)
		mapfile -t COMPREPLY < <(compgen -W "auto 10ms 100ms 1s" -- "$cur")
		return
		;;
	-d | --duration | --min-duration | --max-procs | --max-threads | --metrics)
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$opts --" -- "$cur")
	fi
}

complete -F _benchtrace benchtrace
