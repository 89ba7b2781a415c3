# Bash completion for minutes-search and minutes-index.
#
# Completes options and their values, the query's field names (speaker:,
# series: ...) and field values from the index: `minutes-search --list`,
# run with the --db, --config or --no-config given on the line. A value of
# several words is inserted as '"Jan Beulich"', which the shell passes as
# "Jan Beulich" with its quotes, so minutes-search reads one value.

_minutes_fields=(speaker: by: attendee: topic: title: series: project: org: kind: owner:
	path: date: after: before:)

# The program to ask for values: the one being completed when it is a path
# to an executable (build/minutes-search), else minutes-search on PATH.
_minutes_program() {
	local p=${COMP_WORDS[0]}
	if [[ $p == */* && -x $p ]]; then
		printf '%s\n' "$p"
	else
		printf '%s\n' minutes-search
	fi
}

# The options on the line that choose the index or config, for --list.
_minutes_index_args() {
	local i w
	for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--db | --config)
			if [[ ${COMP_WORDS[i + 1]} == = ]]; then
				printf '%s\n%s\n' "$w" "${COMP_WORDS[i + 2]}"
			else
				printf '%s\n%s\n' "$w" "${COMP_WORDS[i + 1]}"
			fi
			;;
		--db=* | --config=* | --no-config) printf '%s\n' "$w" ;;
		esac
	done
}

# Adds to COMPREPLY the values of list (speakers, series, topics, orgs)
# starting with $1 (case-insensitively), quoted for the shell.
_minutes_values() {
	local prefix=$1 list=$2 v
	local -a args
	local IFS=$'\n'
	args=($(_minutes_index_args))
	# What was typed may already start with the quotes we insert.
	prefix=${prefix#\'}
	prefix=${prefix#\"}
	for v in $("$(_minutes_program)" --list "$list" "${args[@]}" 2>/dev/null); do
		[[ ${v,,} == "${prefix,,}"* ]] || continue
		if [[ $v =~ ^[[:alnum:]._/@+-]+$ ]]; then
			COMPREPLY+=("$v")
		elif [[ $v != *\'* ]]; then
			COMPREPLY+=("'\"$v\"'")
		else
			COMPREPLY+=("$(printf '%q' "\"$v\"")")
		fi
	done
}

# Completes the value of a query field.
_minutes_field_value() {
	local field=${1,,} value=$2
	case $field in
	speaker | by | attendee | owner) _minutes_values "$value" speakers ;;
	series) _minutes_values "$value" series ;;
	project)
		_minutes_values "$value" series
		_minutes_values "$value" topics
		;;
	topic) _minutes_values "$value" topics ;;
	org) _minutes_values "$value" orgs ;;
	kind) COMPREPLY=($(compgen -W "utterance reported action decision note" -- "$value")) ;;
	esac
}

_minutes_search() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local key="" value="" joined="" i
	COMPREPLY=()

	# COMP_WORDBREAKS splits "speaker:jan" and "--format=json" into three
	# words; put the key and the value back together.
	if [[ $cur == : || $cur == = ]]; then
		key=$prev value=""
	elif [[ ($prev == : || $prev == =) && COMP_CWORD -ge 2 ]]; then
		key=${COMP_WORDS[COMP_CWORD - 2]} value=$cur
	elif [[ $cur == -* && $cur == *=* ]]; then
		key=${cur%%=*} value=${cur#*=} joined="="
	elif [[ $cur != -* && $cur == *:* ]]; then
		key=${cur%%:*} value=${cur#*:} joined=":"
	fi
	# An option's value as a separate word.
	if [[ -z $key ]]; then
		case $prev in
		--db | --config | -f | --format | -n | --limit | --offset | --sort | --group | \
			--facet-limit | --color | --colour | --list)
			key=$prev value=$cur
			;;
		esac
	fi

	if [[ -n $key ]]; then
		case $key in
		--db | --config) COMPREPLY=($(compgen -f -- "$value")) ;;
		-f | --format) COMPREPLY=($(compgen -W "text json jsonl vimgrep" -- "$value")) ;;
		--sort) COMPREPLY=($(compgen -W "rank date -date" -- "$value")) ;;
		--group) COMPREPLY=($(compgen -W "meeting" -- "$value")) ;;
		--color | --colour) COMPREPLY=($(compgen -W "auto always never" -- "$value")) ;;
		--list) COMPREPLY=($(compgen -W "speakers series topics orgs" -- "$value")) ;;
		--facets)
			local done=${value%"${value##*,}"}
			COMPREPLY=($(compgen -P "$done" -W "speaker topic series org year kind" \
				-- "${value##*,}"))
			;;
		-n | --limit | --offset | --facet-limit) ;;
		-*) ;;
		*) _minutes_field_value "$key" "$value" ;;
		esac
		# Where ':' or '=' did not split the word, bash replaces all of it.
		if [[ -n $joined ]]; then
			for i in "${!COMPREPLY[@]}"; do
				COMPREPLY[i]=$key$joined${COMPREPLY[i]}
			done
		fi
		return 0
	fi

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "--db --format --limit --offset --sort --group --facets
			--facet-limit --count --color --list --config --no-config --help --version
			-f -n -c -h -V" -- "$cur"))
		return 0
	fi
	COMPREPLY=($(compgen -W "${_minutes_fields[*]}" -- "${cur,,}"))
	# A field name is followed by its value, not by a space.
	[[ ${#COMPREPLY[@]} -gt 0 ]] && compopt -o nospace 2>/dev/null
	return 0
}

_minutes_index() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	case $prev in
	--db | --people | --config)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	--wait)
		return 0
		;;
	--format)
		COMPREPLY=($(compgen -W "json jsonl outline" -- "$cur"))
		return 0
		;;
	--language)
		COMPREPLY=($(compgen -W "arabic armenian basque catalan danish dutch english
			finnish french german greek hindi hungarian indonesian irish italian
			lithuanian nepali norwegian porter portuguese romanian russian serbian
			spanish swedish tamil turkish yiddish" -- "$cur"))
		return 0
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "--db --language --people --no-people --config --no-config
			--rebuild --dry-run --check --watch --wait --parse --format --progress
			--no-progress --quiet --verbose --help --version -n -w -q -v -h -V" -- "$cur"))
		return 0
	fi
	# Files and folders to index.
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$cur"))
	return 0
}

complete -F _minutes_search minutes-search
complete -F _minutes_index minutes-index
