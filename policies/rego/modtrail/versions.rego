package modtrail

# Semantic version precedence (semver.org §11, as golang.org/x/mod/semver compares Go versions), written out
# because semver.compare is not compiled into WASM. Build metadata is ignored (v24.0.7+incompatible is v24.0.7);
# a pre-release sorts before its release, so v0.0.0-20240101120000-abcdef123456 is below v0.0.0.

semver_pattern := `^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$`

# An array that orders as the version's precedence: Rego compares arrays element by element, then by length.
# Undefined for anything that is not a canonical Go version (v1.2, a branch name, a commit hash).
version_key(version) := [number_key(m[1]), number_key(m[2]), number_key(m[3]), prerelease_key(m[4])] if {
	[m] := regex.find_all_string_submatch_n(semver_pattern, version, 1)
}

# Digits without leading zeros order by length, then by text; to_number would lose precision beyond 2^53.
number_key(digits) := [count(digits), digits]

# A release sorts after every pre-release of it.
prerelease_key("") := [1]

prerelease_key(prerelease) := [0, [identifier_key(id) | some id in split(prerelease, ".")]] if prerelease != ""

# Numeric identifiers sort numerically and before alphanumeric ones, which sort in ASCII order.
identifier_key(id) := [0, count(id), id] if regex.match(`^[0-9]+$`, id)

identifier_key(id) := [1, 0, id] if not regex.match(`^[0-9]+$`, id)
