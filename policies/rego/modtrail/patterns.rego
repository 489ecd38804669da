package modtrail

# Go's GOPRIVATE matching (golang.org/x/mod/module.MatchPrefixPatterns), with the patterns as an array:
# a pattern of N slash-separated elements is a path.Match glob over the first N elements of the path.

# True when any pattern matches a leading part of the module path.
matches_any_pattern(path, patterns) if {
	some pattern in patterns
	matches_prefix_pattern(path, pattern)
}

matches_prefix_pattern(path, pattern) if {
	# Go trims one trailing slash and skips empty patterns.
	trimmed := trim_suffix(pattern, "/")
	trimmed != ""
	n := count(split(trimmed, "/"))
	elements := split(path, "/")
	n <= count(elements)
	prefix := concat("/", array.slice(elements, 0, n))
	glob.match(trimmed, ["/"], prefix)
}
