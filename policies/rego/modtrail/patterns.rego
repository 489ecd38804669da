package modtrail

# Go's GOPRIVATE matching (golang.org/x/mod/module.MatchPrefixPatterns), with the patterns as an array:
# a pattern of N slash-separated elements is a path.Match glob over the first N elements of the path.

# path.Match metacharacters; a pattern without them can only match its own text.
glob_metacharacters := ["*", "?", "[", "\\"]

is_glob(pattern) if {
	some metacharacter in glob_metacharacters
	contains(pattern, metacharacter)
}

# Prepares a pattern list once per evaluation: literals become set lookups, so long allowlists stay cheap.
prepare_patterns(patterns) := {
	"literals": {p | some p in normalized; not is_glob(p)},
	"literal_lengths": {count(split(p, "/")) | some p in normalized; not is_glob(p)},
	"globs": [{"glob": p, "elements": count(split(p, "/"))} | some p in normalized; is_glob(p)],
} if {
	# Go trims one trailing slash and skips empty patterns.
	normalized := {p | some raw in patterns; p := trim_suffix(raw, "/"); p != ""}
}

# The first n elements of a path split at "/", or undefined when it has fewer.
leading_elements(elements, n) := concat("/", array.slice(elements, 0, n)) if n <= count(elements)

# True when any prepared pattern matches a leading part of the module path.
matches_any_pattern(path, prepared) if {
	elements := split(path, "/")
	some n in prepared.literal_lengths

	# Indexing the set is a hash lookup; compiled to WASM, `x in set` would scan every literal for every record.
	prepared.literals[leading_elements(elements, n)]
}

matches_any_pattern(path, prepared) if {
	elements := split(path, "/")
	some pattern in prepared.globs
	glob.match(pattern.glob, ["/"], leading_elements(elements, pattern.elements))
}
